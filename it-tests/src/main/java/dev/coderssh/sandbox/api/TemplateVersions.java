package dev.coderssh.sandbox.api;

import dev.coderssh.sandbox.state.Workspace;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Each template has two versions, stable ids derived from its name: the active one and an older
 * one that outdated workspaces were built from.
 */
final class TemplateVersions {
  private static final String[] TEMPLATES = {"docker", "strict"};

  private TemplateVersions() {
  }

  static String templateId(String template) {
    return uuid(template);
  }

  static String active(String template) {
    return uuid(template + "@active");
  }

  static String old(String template) {
    return uuid(template + "@old");
  }

  /** The version the workspace's latest build used. */
  static String current(Workspace ws) {
    return ws.outdated() ? old(ws.template()) : active(ws.template());
  }

  /** The template a version id belongs to, or null. */
  static String template(String versionId) {
    for (String t : TEMPLATES) {
      if (active(t).equals(versionId) || old(t).equals(versionId)) {
        return t;
      }
    }
    return null;
  }

  static Map<String, Object> json(String id, String template) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("template_id", templateId(template));
    m.put("name", active(template).equals(id) ? "active" : "old");
    m.put("job", Map.of("status", "succeeded"));
    m.put("warnings", java.util.List.of());
    return m;
  }

  private static String uuid(String s) {
    return UUID.nameUUIDFromBytes(s.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
