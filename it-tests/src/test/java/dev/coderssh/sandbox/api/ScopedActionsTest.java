package dev.coderssh.sandbox.api;

import static dev.coderssh.sandbox.api.ApiTest.build;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.it.fixture.SandboxClient;
import dev.coderssh.it.fixture.SandboxExtension;
import dev.coderssh.sandbox.Profile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The permission of each call {@code coder ssh} makes around builds on a scope-enforcing server
 * (coder-ssh-and-config.md, "The API calls of one real coder ssh --stdio"), and the
 * require-active-version retry.
 */
class ScopedActionsTest {
  @RegisterExtension
  static final SandboxExtension SANDBOX = SandboxExtension.profile(Profile.CURRENT, o -> o);

  private static SandboxClient client() {
    return SANDBOX.client();
  }

  @Test
  void startNeedsWorkspaceStartWhichOperateDoesNotInclude() {
    var info = SANDBOX.sandbox().addWorkspace("demo", "needs-start", List.of("main"), false);
    String path = "/api/v2/workspaces/" + info.id() + "/builds";
    SandboxClient.Tokens update = client().login("coder:workspaces.access coder:workspaces.operate");
    assertThat(client().postJson(path, update.accessToken(), "{\"transition\":\"start\"}").statusCode())
        .isEqualTo(403);
    assertThat(client().stats().get("denied")).isEqualTo(Map.of("POST /api/v2/workspaces/{workspace}/builds", 1));
    SandboxClient.Tokens start = client().login("coder:workspaces.access workspace:start");
    assertThat(client().postJson(path, start.accessToken(), "{\"transition\":\"start\"}").statusCode())
        .isEqualTo(201);
  }

  @Test
  void theActivityReportNeedsWorkspaceUpdate() {
    String ws = workspaceId("dev");
    SandboxClient.Tokens access = client().login("coder:workspaces.access");
    assertThat(client().postJson("/api/v2/workspaces/" + ws + "/usage", access.accessToken(),
        "{\"app_name\":\"ssh\"}").statusCode()).isEqualTo(403);
    SandboxClient.Tokens operate = client().login("coder:workspaces.access coder:workspaces.operate");
    assertThat(client().postJson("/api/v2/workspaces/" + ws + "/usage", operate.accessToken(),
        "{\"app_name\":\"ssh\"}").statusCode()).isEqualTo(204);
    assertThat(client().stats()).containsEntry("usage_reports", 1)
        .containsEntry("denied", Map.of("POST /api/v2/workspaces/{workspace}/usage", 1));
    assertThat(SandboxClient.json(client().get("/api/v2/workspaces/" + ws, operate.accessToken()).body())
        .get("last_used_at")).isNotNull();
  }

  @Test
  void anOutdatedWorkspaceOfATemplateRequiringTheActiveVersionStartsOnlyOnThatVersionAfterADryRun() {
    String t = client().sessionToken();
    Map<String, Object> ws = SandboxClient.json(client().get("/api/v2/users/me/workspace/outdated", t).body());
    assertThat(ws).containsEntry("outdated", true).containsEntry("template_require_active_version", true);
    String active = (String) ws.get("template_active_version_id");
    assertThat(build(ws).get("template_version_id")).isNotEqualTo(active);
    String builds = "/api/v2/workspaces/" + ws.get("id") + "/builds";
    SandboxClient.Tokens noCreate = client().login("coder:workspaces.access workspace:start");
    assertThat(client().postJson(builds, noCreate.accessToken(), "{\"transition\":\"start\"}").statusCode())
        .isEqualTo(403);
    String dryRun = "/api/v2/templateversions/" + active + "/dry-run";
    assertThat(client().postJson(dryRun, noCreate.accessToken(), "{}").statusCode()).isEqualTo(403);
    SandboxClient.Tokens create = client().login("coder:workspaces.access workspace:start workspace:create");
    assertThat(client().postJson(dryRun, create.accessToken(), "{}").statusCode()).isEqualTo(201);
    assertThat(client().postJson(builds, create.accessToken(), "{\"transition\":\"start\",\"template_version_id\":\""
        + active + "\"}").statusCode()).isEqualTo(201);
    assertThat(SandboxClient.json(client().get("/api/v2/workspaces/" + ws.get("id"), t).body()))
        .containsEntry("outdated", false);
    // Only the dry-run was a permission refusal; the first 403 is the template's policy.
    assertThat(client().stats().get("denied"))
        .isEqualTo(Map.of("POST /api/v2/templateversions/{templateversion}/dry-run", 1));
  }

  @Test
  void templateVersionsNeedTemplateReadAndExternalAuthAlsoUserReadPersonal() {
    Map<String, Object> ws = SandboxClient.json(client().get("/api/v2/users/me/workspace/dev",
        client().sessionToken()).body());
    String version = "/api/v2/templateversions/" + build(ws).get("template_version_id");
    SandboxClient.Tokens readOnly = client().login("workspace:read");
    assertThat(client().get(version, readOnly.accessToken()).statusCode()).isEqualTo(404);
    SandboxClient.Tokens access = client().login("coder:workspaces.access");
    assertThat(client().get(version, access.accessToken()).statusCode()).isEqualTo(200);
    assertThat(client().get(version + "/external-auth", access.accessToken()).statusCode()).isEqualTo(403);
    SandboxClient.Tokens personal = client().login("coder:workspaces.access user:read_personal");
    assertThat(client().get(version + "/external-auth", personal.accessToken()).statusCode()).isEqualTo(200);
    assertThat(client().get("/api/v2/workspacebuilds/" + build(ws).get("id"), access.accessToken()).statusCode())
        .isEqualTo(200);
  }

  @Test
  void anotherUsersWorkspaceNeedsOrgMembershipWhichNoScopeGrants() {
    SandboxClient.Tokens access = client().login("coder:workspaces.access coder:workspaces.operate user:read");
    assertThat(client().get("/api/v2/users/alice/workspace/shared", access.accessToken()).statusCode())
        .isEqualTo(404);
    assertThat(client().get("/api/v2/users/alice/workspace/shared", client().sessionToken()).statusCode())
        .isEqualTo(200);
  }

  private static String workspaceId(String name) {
    return (String) SandboxClient.json(client().get("/api/v2/users/me/workspace/" + name, client().sessionToken())
        .body()).get("id");
  }
}
