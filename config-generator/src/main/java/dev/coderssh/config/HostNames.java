package dev.coderssh.config;

import dev.coderssh.core.api.Workspace;
import dev.coderssh.core.api.WorkspaceAgent;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The explicit host names for a list of workspaces, sorted so the same workspaces always give the
 * same bytes (a rerun must be a no-op), with a warning for every name that is not written.
 */
final class HostNames {
    record Result(List<String> names, List<String> warnings) {
        Result {
            names = List.copyOf(names);
            warnings = List.copyOf(warnings);
        }
    }

    private HostNames() {
    }

    /**
     * {@code <prefix><ws>} for the user's own workspaces, {@code <prefix><owner>--<ws>} for others'
     * ({@code me} null means all are the user's own), plus one name per agent when there are several:
     * {@code <prefix><ws>.<agent>}, or {@code <prefix><owner>--<ws>--<agent>} for others'.
     */
    static Result of(String prefix, List<Workspace> workspaces, String me) {
        return of(prefix, null, workspaces, me);
    }

    /**
     * With a {@code suffix} (the deployment's {@code hostname_suffix}) the same names are written
     * as {@code coder config-ssh} suggests them: {@code <ws>.<suffix>}, {@code <ws>.<agent>.<suffix>},
     * {@code <owner>--<ws>.<suffix>}, {@code <owner>--<ws>--<agent>.<suffix>}.
     */
    static Result of(String prefix, String suffix, List<Workspace> workspaces, String me) {
        TreeSet<String> names = new TreeSet<>();
        List<String> warnings = new ArrayList<>();
        for (Workspace ws : workspaces) {
            if (ws == null) {
                continue;
            }
            if ("deleted".equals(ws.buildStatus())) {
                continue;
            }
            if (!Names.validName(ws.name())) {
                warnings.add("skipping workspace " + Names.describe(ws.name())
                        + ": not a valid Coder name ([A-Za-z0-9-], at most " + Names.MAX_LENGTH + " chars)");
                continue;
            }
            boolean own = me == null || me.equals(ws.ownerName());
            if (!own && !Names.validName(ws.ownerName())) {
                warnings.add("skipping workspace " + ws.name() + " of owner " + Names.describe(ws.ownerName())
                        + ": not a valid Coder user name");
                continue;
            }
            String base = own ? ws.name() : ws.ownerName() + "--" + ws.name();
            names.add(form(prefix, suffix, base));
            if (ws.agents().size() > 1) {
                for (WorkspaceAgent agent : ws.agents()) {
                    if (!Names.validAgentName(agent.name())) {
                        warnings.add("skipping agent " + Names.describe(agent.name()) + " of workspace " + ws.name()
                                + ": not a valid agent name ([A-Za-z0-9_-])");
                        continue;
                    }
                    names.add(form(prefix, suffix, base + (own ? "." : "--") + agent.name()));
                }
            }
        }
        return new Result(new ArrayList<>(names), warnings);
    }

    static String form(String prefix, String suffix, String name) {
        return suffix == null ? prefix + name : name + "." + suffix;
    }
}
