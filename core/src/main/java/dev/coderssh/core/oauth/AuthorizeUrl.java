package dev.coderssh.core.oauth;

import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import java.net.URI;

/** The authorization request (RFC 6749 4.1.1) with its PKCE S256 challenge (RFC 7636 4.3), built by the SDK. */
public final class AuthorizeUrl {
    private AuthorizeUrl() {
    }

    public static String of(OAuthMetadata m, String clientId, String redirectUri, String scope, String state,
                            CodeVerifier verifier) {
        return new AuthorizationRequest.Builder(ResponseType.CODE, new ClientID(clientId))
                .endpointURI(URI.create(m.authorizationEndpoint()))
                .redirectionURI(URI.create(redirectUri))
                .scope(scope == null ? null : Scope.parse(scope))
                .state(new State(state))
                .codeChallenge(verifier.sdk(), CodeChallengeMethod.S256)
                .build()
                .toURI()
                .toString();
    }
}
