package dev.coderssh.core.oauth;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.client.ClientDeleteRequest;
import com.nimbusds.oauth2.sdk.client.ClientMetadata;
import com.nimbusds.oauth2.sdk.client.ClientReadRequest;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationRequest;
import com.nimbusds.oauth2.sdk.client.ClientUpdateRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.SoftwareID;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Token;
import com.nimbusds.oauth2.sdk.token.TypelessAccessToken;
import dev.coderssh.core.http.HttpRequest;
import dev.coderssh.core.store.ClientRegistration;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The OAuth requests built by the SDK, as our {@link HttpRequest}s (see {@link NimbusHttp}): code
 * exchange (RFC 6749 4.1.3 with the RFC 7636 verifier), revocation (RFC 7009), registration and
 * its management (RFC 7591/7592). The refresh is not here: it stays lean (see {@link TokenResponses}).
 * The update sends no client_secret (RFC 7592 2.2 allows, none requires it): the secret stays off the wire.
 */
final class SdkRequests {
    private SdkRequests() {
    }

    static HttpRequest codeExchange(String tokenEndpoint, ClientRegistration client, String code, String redirectUri,
                                    CodeVerifier verifier) {
        AuthorizationGrant grant = new AuthorizationCodeGrant(new AuthorizationCode(code), URI.create(redirectUri),
                verifier.sdk());
        ClientAuthentication auth = authentication(client);
        TokenRequest req = auth != null ? new TokenRequest(URI.create(tokenEndpoint), auth, grant)
                : new TokenRequest(URI.create(tokenEndpoint), new ClientID(client.clientId()), grant, null);
        return NimbusHttp.toOurs(req.toHTTPRequest());
    }

    /** {@code hint} "refresh_token" sends the token as one; anything else as an access token. */
    static HttpRequest revocation(String endpoint, ClientRegistration client, String token, String hint) {
        Token t = "refresh_token".equals(hint) ? new RefreshToken(token) : new TypelessAccessToken(token);
        ClientAuthentication auth = authentication(client);
        TokenRevocationRequest req = auth != null ? new TokenRevocationRequest(URI.create(endpoint), auth, t)
                : new TokenRevocationRequest(URI.create(endpoint), new ClientID(client.clientId()), t);
        return NimbusHttp.toOurs(req.toHTTPRequest());
    }

    static HttpRequest registration(String endpoint, String clientName, String scope, String authMethod,
                                    String redirectUri) {
        ClientMetadata m = metadata(clientName, scope, authMethod, redirectUri);
        return NimbusHttp.toOurs(new ClientRegistrationRequest(URI.create(endpoint), m, null).toHTTPRequest());
    }

    /** RFC 7592 section 2.2: a PUT of the whole registration, client_id included. */
    static HttpRequest update(ClientRegistration client, String clientName, String redirectUri) {
        ClientMetadata m = metadata(clientName, client.scope(), client.authMethod(), redirectUri);
        ClientUpdateRequest req = new ClientUpdateRequest(URI.create(client.registrationClientUri()),
                new ClientID(client.clientId()), new BearerAccessToken(client.registrationAccessToken()), m, null);
        return NimbusHttp.toOurs(req.toHTTPRequest());
    }

    static HttpRequest read(ClientRegistration client) {
        return NimbusHttp.toOurs(new ClientReadRequest(URI.create(client.registrationClientUri()),
                new BearerAccessToken(client.registrationAccessToken())).toHTTPRequest());
    }

    static HttpRequest delete(ClientRegistration client) {
        return NimbusHttp.toOurs(new ClientDeleteRequest(URI.create(client.registrationClientUri()),
                new BearerAccessToken(client.registrationAccessToken())).toHTTPRequest());
    }

    private static ClientMetadata metadata(String clientName, String scope, String authMethod, String redirectUri) {
        ClientMetadata m = new ClientMetadata();
        m.setName(clientName);
        m.setRedirectionURI(URI.create(redirectUri));
        Set<GrantType> grants = new LinkedHashSet<>(List.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN));
        m.setGrantTypes(grants);
        m.setResponseTypes(Set.of(ResponseType.CODE));
        m.setTokenEndpointAuthMethod(ClientAuthenticationMethod.parse(authMethod));
        m.setScope(scope == null ? null : Scope.parse(scope));
        m.setSoftwareID(new SoftwareID("coder-ssh"));
        return m;
    }

    /**
     * Client authentication (RFC 6749 section 2.3.1): the basic header or the secret in the body
     * for a confidential client; null for a public one, which sends its client_id alone.
     */
    static ClientAuthentication authentication(ClientRegistration client) {
        if (client.clientSecret() == null) {
            return null;
        }
        if ("client_secret_basic".equals(client.authMethod())) {
            return new ClientSecretBasic(new ClientID(client.clientId()), new Secret(client.clientSecret()));
        }
        if ("client_secret_post".equals(client.authMethod())) {
            return new ClientSecretPost(new ClientID(client.clientId()), new Secret(client.clientSecret()));
        }
        return null;
    }
}
