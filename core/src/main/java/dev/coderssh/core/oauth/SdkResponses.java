package dev.coderssh.core.oauth;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.client.ClientInformation;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import dev.coderssh.core.http.HttpResponse;
import dev.coderssh.core.store.ClientRegistration;
import java.net.URI;
import net.minidev.json.JSONObject;

/**
 * Registration answers (RFC 7591 section 3.2, RFC 7592 section 2.2) and error objects (RFC 6749
 * 5.2, RFC 7591 3.2.2) read by the SDK into our records; every failure is a one-line reason.
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
        ClientInformation info = information(r);
        ClientAuthenticationMethod method = info.getMetadata().getTokenEndpointAuthMethod();
        return new ClientRegistration(url, ClientRegistration.DCR, info.getID().getValue(),
                info.getSecret() == null ? null : info.getSecret().getValue(),
                method == null ? requestedAuthMethod : method.getValue(),
                info.getRegistrationAccessToken() == null ? null : info.getRegistrationAccessToken().getValue(),
                info.getRegistrationURI() == null ? null : info.getRegistrationURI().toString(), scope, redirectUri);
    }

    /** The registration after an update to {@code redirectUri}, or null when the server did not take it. */
    static ClientRegistration updated(HttpResponse r, ClientRegistration client, String redirectUri) {
        ClientInformation info;
        try {
            info = information(r);
        } catch (Unusable e) {
            return null;
        }
        if (info.getMetadata().getRedirectionURIs() == null
                || !info.getMetadata().getRedirectionURIs().contains(URI.create(redirectUri))) {
            return null;
        }
        String token = info.getRegistrationAccessToken() == null ? null : info.getRegistrationAccessToken().getValue();
        return new ClientRegistration(client.url(), client.source(), client.clientId(), client.clientSecret(),
                client.authMethod(), token == null || token.isEmpty() ? client.registrationAccessToken() : token,
                client.registrationClientUri(), client.scope(), redirectUri);
    }

    private static ClientInformation information(HttpResponse r) throws Unusable {
        JSONObject json;
        try {
            json = JSONObjectUtils.parse(r.bodyText());
        } catch (ParseException | RuntimeException e) {
            throw new Unusable("returned no client_id");
        }
        if (!(json.get("client_id") instanceof String)) {
            throw new Unusable("returned no client_id");
        }
        try {
            return ClientInformation.parse(json);
        } catch (ParseException | RuntimeException e) {
            throw new Unusable("returned a registration that is not RFC 7591 (" + OAuthClient.clean(String.valueOf(e.getMessage())) + ")");
        }
    }
}
