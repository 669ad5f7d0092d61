package dev.coderssh.core.scope;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Coder's OAuth scope names (coderd/rbac/scopes_catalog.go), the set coder-ssh asks for, and what
 * a granted set can do. Composite {@code coder:*} scopes expand differently across versions (the
 * newest add template:read, workspace:start and organization_member:read to some); this class
 * expands each to what EVERY version grants, so "granted" here never over-promises.
 */
public final class ScopeCatalog {
    /** Marker for "every permission": {@code coder:all}, legacy {@code all}. */
    static final String ALL = "*:*";

    /**
     * What SSH needs on every version, each name for a step of the Capability table:
     * access (read, ssh) and operate (update: activity report, dormancy) composites, start
     * (newest servers), create (the active-version retry of a start), template:read (older
     * access composites lack it), user:read (users/me), user:read_personal (external auth).
     */
    public static final List<String> DEFAULT = List.of("coder:workspaces.access", "coder:workspaces.operate",
            "workspace:start", "workspace:create", "template:read", "user:read", "user:read_personal");

    /** Conservative expansions: the intersection over the versions whose catalogue was read. */
    private static final Map<String, List<String>> COMPOSITES = Map.of(
            "coder:workspaces.access", List.of("workspace:read", "workspace:ssh", "workspace:application_connect"),
            "coder:workspaces.operate", List.of("workspace:read", "workspace:update"),
            "coder:workspaces.create", List.of("template:read", "template:use", "workspace:create", "workspace:update",
                    "workspace:read"),
            "coder:workspaces.delete", List.of("workspace:read", "workspace:delete"),
            "coder:application_connect", List.of("workspace:application_connect"),
            "application_connect", List.of("workspace:application_connect"));

    /** What the newest catalogue adds to those composites. */
    private static final Map<String, List<String>> NEWEST_EXTRAS = Map.of(
            "coder:workspaces.access", List.of("template:read", "organization_member:read"),
            "coder:workspaces.operate", List.of("template:read", "workspace:start", "workspace:stop",
                    "organization_member:read"),
            "coder:workspaces.create", List.of("workspace:start", "workspace:stop", "organization_member:read"),
            "coder:workspaces.delete", List.of("template:read", "template:use", "organization_member:read"));

    private ScopeCatalog() {
    }

    /** True when {@code granted} (space-separated) holds {@code coder:all}: a token the scopes do not narrow. */
    public static boolean unrestricted(String granted) {
        for (String s : granted.split(" ")) {
            if (s.equals("coder:all") || s.equals("all")) {
                return true;
            }
        }
        return false;
    }

    /** Low-level {@code resource:action} permissions a granted scope list amounts to on every version. */
    public static Set<String> expand(Collection<String> scopes) {
        return expand(scopes, false);
    }

    private static Set<String> expand(Collection<String> scopes, boolean newest) {
        Set<String> out = new LinkedHashSet<>();
        for (String s : scopes) {
            if (s.equals("coder:all") || s.equals("all")) {
                out.add(ALL);
            } else if (COMPOSITES.containsKey(s)) {
                out.addAll(COMPOSITES.get(s));
                if (newest) {
                    out.addAll(NEWEST_EXTRAS.getOrDefault(s, List.of()));
                }
            } else if (s.endsWith(":*")) {
                String resource = s.substring(0, s.length() - 1);
                for (Capability c : Capability.values()) {
                    for (String n : c.needs()) {
                        if (n.startsWith(resource)) {
                            out.add(n);
                        }
                    }
                }
            } else {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * What a granted scope list cannot do: on any scope-enforcing version ({@code missing}), or
     * only on versions whose composites are narrower ({@code versionDependent}). Servers before
     * 2.37 (2.36.1 seen) enforce no OAuth scopes at all, so there every capability works.
     */
    public static ScopeAssessment assess(Collection<String> scopes) {
        Set<String> everywhere = expand(scopes, false);
        Set<String> newest = expand(scopes, true);
        Set<Capability> missing = EnumSet.noneOf(Capability.class);
        Set<Capability> versionDependent = EnumSet.noneOf(Capability.class);
        for (Capability c : Capability.values()) {
            if (!c.grantedSomewhereBy(newest)) {
                missing.add(c);
            } else if (!c.grantedBy(everywhere)) {
                versionDependent.add(c);
            }
        }
        return new ScopeAssessment(missing, versionDependent);
    }

    /**
     * The scopes to ask for: {@link #DEFAULT}, limited to the names the server lists in
     * {@code scopes_supported} when it lists any (a name it does not list gives invalid_scope).
     * A composite the server does not list is replaced by those of its parts it does list.
     */
    public static List<String> request(Collection<String> supported) {
        if (supported == null || supported.isEmpty()) {
            return DEFAULT;
        }
        Set<String> out = new LinkedHashSet<>();
        for (String s : DEFAULT) {
            if (supported.contains(s)) {
                out.add(s);
            } else if (COMPOSITES.containsKey(s)) {
                for (String part : COMPOSITES.get(s)) {
                    if (supported.contains(part)) {
                        out.add(part);
                    }
                }
            }
        }
        return new ArrayList<>(out);
    }
}
