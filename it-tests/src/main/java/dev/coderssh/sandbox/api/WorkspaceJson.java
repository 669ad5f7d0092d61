package dev.coderssh.sandbox.api;

import dev.coderssh.sandbox.state.Agent;
import dev.coderssh.sandbox.state.Build;
import dev.coderssh.sandbox.state.User;
import dev.coderssh.sandbox.state.Workspace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The codersdk JSON shapes of users, workspaces, builds and agents (the fields clients read). */
final class WorkspaceJson {
  static final String ORG_ID = "00000000-0000-4000-8000-000000000001";

  private WorkspaceJson() {
  }

  static Map<String, Object> user(User u) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", u.id());
    m.put("username", u.username());
    m.put("email", u.email());
    m.put("name", u.name());
    m.put("status", "active");
    m.put("login_type", "password");
    m.put("organization_ids", List.of(ORG_ID));
    List<Map<String, Object>> roles = new ArrayList<>();
    for (String r : u.roles()) {
      roles.add(Map.of("name", r, "display_name", r));
    }
    m.put("roles", roles);
    return m;
  }

  static Map<String, Object> workspace(Workspace ws) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", ws.id());
    m.put("owner_id", ws.owner().id());
    m.put("owner_name", ws.owner().username());
    m.put("organization_id", ORG_ID);
    m.put("template_id", TemplateVersions.templateId(ws.template()));
    m.put("template_active_version_id", TemplateVersions.active(ws.template()));
    m.put("template_require_active_version", ws.requiresActiveVersion());
    m.put("template_name", ws.template());
    m.put("template_display_name", ws.template());
    m.put("name", ws.name());
    m.put("outdated", ws.outdated());
    m.put("dormant_at", ws.dormant() ? ws.latestBuild().createdAt().toString() : null);
    m.put("last_used_at", ws.lastUsedAt() == null ? null : ws.lastUsedAt().toString());
    m.put("latest_build", build(ws, ws.latestBuild()));
    m.put("health", Map.of("healthy", true, "failing_agents", List.of()));
    return m;
  }

  static Map<String, Object> build(Workspace ws, Build b) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", b.id());
    m.put("build_number", b.number());
    m.put("workspace_id", ws.id());
    m.put("workspace_name", ws.name());
    m.put("workspace_owner_name", ws.owner().username());
    m.put("template_version_id", TemplateVersions.current(ws));
    m.put("transition", b.transition());
    m.put("status", b.status());
    m.put("created_at", b.createdAt().toString());
    m.put("job", Map.of("id", b.id(), "status", b.jobStatus()));
    List<Map<String, Object>> agents = new ArrayList<>();
    for (Agent a : ws.agents()) {
      agents.add(agent(a));
    }
    Map<String, Object> resource = new LinkedHashMap<>();
    resource.put("id", UUID.nameUUIDFromBytes(ws.id().getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString());
    resource.put("name", "workspace");
    resource.put("type", "docker_container");
    resource.put("agents", agents);
    m.put("resources", List.of(resource));
    return m;
  }

  static Map<String, Object> agent(Agent a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", a.id());
    m.put("name", a.name());
    m.put("status", a.status());
    m.put("lifecycle_state", a.lifecycle());
    m.put("operating_system", "linux");
    m.put("architecture", "amd64");
    return m;
  }
}
