package dev.coderssh.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.it.fixture.SandboxClient;
import dev.coderssh.it.fixture.SandboxExtension;
import dev.coderssh.sandbox.Profile;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The API slice: token sources, expiry, scope checks, workspace shapes, builds. */
class ApiTest {
  @RegisterExtension
  static final SandboxExtension SANDBOX = SandboxExtension.profile(Profile.CURRENT, o -> o.withExtraWorkspaces(3));

  private SandboxClient client() {
    return SANDBOX.client();
  }

  @Test
  void theTokenIsReadFromEachPlaceCoderdReadsIt() {
    String t = client().sessionToken();
    String url = SANDBOX.url() + "/api/v2/users/me";
    assertThat(status(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + t))).isEqualTo(200);
    assertThat(status(HttpRequest.newBuilder(URI.create(url)).header("Cookie", "coder_session_token=" + t)))
        .isEqualTo(200);
    assertThat(status(HttpRequest.newBuilder(URI.create(url + "?coder_session_token=" + t)))).isEqualTo(200);
    assertThat(status(HttpRequest.newBuilder(URI.create(url + "?access_token=" + t)))).isEqualTo(200);
    assertThat(client().get("/api/v2/users/me", t).statusCode()).isEqualTo(200);
  }

  @Test
  void missingUnknownAndExpiredTokensAre401InCoderdsShape() {
    HttpResponse<String> none = client().get("/api/v2/users/me", null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(SandboxClient.json(none.body())).containsKeys("message", "detail");
    assertThat(client().get("/api/v2/users/me", "abcdefghij-abcdefghijabcdefghijab").statusCode()).isEqualTo(401);
    assertThat(client().get("/api/v2/users/me", "garbage").statusCode()).isEqualTo(401);
    SandboxClient.Tokens t = client().login(null);
    SANDBOX.sandbox().expireTokens("demo", true, false);
    HttpResponse<String> expired = client().get("/api/v2/users/me", t.accessToken());
    assertThat(expired.statusCode()).isEqualTo(401);
    assertThat((String) SandboxClient.json(expired.body()).get("detail")).contains("expired");
    // The refresh token is still good and mints a working access token.
    assertThat(client().get("/api/v2/users/me", client().refresh(t).accessToken()).statusCode()).isEqualTo(200);
  }

  @Test
  void scopesAreEnforcedLikeCoderd() {
    SandboxClient.Tokens access = client().login("coder:workspaces.access");
    // users/me needs user:read, and a refusal there is 404 (httpmw extractUserContext).
    assertThat(client().get("/api/v2/users/me", access.accessToken()).statusCode()).isEqualTo(404);
    HttpResponse<String> ws = client().get("/api/v2/users/me/workspace/dev", access.accessToken());
    assertThat(ws.statusCode()).isEqualTo(200);
    String agentId = agentIds(SandboxClient.json(ws.body())).get(0);
    HttpResponse<String> conn = client().get("/api/v2/workspaceagents/" + agentId + "/connection", access.accessToken());
    assertThat(conn.statusCode()).isEqualTo(200);
    assertThat((String) SandboxClient.json(conn.body()).get("sandbox_ssh_address")).startsWith("127.0.0.1:");
    String wsId = (String) SandboxClient.json(ws.body()).get("id");
    assertThat(client().postJson("/api/v2/workspaces/" + wsId + "/builds", access.accessToken(),
        "{\"transition\":\"start\"}").statusCode()).isEqualTo(403);

    assertThat(client().get("/api/v2/workspaceagents/" + agentId + "/coordinate", access.accessToken()).statusCode())
        .isEqualTo(200);

    SandboxClient.Tokens readOnly = client().login("workspace:read");
    HttpResponse<String> conn2 = client().get("/api/v2/workspaceagents/" + agentId + "/connection",
        readOnly.accessToken());
    assertThat(conn2.statusCode()).isEqualTo(200);
    assertThat(SandboxClient.json(conn2.body())).doesNotContainKey("sandbox_ssh_address");
    // The coordinate websocket checks workspace:ssh and hides the agent without it.
    HttpResponse<String> noSsh = client().get("/api/v2/workspaceagents/" + agentId + "/coordinate",
        readOnly.accessToken());
    assertThat(noSsh.statusCode()).isEqualTo(404);

    SandboxClient.Tokens personal = client().login("user:read_personal");
    assertThat(client().get("/api/v2/users/me", personal.accessToken()).statusCode()).isEqualTo(404);
    SandboxClient.Tokens userOnly = client().login("user:read");
    assertThat(client().get("/api/v2/users/me", userOnly.accessToken()).statusCode()).isEqualTo(200);
    assertThat(client().get("/api/v2/users/me/workspace/dev", userOnly.accessToken()).statusCode()).isEqualTo(404);
    assertThat(client().stats().get("denied")).isEqualTo(Map.of("GET /api/v2/users/{user}", 2,
        "POST /api/v2/workspaces/{workspace}/builds", 1,
        "GET /api/v2/workspaceagents/{workspaceagent}/coordinate", 1,
        "GET /api/v2/users/{user}/workspace/{workspacename}", 1));
  }

  @Test
  void workspacesHaveTheDocumentedShapeAndListing() {
    String t = client().sessionToken();
    Map<String, Object> multi = SandboxClient.json(client().get("/api/v2/users/demo/workspace/multi", t).body());
    assertThat(multi).containsKeys("id", "name", "owner_name", "template_name", "outdated", "latest_build");
    assertThat(agentNames(multi)).containsExactly("main", "gpu");
    Map<String, Object> mine = SandboxClient.json(client().get("/api/v2/workspaces?q=owner:me", t).body());
    // Other tests of this class add workspaces of demo's, so: the seed is there, alice's is not.
    assertThat(names(mine)).contains("dev", "multi", "stopped", "outdated", "ws-0001", "ws-0002", "ws-0003")
        .doesNotContain("shared").hasSize((Integer) mine.get("count"));
    Map<String, Object> all = SandboxClient.json(client().get("/api/v2/workspaces?q=owner:all", t).body());
    assertThat(names(all)).contains("shared").hasSize((Integer) mine.get("count") + 1);
    Map<String, Object> page = SandboxClient.json(client().get("/api/v2/workspaces?limit=2&offset=1", t).body());
    assertThat(names(page)).hasSize(2);
    assertThat(page.get("count")).isEqualTo(all.get("count"));
    assertThat(SandboxClient.json(client().get("/api/v2/users/alice/workspace/shared", t).body()))
        .containsEntry("owner_name", "alice");
    assertThat(client().get("/api/v2/users/me/workspace/nope", t).statusCode()).isEqualTo(404);
    assertThat(SandboxClient.json(client().get("/api/v2/deployment/ssh", t).body()))
        .containsEntry("hostname_prefix", "coder.").containsEntry("hostname_suffix", "coder")
        .containsEntry("ssh_config_options", Map.of());
  }

  @Test
  void startingAStoppedWorkspaceBuildsThenBringsTheAgentUpAnd409sMeanwhile() throws Exception {
    String t = client().sessionToken();
    SANDBOX.sandbox().addWorkspace("demo", "tostart", List.of("main"), false);
    Map<String, Object> ws = SandboxClient.json(client().get("/api/v2/users/me/workspace/tostart", t).body());
    assertThat(build(ws)).containsEntry("status", "stopped");
    String agentId = agentIds(ws).get(0);
    assertThat(SandboxClient.json(client().get("/api/v2/workspaceagents/" + agentId + "/connection", t)
        .body())).doesNotContainKey("sandbox_ssh_address");
    String path = "/api/v2/workspaces/" + ws.get("id") + "/builds";
    HttpResponse<String> start = client().postJson(path, t, "{\"transition\":\"start\"}");
    assertThat(start.statusCode()).isEqualTo(201);
    assertThat(SandboxClient.json(start.body())).containsEntry("status", "starting");
    assertThat(client().postJson(path, t, "{\"transition\":\"start\"}").statusCode()).isEqualTo(409);
    Map<String, Object> now;
    int polls = 0;
    do {
      Thread.sleep(50);
      now = SandboxClient.json(client().get("/api/v2/workspaces/" + ws.get("id"), t).body());
      // a guard against a build that never ends, not a timing assertion
      assertThat(++polls).as("build never finished").isLessThan(2000);
    } while (!"running".equals(build(now).get("status")));
    assertThat(agents(now).get(0)).containsEntry("status", "connected").containsEntry("lifecycle_state", "ready");
    assertThat(SandboxClient.json(client().get("/api/v2/workspaceagents/" + agentId + "/connection", t)
        .body())).containsKey("sandbox_ssh_address");
    assertThat(client().stats()).containsEntry("builds_started", 1);
  }

  @Test
  void stoppingTakesTheAgentAway() throws Exception {
    String t = client().sessionToken();
    var info = SANDBOX.sandbox().addWorkspace("demo", "tostop", List.of("main"), true);
    String agentPath = "/api/v2/workspaceagents/" + info.agentIds().get(0) + "/connection";
    assertThat(SandboxClient.json(client().get(agentPath, t).body())).containsKey("sandbox_ssh_address");
    SandboxClient.Tokens noStop = client().login("coder:workspaces.access");
    assertThat(client().postJson("/api/v2/workspaces/" + info.id() + "/builds", noStop.accessToken(),
        "{\"transition\":\"stop\"}").statusCode()).isEqualTo(403);
    assertThat(client().postJson("/api/v2/workspaces/" + info.id() + "/builds", t, "{\"transition\":\"stop\"}")
        .statusCode()).isEqualTo(201);
    Map<String, Object> now;
    int polls = 0;
    do {
      Thread.sleep(50);
      now = SandboxClient.json(client().get("/api/v2/workspaces/" + info.id(), t).body());
      assertThat(++polls).as("build never finished").isLessThan(2000);
    } while (!"stopped".equals(build(now).get("status")));
    assertThat(agents(now).get(0)).containsEntry("status", "disconnected");
    assertThat(SandboxClient.json(client().get(agentPath, t).body())).doesNotContainKey("sandbox_ssh_address");
  }

  private int status(HttpRequest.Builder b) {
    return client().send(b.GET().build()).statusCode();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> build(Map<String, Object> ws) {
    return (Map<String, Object>) ws.get("latest_build");
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> agents(Map<String, Object> ws) {
    List<Map<String, Object>> resources = (List<Map<String, Object>>) build(ws).get("resources");
    return (List<Map<String, Object>>) resources.get(0).get("agents");
  }

  @SuppressWarnings("unchecked")
  static List<String> names(Map<String, Object> list) {
    return ((List<Map<String, Object>>) list.get("workspaces")).stream().map(w -> (String) w.get("name")).toList();
  }

  static List<String> agentIds(Map<String, Object> ws) {
    return agents(ws).stream().map(a -> (String) a.get("id")).toList();
  }

  static List<String> agentNames(Map<String, Object> ws) {
    return agents(ws).stream().map(a -> (String) a.get("name")).toList();
  }
}
