package dev.coderssh.proxy.doctor;

import dev.coderssh.core.json.JsonFields;
import java.util.List;
import java.util.Map;

/**
 * The workspace the scope probes use, read from coderd's workspace JSON: its id (usage), owner and
 * name (lookup), the latest build's template version and an agent (null when the build has none,
 * as a stopped workspace's does).
 */
record ProbeTarget(String id, String owner, String name, String status, String templateVersionId, String agentId) {
    static ProbeTarget of(Map<String, Object> workspace) {
        Map<String, Object> build = JsonFields.object(workspace, "latest_build");
        String status = build == null ? null : JsonFields.string(build, "status");
        String version = build == null ? null : JsonFields.string(build, "template_version_id");
        String agent = null;
        if (build != null) {
            for (Map<String, Object> res : JsonFields.objects(build, "resources")) {
                for (Map<String, Object> a : JsonFields.objects(res, "agents")) {
                    // A connected agent is the one `coder ssh` would reach; any other still has an id to probe.
                    if (agent == null || "connected".equals(JsonFields.string(a, "status"))) {
                        agent = JsonFields.string(a, "id");
                    }
                }
            }
        }
        return new ProbeTarget(JsonFields.string(workspace, "id"), printable(JsonFields.string(workspace, "owner_name")),
                printable(JsonFields.string(workspace, "name")), printable(status), version, agent);
    }

    /** What the server named goes to a terminal: no control characters (escape sequences). */
    private static String printable(String s) {
        return s == null ? null : s.replaceAll("\\p{Cntrl}", "?");
    }

    /** The listed workspace the probes learn most from: a running one with an agent, else the first. */
    static ProbeTarget pick(List<Map<String, Object>> workspaces) {
        ProbeTarget first = null;
        for (Map<String, Object> w : workspaces) {
            ProbeTarget t = of(w);
            if (t.agentId() != null && "running".equals(t.status())) {
                return t;
            }
            first = first == null ? t : first;
        }
        return first;
    }

    String label() {
        return owner + "/" + name;
    }
}
