package dev.coderssh.core.api;

/** {@code GET /api/v2/users/me}. */
public record User(String id, String username, String email, String name) {
}
