package dev.coderssh.core.scope;

import java.util.List;
import java.util.Set;

/**
 * One thing an SSH session does at the Coder API, and the low-level permissions a
 * scope-enforcing server (2.35+) checks for it. The table is the reference's "Scopes" and
 * "API calls of one coder ssh --stdio" tables (coderd/rbac/scopes_catalog.go, cli/ssh.go).
 * Where versions check different permissions for the same step ({@link #START}), each version's
 * permission is listed in {@link #needs()}: all of them make it work on every version, any one
 * on some.
 */
public enum Capability {
    WHO_AM_I("who-am-i", "GET /api/v2/users/me", List.of("user:read"),
            "the signed-in user's name is unknown (status and doctor show none; HTTP 404)"),
    WORKSPACE_LOOKUP("workspace-lookup", "GET /api/v2/users/{owner}/workspace/{name}",
            List.of("workspace:read", "template:read"), "no workspace can be found, so no connection works"),
    CONNECT("connect", "GET /api/v2/workspaceagents/{id}/coordinate", List.of("workspace:ssh"),
            "the Coder CLI cannot connect to the agent (HTTP 404 on coordinate)"),
    START("start", "POST /api/v2/workspaces/{id}/builds", List.of("workspace:start", "workspace:update"),
            "a stopped workspace is not started (newest servers check workspace:start, older ones workspace:update)"),
    START_OUTDATED("start-outdated", "POST /api/v2/workspaces/{id}/builds (active version)", List.of("workspace:create"),
            "a stopped workspace whose template requires the active version cannot be started"),
    UNDORMANT("undormant", "PUT /api/v2/workspaces/{id}/dormant", List.of("workspace:update"),
            "a dormant workspace cannot be woken up"),
    ACTIVITY_REPORT("activity-report", "POST /api/v2/workspaces/{id}/usage", List.of("workspace:update"),
            "sessions are not recorded as use: the workspace's last_used_at (which dormancy reads) and usage insights miss them"),
    EXTERNAL_AUTH("external-auth", "GET /api/v2/templateversions/{id}/external-auth", List.of("user:read_personal"),
            "starting a workspace whose template uses external auth fails");

    private final String id;
    private final String call;
    private final List<String> needs;
    private final String withoutIt;

    Capability(String id, String call, List<String> needs, String withoutIt) {
        this.id = id;
        this.call = call;
        this.needs = needs;
        this.withoutIt = withoutIt;
    }

    /** A stable machine-friendly name, e.g. {@code activity-report}. */
    public String id() {
        return id;
    }

    /** The API call this capability stands for, as a person reads it. */
    public String call() {
        return call;
    }

    /** Low-level permissions ({@code resource:action}) the call is checked against. */
    public List<String> needs() {
        return needs;
    }

    /** What stops working when the capability is missing: one clause, no trailing period. */
    public String withoutIt() {
        return withoutIt;
    }

    /** True when {@code permissions} (already expanded, see {@link ScopeCatalog#expand}) cover this step everywhere. */
    public boolean grantedBy(Set<String> permissions) {
        return permissions.contains(ScopeCatalog.ALL) || permissions.containsAll(needs);
    }

    /** True when {@code permissions} cover this step on at least one version. */
    boolean grantedSomewhereBy(Set<String> permissions) {
        if (this != START) {
            return grantedBy(permissions);
        }
        for (String n : needs) {
            if (permissions.contains(n) || permissions.contains(ScopeCatalog.ALL)) {
                return true;
            }
        }
        return false;
    }
}
