package dev.coderssh.sandbox.api;

/** The API routes the sandbox serves, as coderd's chi templates (the keys of the stats' denied map). */
final class Routes {
  static final String APPEARANCE = "/api/v2/appearance";
  static final String DEPLOYMENT_SSH = "/api/v2/deployment/ssh";
  static final String USER = "/api/v2/users/{user}";
  static final String USER_WORKSPACE = "/api/v2/users/{user}/workspace/{workspacename}";
  static final String USER_KEY = "/api/v2/users/{user}/keys/{keyid}";
  static final String WORKSPACES = "/api/v2/workspaces";
  static final String WORKSPACE = "/api/v2/workspaces/{workspace}";
  static final String BUILDS = "/api/v2/workspaces/{workspace}/builds";
  static final String USAGE = "/api/v2/workspaces/{workspace}/usage";
  static final String DORMANT = "/api/v2/workspaces/{workspace}/dormant";
  static final String BUILD = "/api/v2/workspacebuilds/{workspacebuild}";
  static final String BUILD_PARAMETERS = "/api/v2/workspacebuilds/{workspacebuild}/parameters";
  static final String VERSION = "/api/v2/templateversions/{templateversion}";
  static final String RICH_PARAMETERS = "/api/v2/templateversions/{templateversion}/rich-parameters";
  static final String EXTERNAL_AUTH = "/api/v2/templateversions/{templateversion}/external-auth";
  static final String DRY_RUN = "/api/v2/templateversions/{templateversion}/dry-run";
  static final String AGENT = "/api/v2/workspaceagents/{workspaceagent}";
  static final String CONNECTION = "/api/v2/workspaceagents/{workspaceagent}/connection";
  static final String COORDINATE = "/api/v2/workspaceagents/{workspaceagent}/coordinate";

  private Routes() {
  }

  /** The template of {@code /api/v2/...} split on '/', or null for a route the sandbox lacks. */
  static String template(String[] p) {
    String head = p[2];
    if (p.length == 3) {
      return head.equals("appearance") ? APPEARANCE : head.equals("workspaces") ? WORKSPACES : null;
    }
    String tail = p.length == 5 ? p[4] : null;
    return switch (head) {
      case "deployment" -> p.length == 4 && p[3].equals("ssh") ? DEPLOYMENT_SSH : null;
      case "users" -> p.length == 4 ? USER : p.length == 6 && p[4].equals("workspace") ? USER_WORKSPACE
          : p.length == 6 && p[4].equals("keys") ? USER_KEY : null;
      case "workspaces" -> p.length == 4 ? WORKSPACE : pick(tail, "builds", BUILDS, "usage", USAGE, "dormant", DORMANT);
      case "workspacebuilds" -> p.length == 4 ? BUILD : pick(tail, "parameters", BUILD_PARAMETERS);
      case "templateversions" -> p.length == 4 ? VERSION
          : pick(tail, "rich-parameters", RICH_PARAMETERS, "external-auth", EXTERNAL_AUTH, "dry-run", DRY_RUN);
      case "workspaceagents" -> p.length == 4 ? AGENT
          : pick(tail, "connection", CONNECTION, "coordinate", COORDINATE);
      default -> null;
    };
  }

  static String method(String template) {
    return switch (template) {
      case BUILDS, USAGE, DRY_RUN -> "POST";
      case DORMANT -> "PUT";
      default -> "GET";
    };
  }

  private static String pick(String tail, String... pairs) {
    for (int i = 0; tail != null && i < pairs.length; i += 2) {
      if (pairs[i].equals(tail)) {
        return pairs[i + 1];
      }
    }
    return null;
  }
}
