package dev.coderssh.proxy.tunnel;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.api.CoderApi;
import dev.coderssh.core.api.Workspace;
import dev.coderssh.core.api.WorkspaceAgent;
import dev.coderssh.proxy.host.HostName;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * For the direct transport, does what {@code coder ssh} does before it dials: find the workspace
 * and agent, start a stopped workspace (unless told not to) and wait until the agent is connected,
 * with progress on stderr. Errors are one line each, listing candidates when a name is unknown.
 */
public final class AgentResolver {
    /** Waits between polls; injected so tests do not sleep. */
    public interface Pause {
        void pause() throws InterruptedException;
    }

    private final CoderApi api;
    private final PrintStream err;
    private final Pause pause;
    private final int maxPolls;

    public AgentResolver(CoderApi api, PrintStream err, Pause pause, int maxPolls) {
        this.api = api;
        this.err = err;
        this.pause = pause;
        this.maxPolls = maxPolls;
    }

    public WorkspaceAgent resolve(HostName host, boolean autostart) throws InterruptedException {
        Workspace ws = workspace(host);
        boolean started = false;
        // A start takes minutes: each change of build or agent status gets a line with the time so far.
        long begun = System.nanoTime();
        String shown = null;
        for (int poll = 0; ; poll++) {
            String status = ws.buildStatus();
            if ("failed".equals(status) || "canceled".equals(status)) {
                throw CoderSshException.failure("workspace " + label(ws) + " is " + status
                        + ": rebuild it (coder start " + ws.name() + ") or check its build logs");
            }
            if ("deleted".equals(status) || "deleting".equals(status) || "delete".equals(ws.transition())) {
                throw CoderSshException.notFound("workspace " + label(ws) + " is " + status);
            }
            if (!started && "stopped".equals(status)) {
                if (!autostart) {
                    throw CoderSshException.failure("workspace " + label(ws)
                            + " is stopped and --disable-autostart is set: start it first");
                }
                err.println("coder-ssh: workspace " + label(ws) + " is stopped, starting it...");
                start(ws);
                started = true;
            } else if ("running".equals(status)) {
                WorkspaceAgent agent = agent(ws, host.agent());
                if ("connected".equals(agent.status())) {
                    return agent;
                }
                String now = "agent " + agent.status();
                if (!now.equals(shown) && "timeout".equals(agent.status())) {
                    err.println("coder-ssh: agent " + agent.name() + " is slow to connect; still waiting" + since(poll, begun)
                            + "...");
                } else if (!now.equals(shown)) {
                    err.println("coder-ssh: waiting for agent " + agent.name() + " (" + agent.status() + ")"
                            + since(poll, begun) + "...");
                }
                shown = now;
            } else if (!("build " + status).equals(shown)) {
                err.println("coder-ssh: workspace " + label(ws) + " is " + status + since(poll, begun) + ", waiting...");
                shown = "build " + status;
            }
            if (poll >= maxPolls) {
                throw CoderSshException.failure("gave up waiting for workspace " + label(ws) + " (" + status + ")");
            }
            pause.pause();
            ws = api.workspace(host.ownerOrMe(), host.workspace());
        }
    }

    private static String since(int poll, long begun) {
        return poll == 0 ? "" : " (" + (System.nanoTime() - begun) / 1_000_000_000L + " s so far)";
    }

    private Workspace workspace(HostName host) {
        try {
            return api.workspace(host.ownerOrMe(), host.workspace());
        } catch (CoderSshException e) {
            if (e.exitCode() != dev.coderssh.core.ExitCode.NOT_FOUND) {
                throw e;
            }
        }
        List<String> names = new ArrayList<>();
        for (Workspace w : api.workspaces("owner:" + host.ownerOrMe())) {
            names.add(w.name());
        }
        throw CoderSshException.notFound("no workspace \"" + host.workspace() + "\" for " + host.ownerOrMe()
                + (names.isEmpty() ? " (there are none)" : "; workspaces: " + String.join(", ", names)));
    }

    private void start(Workspace ws) {
        try {
            api.startWorkspace(ws.id());
        } catch (CoderSshException e) {
            String m = e.getMessage() == null ? "" : e.getMessage();
            if (m.contains("workspace:start") || m.contains("scope")) {
                throw CoderSshException.failure("this sign-in lacks workspace:start, so it cannot start "
                        + label(ws) + ": start it in the dashboard or sign in again with that scope");
            }
            if (!m.contains("409") && !m.toLowerCase(java.util.Locale.ROOT).contains("already")) {
                throw e;
            }
            // 409: a build is already running; waiting for it is what we want anyway.
        }
    }

    static WorkspaceAgent agent(Workspace ws, String wanted) {
        List<WorkspaceAgent> agents = ws.agents();
        if (agents.isEmpty()) {
            throw CoderSshException.notFound("workspace " + label(ws) + " has no agent");
        }
        if (wanted == null) {
            if (agents.size() > 1) {
                throw CoderSshException.usage("workspace " + label(ws) + " has several agents, name one as "
                        + ws.name() + ".<agent>: " + names(agents));
            }
            return agents.get(0);
        }
        for (WorkspaceAgent a : agents) {
            if (a.name().equals(wanted)) {
                return a;
            }
        }
        throw CoderSshException.notFound("workspace " + label(ws) + " has no agent \"" + wanted + "\"; agents: "
                + names(agents));
    }

    private static String names(List<WorkspaceAgent> agents) {
        List<String> n = new ArrayList<>();
        for (WorkspaceAgent a : agents) {
            n.add(a.name());
        }
        return String.join(", ", n);
    }

    private static String label(Workspace ws) {
        return ws.ownerName() == null ? ws.name() : ws.ownerName() + "/" + ws.name();
    }
}
