package dev.coderssh.core.api;

import java.util.List;

/**
 * The Coder REST API as this client uses it. Implementations authenticate with a fresh access token
 * (header {@code Coder-Session-Token}) and, on a 401 for a token that looked fresh, refresh once and
 * retry once. Errors surface as {@link dev.coderssh.core.CoderSshException} with coderd's message:
 * 401 -> AUTH_REQUIRED, 403 -> FAILURE naming the missing scope when known, 404 -> NOT_FOUND.
 */
public interface CoderApi {
    BuildInfo buildInfo();

    User me();

    /** {@code GET /api/v2/users/{owner}/workspace/{name}}; owner "me" for the signed-in user. */
    Workspace workspace(String owner, String name);

    /** {@code GET /api/v2/workspaces?q=...}, e.g. {@code owner:me}; all pages. */
    List<Workspace> workspaces(String query);

    /** {@code POST /api/v2/workspaces/{id}/builds {"transition":"start"}}; 409 when a build runs. */
    void startWorkspace(String workspaceId);

    DeploymentSsh deploymentSsh();
}
