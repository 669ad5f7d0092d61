package dev.coderssh.realcoder;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Seeds a fresh deployment through its API: the first user (trial off: a trial would call Coder's
 * licensing service), then per workspace a template of its own whose echo responses carry that
 * workspace's agent tokens (an agent token must be a UUID, and one per agent: a template shared
 * by two workspaces would give both the same agents' tokens).
 */
final class Seed {
  /** name, agents, running: as the sandbox seeds demo/dev, demo/multi and demo/stopped. */
  record Spec(String name, List<String> agents, boolean running) {
  }

  record Planned(Deployment.Workspace workspace, Map<String, String> agentTokens) {
  }

  static final List<Spec> SANDBOX_LIKE = List.of(
      new Spec("dev", List.of("main"), true),
      new Spec("multi", List.of("main", "gpu"), true),
      new Spec("stopped", List.of("main"), false));

  static final String PASSWORD = "Real-coder-test-pw-1";
  private final String url;
  private final Build build;

  Seed(String url, Build build) {
    this.url = url;
    this.build = build;
  }

  Deployment.Owner firstUser() throws IOException {
    Api anon = new Api(url);
    String email = "owner@example.com";
    anon.post("/api/v2/users/first", Map.of("email", email, "username", "owner", "name", "Owner",
        "password", PASSWORD, "trial", false)).ok();
    String token = anon.post("/api/v2/users/login", Map.of("email", email, "password", PASSWORD)).ok()
        .get("session_token").asText();
    JsonNode me = new Api(url).withToken(token).get("/api/v2/users/me").ok();
    return new Deployment.Owner(email, "owner", PASSWORD, token, me.get("id").asText(),
        me.get("organization_ids").get(0).asText());
  }

  /** Creates the templates and workspaces; their first builds run on the echo provisioners. */
  List<Planned> workspaces(Deployment.Owner owner, List<Spec> specs) throws IOException, InterruptedException {
    Api api = new Api(url).withToken(owner.sessionToken());
    List<Planned> planned = new ArrayList<>();
    Map<Spec, String> versions = new LinkedHashMap<>();
    Map<Spec, Map<String, String>> tokens = new LinkedHashMap<>();
    for (Spec s : specs) {
      Map<String, String> t = new LinkedHashMap<>();
      s.agents().forEach(a -> t.put(a, UUID.randomUUID().toString()));
      tokens.put(s, t);
      byte[] tar = templateTar(s.agents(), List.copyOf(t.values()));
      String hash = api.postBytes("/api/v2/files", "application/x-tar", tar).ok().get("hash").asText();
      String version = api.post("/api/v2/organizations/" + owner.organizationId() + "/templateversions",
          Map.of("storage_method", "file", "file_id", hash, "provisioner", "echo")).ok().get("id").asText();
      versions.put(s, version);
    }
    for (Map.Entry<Spec, String> v : versions.entrySet()) {
      awaitJob(api, "/api/v2/templateversions/" + v.getValue(), n -> n.get("job"));
      String template = api.post("/api/v2/organizations/" + owner.organizationId() + "/templates",
          Map.of("name", "tpl-" + v.getKey().name(), "template_version_id", v.getValue())).ok().get("id").asText();
      JsonNode ws = api.post("/api/v2/users/me/workspaces",
          Map.of("name", v.getKey().name(), "template_id", template)).ok();
      planned.add(new Planned(new Deployment.Workspace(v.getKey().name(), ws.get("id").asText(), v.getKey().agents(),
          v.getKey().running()), tokens.get(v.getKey())));
    }
    for (Planned p : planned) {
      awaitJob(api, "/api/v2/workspaces/" + p.workspace().id(), n -> n.get("latest_build").get("job"));
    }
    return planned;
  }

  /** Waits until every agent of every running workspace is connected. */
  void awaitAgents(Deployment.Owner owner, Collection<Deployment.Workspace> workspaces)
      throws IOException, InterruptedException {
    Api api = new Api(url).withToken(owner.sessionToken());
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    for (Deployment.Workspace w : workspaces) {
      while (!allConnected(api.get("/api/v2/workspaces/" + w.id()).ok())) {
        if (System.nanoTime() > deadline) {
          throw new IOException("the agents of workspace " + w.name() + " did not connect within 2 minutes");
        }
        Thread.sleep(250);
      }
    }
  }

  /** A stop build; its agent processes keep running and reconnect when a start rebuilds it. */
  void stop(Deployment.Owner owner, Deployment.Workspace w) throws IOException, InterruptedException {
    Api api = new Api(url).withToken(owner.sessionToken());
    api.post("/api/v2/workspaces/" + w.id() + "/builds", Map.of("transition", "stop")).ok();
    awaitJob(api, "/api/v2/workspaces/" + w.id(), n -> n.get("latest_build").get("job"));
  }

  private static boolean allConnected(JsonNode ws) {
    int agents = 0;
    for (JsonNode r : ws.get("latest_build").get("resources")) {
      for (JsonNode a : r.path("agents")) {
        agents++;
        if (!"connected".equals(a.get("status").asText())) {
          return false;
        }
      }
    }
    return agents > 0;
  }

  private static void awaitJob(Api api, String path, java.util.function.Function<JsonNode, JsonNode> job)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (true) {
      JsonNode j = job.apply(api.get(path).ok());
      String status = j.get("status").asText();
      switch (status) {
        case "succeeded" -> {
          return;
        }
        case "failed", "canceled" -> throw new IOException("provisioner job for " + path + " " + status + ": "
            + j.path("error").asText());
        default -> {
          if (System.nanoTime() > deadline) {
            throw new IOException("provisioner job for " + path + " still " + status + " after 2 minutes");
          }
          Thread.sleep(200);
        }
      }
    }
  }

  private byte[] templateTar(List<String> agents, List<String> tokens) throws IOException {
    Process p = new ProcessBuilder(build.templateTar().toString(), "-agents", String.join(",", agents),
        "-tokens", String.join(",", tokens)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    p.getOutputStream().close();
    byte[] tar = p.getInputStream().readAllBytes();
    try {
      if (p.waitFor() != 0) {
        throw new IOException("templatetar exited " + p.exitValue());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted writing the template", e);
    }
    return tar;
  }
}
