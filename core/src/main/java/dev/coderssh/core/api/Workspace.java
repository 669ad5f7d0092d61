package dev.coderssh.core.api;

import java.util.List;

/**
 * A workspace as the API returns it, flattened to what SSH needs. {@code buildStatus} is the latest
 * build's status (pending, starting, running, stopping, stopped, failed, canceling, canceled,
 * deleting, deleted); {@code transition} is start, stop or delete.
 */
public record Workspace(String id, String name, String ownerName, String templateName, boolean outdated,
                        String transition, String buildStatus, List<WorkspaceAgent> agents) {
    public Workspace {
        agents = List.copyOf(agents);
    }
}
