package dev.coderssh.core.store;

/**
 * This installation's OAuth client at one deployment: from RFC 7591 dynamic registration
 * ({@code source} "dcr", with the RFC 7592 management token) or given by an admin ("manual").
 * Kept apart from the credentials so {@code logout} keeps it and the next login reuses it: at
 * Coder a new client per login would leave a trail of apps, and sharing one across machines makes
 * them sign each other out.
 *
 * <p>{@code redirectUri} is the one loopback callback the server knows for this client, when it
 * is fixed: an admin-created app's callback URL ({@code --callback-port}, {@code --redirect-uri}),
 * or the exact URI last registered for this installation's own client. Servers that compare the
 * redirect's port need the browser to come back there; null means any loopback port.
 */
public record ClientRegistration(String url, String source, String clientId, String clientSecret, String authMethod,
                                 String registrationAccessToken, String registrationClientUri, String scope,
                                 String redirectUri) {
    public static final String DCR = "dcr";
    public static final String MANUAL = "manual";

    public ClientRegistration {
        if (clientId == null || clientId.isEmpty()) {
            throw new IllegalArgumentException("client registration without client_id");
        }
        if (!DCR.equals(source) && !MANUAL.equals(source)) {
            throw new IllegalArgumentException("unknown client source");
        }
        if (authMethod == null) {
            authMethod = clientSecret == null ? "none" : "client_secret_basic";
        }
        scope = scope == null ? "" : scope;
    }

    /** A client with no fixed redirect URI. */
    public ClientRegistration(String url, String source, String clientId, String clientSecret, String authMethod,
                              String registrationAccessToken, String registrationClientUri, String scope) {
        this(url, source, clientId, clientSecret, authMethod, registrationAccessToken, registrationClientUri, scope, null);
    }

    /** This registration pointing at {@code uri} (after an RFC 7592 update, or a new fixed port). */
    public ClientRegistration withRedirectUri(String uri) {
        return new ClientRegistration(url, source, clientId, clientSecret, authMethod, registrationAccessToken,
                registrationClientUri, scope, uri);
    }

    @Override
    public String toString() {
        return "ClientRegistration[url=" + url + ", source=" + source + ", clientId=" + clientId
                + ", clientSecret=<redacted>, authMethod=" + authMethod + ", registrationAccessToken=<redacted>, redirectUri="
                + redirectUri + "]";
    }
}
