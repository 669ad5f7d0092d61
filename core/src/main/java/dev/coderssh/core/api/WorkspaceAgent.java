package dev.coderssh.core.api;

/**
 * An agent of a workspace's latest build. {@code status}: connecting, connected, disconnected,
 * timeout. {@code lifecycleState}: created, starting, ..., ready, ..., off.
 */
public record WorkspaceAgent(String id, String name, String status, String lifecycleState, String operatingSystem) {
}
