package dev.coderssh.core.command;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.CoreServices;
import dev.coderssh.core.ExitCode;
import dev.coderssh.core.cli.Args;
import dev.coderssh.core.cli.Command;
import dev.coderssh.core.cli.Console;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.json.Json;
import dev.coderssh.core.scope.Capability;
import dev.coderssh.core.scope.ScopeAssessment;
import dev.coderssh.core.scope.ScopeCatalog;
import dev.coderssh.core.store.Credentials;
import dev.coderssh.core.token.Scopes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code coder-ssh status [<url>] [--json]}: the stored sign-ins, never a token. Reads only. */
public final class StatusCommand implements Command {
    static final String HELP = String.join("\n",
            "Usage: coder-ssh status [<deployment-url>] [--json]",
            "",
            "Shows each sign-in: user, kind, granted scopes, what they lack for SSH, expiry and where it is",
            "stored. Never a token.",
            "  --json                  an object (one deployment) or an array (all) with url, user, kind,",
            "                          scopes, missing_capabilities, version_dependent_capabilities,",
            "                          expires_at, store, state",
            "Exit code 3 when not signed in (or the session expired).",
            "");
    private final String version;

    public StatusCommand(String version) {
        this.version = version;
    }

    @Override
    public int run(List<String> argv, Console console) {
        Args a = Args.parse(argv, CommonOptions.flags("--json"), CommonOptions.options());
        if (a.flag("--help")) {
            console.err().print(HELP);
            return ExitCode.OK.code();
        }
        List<String> pos = a.positionals(0, 1, "usage: coder-ssh status [<deployment-url>] [--json] (see --help)");
        CoreServices core = CommonOptions.services(a, console, version);
        Instant now = console.clock().instant();
        if (pos.size() == 1) {
            DeploymentUrl url = CommonOptions.url(pos.get(0), a);
            Credentials c = core.store().loadMetadata(url);
            if (c == null) {
                throw CoderSshException.authRequired("not logged in to " + url, url.toString());
            }
            print(console, List.of(describe(core, c, now)), a.flag("--json"), false);
            return c.expired() ? ExitCode.AUTH_REQUIRED.code() : ExitCode.OK.code();
        }
        List<Map<String, Object>> all = new ArrayList<>();
        for (Credentials c : core.store().list()) {
            all.add(describe(core, c, now));
        }
        print(console, all, a.flag("--json"), true);
        if (all.isEmpty()) {
            if (!a.flag("--json")) {
                console.err().println("Not signed in to any deployment: run `coder-ssh login <url>`.");
            }
            return ExitCode.AUTH_REQUIRED.code();
        }
        return ExitCode.OK.code();
    }

    private static Map<String, Object> describe(CoreServices core, Credentials c, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", c.url());
        m.put("user", c.username());
        m.put("kind", c.kind());
        m.put("scopes", new ArrayList<Object>(Scopes.parse(c.scope())));
        ScopeAssessment lacks = assess(c);
        m.put("missing_capabilities", lacks == null ? null : ids(lacks.missing()));
        m.put("version_dependent_capabilities", lacks == null ? null : ids(lacks.versionDependent()));
        m.put("expires_at", c.expiresAt() == null ? null : c.expiresAt().toString());
        m.put("state", c.expired() ? "expired" : (c.expiresAt() != null && !c.expiresAt().isAfter(now) ? "refresh due" : "active"));
        m.put("store", core.store().location(DeploymentUrl.parse(c.url(), true)));
        return m;
    }

    /**
     * What the granted scopes cannot do; empty for a pasted session token (it may do all its user
     * may), null for an OAuth sign-in whose scopes were not recorded.
     */
    private static ScopeAssessment assess(Credentials c) {
        if (!c.isOAuth()) {
            return new ScopeAssessment(Set.of(), Set.of());
        }
        Set<String> granted = Scopes.parse(c.scope());
        return granted.isEmpty() ? null : ScopeCatalog.assess(granted);
    }

    private static List<Object> ids(Set<Capability> capabilities) {
        List<Object> out = new ArrayList<>();
        for (Capability cap : capabilities) {
            out.add(cap.id());
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void print(Console console, List<Map<String, Object>> rows, boolean json, boolean array) {
        if (json) {
            console.out().println(Json.write(array ? new ArrayList<Object>(rows) : rows.get(0)));
            return;
        }
        Instant now = console.clock().instant();
        for (Map<String, Object> r : rows) {
            console.out().println(r.get("url"));
            console.out().println("  user:     " + r.get("user"));
            console.out().println("  kind:     " + ("oauth".equals(r.get("kind")) ? "oauth (refreshed automatically)" : "session token"));
            List<Object> scopes = (List<Object>) r.get("scopes");
            console.out().println("  scopes:   " + (scopes.isEmpty() ? "(all the token allows)" : join(scopes)));
            lacks(console, r);
            Object exp = r.get("expires_at");
            console.out().println("  expires:  " + (exp == null ? "unknown (server-managed)" : exp + " (" + in(now, Instant.parse((String) exp)) + ")"));
            console.out().println("  state:    " + r.get("state"));
            String store = (String) r.get("store");
            console.out().println("  stored:   " + store + (store.startsWith("keyring") ? "" : " (file, owner-only)"));
        }
    }

    /** Each capability the scopes lack, what that breaks, and the fix; nothing when none is lacking. */
    @SuppressWarnings("unchecked")
    private static void lacks(Console console, Map<String, Object> r) {
        List<Object> missing = (List<Object>) r.get("missing_capabilities");
        List<Object> some = (List<Object>) r.get("version_dependent_capabilities");
        if (missing == null) {
            console.out().println("  lacks:    unknown (the server recorded no scopes; `coder-ssh doctor` probes them)");
            return;
        }
        if (missing.isEmpty() && some.isEmpty()) {
            return;
        }
        capabilities(console, "  lacks:    ", missing);
        if (!some.isEmpty()) {
            console.out().println("  lacks on some versions (their composite scopes are narrower):");
            capabilities(console, "            ", some);
        }
        console.out().println("  fix:      run `coder-ssh login " + r.get("url") + "` again (this sign-in keeps"
                + " working meanwhile, without these)");
    }

    private static void capabilities(Console console, String first, List<Object> ids) {
        String prefix = first;
        for (Object id : ids) {
            for (Capability c : Capability.values()) {
                if (c.id().equals(id)) {
                    console.out().println(prefix + c.id() + ": " + c.withoutIt());
                    prefix = "            ";
                }
            }
        }
    }

    private static String join(List<Object> l) {
        StringBuilder sb = new StringBuilder();
        for (Object o : l) {
            sb.append(sb.length() == 0 ? "" : " ").append(o);
        }
        return sb.toString();
    }

    private static String in(Instant now, Instant at) {
        Duration d = Duration.between(now, at);
        if (d.isNegative()) {
            return "passed; refreshed on next use";
        }
        return "in " + d.toHours() + "h " + d.toMinutesPart() + "m";
    }
}
