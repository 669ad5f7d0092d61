package dev.coderssh.core.oauth;

import com.nimbusds.oauth2.sdk.ErrorObject;
import dev.coderssh.core.http.HttpResponse;
import dev.coderssh.core.json.Json;
import dev.coderssh.core.json.JsonFields;
import dev.coderssh.core.store.ClientRegistration;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;

/**
 * Registration answers (RFC 7591 section 3.2, RFC 7592 section 2.2), read for the members we use,
 * and error objects (RFC 6749 5.2, RFC 7591 3.2.2) read by the SDK; every failure is a one-line
 * reason.
 */
final class SdkResponses {
    private SdkResponses() {
    }

    /** Thrown with a reason fit for a message (no server content beyond a cleaned code). */
    static final class Unusable extends Exception {
        private static final long serialVersionUID = 1L;

        Unusable(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The OAuth error in a failed answer: " code: description", or "" when it names none. */
    static String error(HttpResponse r) {
        ErrorObject e = ErrorObject.parse(NimbusHttp.toNimbus(r));
        String code = e.getCode();
        String desc = e.getDescription();
        return (code == null ? "" : " " + OAuthClient.clean(code)) + (desc == null ? "" : ": " + OAuthClient.clean(desc));
    }

    /** A new registration; {@code requested} fills what the server leaves out. */
    static ClientRegistration registered(HttpResponse r, String url, String requestedAuthMethod, String scope,
                                         String redirectUri) throws Unusable {
        Registered info = information(r);
        return new ClientRegistration(url, ClientRegistration.DCR, info.clientId(), info.secret(),
                info.authMethod() == null ? requestedAuthMethod : info.authMethod(), info.registrationAccessToken(),
                info.registrationUri(), scope, redirectUri);
    }

    /** The registration after an update to {@code redirectUri}, or null when the server did not take it. */
    static ClientRegistration updated(HttpResponse r, ClientRegistration client, String redirectUri) {
        Registered info;
        try {
            info = information(r);
        } catch (Unusable e) {
            return null;
        }
        if (!info.redirectUris().contains(redirectUri)) {
            return null;
        }
        String token = info.registrationAccessToken();
        return new ClientRegistration(client.url(), client.source(), client.clientId(), client.clientSecret(),
                client.authMethod(), token == null ? client.registrationAccessToken() : token,
                client.registrationClientUri(), client.scope(), redirectUri);
    }

    /** The members of a registration answer (RFC 7591 section 3.2.1) that we use; null when absent. */
    private record Registered(String clientId, String secret, String authMethod, String registrationAccessToken,
                              String registrationUri, List<String> redirectUris) {
        @Override
        public String toString() {
            return "Registered[clientId=" + clientId + ", secret=<redacted>, registrationAccessToken=<redacted>]";
        }
    }

    /**
     * Reads only what we use, leniently: the SDK's strict parse failed a whole login on members we
     * never read ({@code "client_uri": ""}, an odd {@code contacts}), which some servers send. A
     * member of the wrong type, or empty, counts as absent; only a missing client_id is fatal.
     */
    private static Registered information(HttpResponse r) throws Unusable {
        Map<String, Object> m;
        try {
            m = Json.parseObject(r.bodyText());
        } catch (RuntimeException e) { // JsonException, or a body that is not text
            throw new Unusable("returned no client_id");
        }
        String id = present(m, "client_id");
        if (id == null) {
            throw new Unusable("returned no client_id");
        }
        String uri = present(m, "registration_client_uri");
        if (uri != null && !absoluteHttpUri(uri)) {
            uri = null; // unusable for RFC 7592: the registration is kept, without updates
        }
        return new Registered(id, present(m, "client_secret"), present(m, "token_endpoint_auth_method"),
                present(m, "registration_access_token"), uri, JsonFields.strings(m, "redirect_uris"));
    }

    private static String present(Map<String, Object> m, String key) {
        String v = JsonFields.string(m, key);
        return v == null || v.isEmpty() ? null : v;
    }

    private static boolean absoluteHttpUri(String s) {
        try {
            URI u = new URI(s);
            return u.isAbsolute() && ("https".equalsIgnoreCase(u.getScheme()) || "http".equalsIgnoreCase(u.getScheme()))
                    && u.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
