package dev.coderssh.core.api;

/** {@code GET /api/v2/buildinfo} (no auth): the fields this client uses. */
public record BuildInfo(String version, boolean oauth2Provider, String dashboardUrl) {
}
