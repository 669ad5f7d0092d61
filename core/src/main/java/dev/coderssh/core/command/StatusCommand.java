package dev.coderssh.core.command;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.CoreServices;
import dev.coderssh.core.ExitCode;
import dev.coderssh.core.cli.Args;
import dev.coderssh.core.cli.Command;
import dev.coderssh.core.cli.Console;
import dev.coderssh.core.cli.DeploymentChoice;
import dev.coderssh.core.cli.NetworkFlags;
import dev.coderssh.core.cli.TerminalText;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.json.Json;
import dev.coderssh.core.scope.Capability;
import dev.coderssh.core.scope.ScopeAssessment;
import dev.coderssh.core.scope.ScopeCatalog;
import dev.coderssh.core.store.Credentials;
import dev.coderssh.core.token.SessionFiles;
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
            "Usage: coder-ssh status [<deployment-url>] [options]",
            "",
            "Shows each sign-in: user, kind, granted scopes, what they lack for SSH, expiry, state and where",
            "it is stored. Never a token. Without a URL (or --url): every sign-in.",
            "state: active, refresh_due (refreshed on next use), expired or revoked (run login again).",
            "",
            CommonOptions.URL_HELP,
            "  --json                  an object (one deployment) or an array (all) with url, user, kind,",
            "                          scopes, missing_capabilities, version_dependent_capabilities,",
            "                          expires_at, store, state (signed_out when there is no sign-in)",
            "  --check                 also ask each server (within " + StatusCheck.BOUND.toSeconds() + "s) whether it accepts the token,",
            "                          refreshing a due one; adds checked_user or check_error",
            NetworkFlags.HELP,
            "Exit codes: 0 every sign-in listed is usable, 1 a --check could not reach a server,",
            "3 not signed in, or a listed sign-in expired or was revoked.",
            "");
    private final String version;

    public StatusCommand(String version) {
        this.version = version;
    }

    @Override
    public int run(List<String> argv, Console console) {
        Args a = Args.parse(argv, CommonOptions.flags("--json", "--check"), CommonOptions.options());
        List<String> pos = a.positionals(0, 1, "usage: coder-ssh status [<deployment-url>] [--json] (see --help)");
        String named = pos.isEmpty() ? a.value("--url") : DeploymentChoice.named(pos.get(0), a, console);
        boolean json = a.flag("--json");
        CoreServices core = CommonOptions.services(a, console, version);
        StatusCheck check = a.flag("--check") ? new StatusCheck(console, NetworkFlags.http(a, console), version) : null;
        Instant now = console.clock().instant();
        List<Credentials> listed = new ArrayList<>();
        if (named != null) {
            DeploymentUrl url = CommonOptions.url(named, a);
            Credentials c = core.store().loadMetadata(url);
            if (c == null) {
                if (json) {
                    // Scripts get an answer to parse, not an empty stdout.
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("url", url.toString());
                    m.put("state", "signed_out");
                    console.out().println(Json.write(m));
                }
                throw CoderSshException.authRequired("not logged in to " + url, url.toString());
            }
            listed.add(c);
        } else {
            listed.addAll(core.store().list());
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        int code = ExitCode.OK.code();
        for (Credentials c : listed) {
            Map<String, Object> row = describe(core, c, now);
            if (check != null) {
                code = worse(code, check.ask(row, DeploymentUrl.parse(c.url(), true)));
            }
            if (UNUSABLE.contains(row.get("state"))) {
                code = worse(code, ExitCode.AUTH_REQUIRED.code());
            }
            rows.add(row);
        }
        print(console, rows, json, named == null);
        if (rows.isEmpty()) {
            if (!json) {
                console.err().println("Not signed in to any deployment: run `coder-ssh login <url>`.");
            }
            return ExitCode.AUTH_REQUIRED.code();
        }
        if (code == ExitCode.AUTH_REQUIRED.code() && !json) {
            console.err().println("A sign-in above is no longer usable: run `coder-ssh login <url>` for it.");
        }
        return code;
    }

    /** Sign-in required outranks a failed check: its fix is known. */
    private static int worse(int a, int b) {
        return a == ExitCode.AUTH_REQUIRED.code() || b == ExitCode.AUTH_REQUIRED.code()
                ? ExitCode.AUTH_REQUIRED.code() : Math.max(a, b);
    }

    static final Set<Object> UNUSABLE = Set.of("expired", "revoked");

    @Override
    public String help() {
        return HELP;
    }

    private static Map<String, Object> describe(CoreServices core, Credentials c, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", c.url());
        m.put("user", c.username());
        m.put("kind", c.kind());
        m.put("scopes", new ArrayList<Object>(Scopes.parse(c.scope())));
        // What the server showed at sign-in: false when it recorded the key as coder:all.
        m.put("scopes_enforced", !c.isOAuth() || c.scope().isEmpty() ? null
                : ScopeCatalog.unrestricted(c.scope()) ? Boolean.FALSE : Boolean.TRUE);
        ScopeAssessment lacks = assess(c);
        m.put("missing_capabilities", lacks == null ? null : ids(lacks.missing()));
        m.put("version_dependent_capabilities", lacks == null ? null : ids(lacks.versionDependent()));
        m.put("expires_at", c.expiresAt() == null ? null : c.expiresAt().toString());
        m.put("state", c.expired() ? "expired" : (c.expiresAt() != null && !c.expiresAt().isAfter(now) ? "refresh_due" : "active"));
        if (c.isOAuth()) {
            // The token's real state: Coder moves a used key's expiry on, and a rotation waits while
            // one of our CLI sessions runs with the key (SECURITY.md, "How long a token lives").
            m.put("accepted_until", (c.acceptedUntil() != null ? c.acceptedUntil() : c.expiresAt()).toString());
            m.put("last_checked", (c.checkedAt() != null ? c.checkedAt() : c.issuedAt()).toString());
            m.put("rotation_due", c.expiresAt().toString());
            String keyId = SessionFiles.keyId(c.accessToken());
            m.put("sessions_live", keyId == null ? 0L : (long) new SessionFiles(core.home().sessions()).holding(keyId));
        }
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
            console.out().println("  user:     " + text(r.get("user")));
            console.out().println("  kind:     " + ("oauth".equals(r.get("kind")) ? "oauth (refreshed automatically)" : "session token"));
            List<Object> scopes = (List<Object>) r.get("scopes");
            console.out().println("  scopes:   " + (scopes.isEmpty() ? "(not shown by the server)" : text(join(scopes)))
                    + (Boolean.FALSE.equals(r.get("scopes_enforced"))
                            ? " (the server does not narrow OAuth tokens: this one can do whatever your account can)" : ""));
            lacks(console, r);
            Object exp = r.get("expires_at");
            console.out().println("  expires:  " + (exp == null ? "unknown (server-managed)" : exp + " (" + in(now, Instant.parse((String) exp)) + ")"));
            console.out().println("  state:    " + r.get("state"));
            if (r.get("accepted_until") != null) {
                Instant accepted = Instant.parse((String) r.get("accepted_until"));
                Instant checked = Instant.parse((String) r.get("last_checked"));
                console.out().println("  accepted: by the server until " + accepted + " (" + in(now, accepted)
                        + "), last checked " + checked + " (" + in(now, checked) + ")");
                console.out().println("  sessions: " + r.get("sessions_live") + " live with this token; rotation due "
                        + r.get("rotation_due") + " (waits while a session holds the token, at most 7 days)");
            }
            if (r.containsKey("checked_user")) {
                console.out().println("  checked:  the server accepts it (user " + text(r.get("checked_user")) + ")");
            } else if (r.containsKey("check_error")) {
                console.out().println("  checked:  " + text(r.get("check_error")));
            }
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

    /** A value the server gave (user name, scopes, its error): escaped, SECURITY.md's terminal-escaping rule. */
    private static String text(Object o) {
        return TerminalText.escape(String.valueOf(o));
    }

    private static String join(List<Object> l) {
        StringBuilder sb = new StringBuilder();
        for (Object o : l) {
            sb.append(sb.length() == 0 ? "" : " ").append(o);
        }
        return sb.toString();
    }

    static String in(Instant now, Instant at) {
        Duration d = Duration.between(now, at);
        if (d.isNegative() || d.isZero()) {
            return "passed; refreshed on next use";
        }
        if (d.compareTo(Duration.ofMinutes(1)) < 0) {
            return "in " + d.toSeconds() + "s";
        }
        if (d.compareTo(Duration.ofHours(1)) < 0) {
            return "in " + d.toMinutes() + "m";
        }
        return "in " + d.toHours() + "h " + d.toMinutesPart() + "m";
    }
}
