package dev.coderssh.core.api;

/**
 * {@code GET /api/v2/buildinfo} (no auth): "is this Coder, and which version". It says nothing
 * about the OAuth2 provider (real buildinfo has no such field): that is learnt from the RFC 8414
 * metadata document alone.
 */
public record BuildInfo(String version, String dashboardUrl) {
}
