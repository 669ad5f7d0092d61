package dev.coderssh.sandbox.cli;

import java.io.IOException;
import java.util.Map;

/**
 * What {@code coder ssh} does for a stopped workspace (cli/start.go): leave dormancy, read the
 * build's parameters and the template version's, then start; a 403 means the template requires
 * the active version, so it retries with that version after a dry-run (which needs
 * workspace:create); a 409 means a build already runs.
 */
final class Autostart {
  private final CliHttp http;

  Autostart(CliHttp http) {
    this.http = http;
  }

  /** The id of the build to wait for. */
  String start(Map<String, Object> ws) throws IOException {
    String id = MiniJson.str(ws.get("id"));
    Map<String, Object> build = MiniJson.obj(ws.get("latest_build"));
    if (ws.get("dormant_at") != null) {
      need(http.put("/api/v2/workspaces/" + id + "/dormant", "{\"dormant\":false}"), "activate workspace");
    }
    need(http.get("/api/v2/workspacebuilds/" + MiniJson.str(build.get("id")) + "/parameters"),
        "get workspace build parameters");
    String version = MiniJson.str(build.get("template_version_id"));
    parameters(version);
    CliHttp.Response r = http.post("/api/v2/workspaces/" + id + "/builds", "{\"transition\":\"start\"}");
    if (r.status() == 403) {
      String active = MiniJson.str(ws.get("template_active_version_id"));
      parameters(active);
      CliHttp.Response dry = http.post("/api/v2/templateversions/" + active + "/dry-run",
          "{\"workspace_id\":\"" + id + "\"}");
      if (dry.status() != 201) {
        throw new CoderCli.CliError("Unable to start the workspace with the template's active version: "
            + SshCommand.message(dry));
      }
      r = http.post("/api/v2/workspaces/" + id + "/builds",
          "{\"transition\":\"start\",\"template_version_id\":\"" + active + "\"}");
    }
    if (r.status() == 409) {
      return MiniJson.str(build.get("id"));
    }
    if (r.status() != 201) {
      throw new CoderCli.CliError("Unable to start the workspace: " + SshCommand.message(r));
    }
    return MiniJson.str(r.json().get("id"));
  }

  private void parameters(String version) throws IOException {
    need(http.get("/api/v2/templateversions/" + version + "/rich-parameters"), "get template version parameters");
    need(http.get("/api/v2/templateversions/" + version + "/external-auth"), "get template version external auth");
  }

  private static void need(CliHttp.Response r, String what) throws CoderCli.CliError {
    if (r.status() != 200) {
      throw new CoderCli.CliError(what + ": " + SshCommand.message(r));
    }
  }
}
