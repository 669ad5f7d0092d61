package dev.coderssh.sandbox.state;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Coder's API key scope catalogue: special, composite and low-level {@code resource:action} names. */
public final class Scopes {
  public static final String ALL = "coder:all";
  private static final Set<String> LOW_LEVEL = new LinkedHashSet<>();
  private static final Map<String, List<String>> COMPOSITE = new LinkedHashMap<>();
  private static final Map<String, String> ALIASES = Map.of(
      "all", ALL, "application_connect", "coder:application_connect");

  static {
    resource("workspace", "read", "create", "update", "delete", "ssh", "start", "stop", "application_connect");
    resource("template", "read", "create", "update", "delete", "use");
    resource("user", "read", "read_personal", "update_personal");
    resource("file", "read", "create");
    resource("api_key", "read", "create", "update", "delete");
    resource("organization", "read", "create", "update", "delete");
    resource("organization_member", "read", "create", "update", "delete");
    resource("deployment_config", "read");
    COMPOSITE.put("coder:application_connect", List.of("workspace:application_connect"));
    COMPOSITE.put("coder:workspaces.create",
        List.of("template:read", "template:use", "workspace:create", "workspace:update", "workspace:read"));
    // rbac/scopes_catalog.go: operate is read+update only; start and stop are their own scopes.
    COMPOSITE.put("coder:workspaces.operate", List.of("workspace:read", "workspace:update"));
    COMPOSITE.put("coder:workspaces.delete", List.of("workspace:read", "workspace:delete"));
    COMPOSITE.put("coder:workspaces.access", List.of("template:read", "organization_member:read",
        "workspace:read", "workspace:ssh", "workspace:application_connect"));
    COMPOSITE.put("coder:templates.build", List.of("template:read", "file:read", "file:create"));
    COMPOSITE.put("coder:templates.author", List.of("template:read", "template:create", "template:update",
        "template:delete", "template:use", "file:read", "file:create"));
    COMPOSITE.put("coder:apikeys.manage_self",
        List.of("api_key:read", "api_key:create", "api_key:update", "api_key:delete"));
  }

  private Scopes() {
  }

  private static void resource(String name, String... actions) {
    for (String action : actions) {
      LOW_LEVEL.add(name + ":" + action);
    }
    LOW_LEVEL.add(name + ":*");
  }

  /** Space separated, as in OAuth; null or blank gives an empty list. Order kept, duplicates dropped. */
  public static List<String> parse(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    return List.copyOf(new LinkedHashSet<>(Arrays.asList(value.trim().split("\\s+"))));
  }

  public static boolean known(String scope) {
    return ALL.equals(scope) || ALIASES.containsKey(scope) || COMPOSITE.containsKey(scope) || LOW_LEVEL.contains(scope);
  }

  public static List<String> unknown(Collection<String> scopes) {
    List<String> out = new ArrayList<>();
    for (String s : scopes) {
      if (!known(s)) {
        out.add(s);
      }
    }
    return out;
  }

  /** Every scope name the catalogue accepts, for metadata {@code scopes_supported}. */
  public static List<String> catalogue() {
    List<String> out = new ArrayList<>();
    out.add(ALL);
    out.addAll(COMPOSITE.keySet());
    out.addAll(LOW_LEVEL);
    return out;
  }

  /** Low-level permissions; {@code coder:all} expands to every one of them. */
  public static Set<String> expand(Collection<String> scopes) {
    Set<String> out = new LinkedHashSet<>();
    for (String raw : scopes) {
      String s = ALIASES.getOrDefault(raw, raw);
      if (ALL.equals(s)) {
        out.addAll(LOW_LEVEL);
      } else if (COMPOSITE.containsKey(s)) {
        out.addAll(COMPOSITE.get(s));
      } else if (LOW_LEVEL.contains(s)) {
        out.add(s);
      }
    }
    // resource:* grants every action on that resource.
    for (String s : List.copyOf(out)) {
      if (s.endsWith(":*")) {
        String prefix = s.substring(0, s.length() - 1);
        for (String l : LOW_LEVEL) {
          if (l.startsWith(prefix)) {
            out.add(l);
          }
        }
      }
    }
    return out;
  }

  public static boolean allows(Collection<String> granted, String permission) {
    return expand(granted).contains(permission);
  }

  /** Narrowing check: everything {@code requested} would grant is already granted by {@code ceiling}. */
  public static boolean within(Collection<String> requested, Collection<String> ceiling) {
    return expand(ceiling).containsAll(expand(requested));
  }
}
