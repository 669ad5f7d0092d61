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
        // Raw: lookups need the real names; doctor's report escapes every line it prints.
        return new ProbeTarget(JsonFields.string(workspace, "id"), JsonFields.string(workspace, "owner_name"),
                JsonFields.string(workspace, "name"), status, version, agent);
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
