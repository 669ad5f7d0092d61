package dev.coderssh.core.oauth;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.json.JsonException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import net.minidev.json.JSONObject;

/**
 * Authorization server metadata (RFC 8414 section 2), the fields this client uses. Absent lists
 * are empty; {@link #problems()} names what this client cannot work with.
 */
public record OAuthMetadata(String issuer, String authorizationEndpoint, String tokenEndpoint,
                            String revocationEndpoint, String registrationEndpoint, List<String> responseTypes,
                            List<String> grantTypes, List<String> codeChallengeMethods,
                            List<String> tokenEndpointAuthMethods, List<String> scopesSupported) {
    public OAuthMetadata {
        responseTypes = List.copyOf(responseTypes);
        grantTypes = List.copyOf(grantTypes);
        codeChallengeMethods = List.copyOf(codeChallengeMethods);
        tokenEndpointAuthMethods = List.copyOf(tokenEndpointAuthMethods);
        scopesSupported = List.copyOf(scopesSupported);
    }

    /** The RFC 8414 members this client reads; the others are not parsed, so a wrongly typed one is harmless. */
    private static final List<String> USED = List.of("issuer", "authorization_endpoint", "token_endpoint",
            "revocation_endpoint", "registration_endpoint", "response_types_supported", "grant_types_supported",
            "code_challenge_methods_supported", "token_endpoint_auth_methods_supported", "scopes_supported");

    /**
     * Parses the document with the SDK's {@link AuthorizationServerMetadata}. Sign-in never
     * compared the issuer (doctor does), and the SDK requires one: a server that leaves it out gets
     * {@code fallbackIssuer}, the deployment it was fetched from, as RFC 8414 section 3.3 says it must be.
     *
     * @throws JsonException when the text is not a JSON object or a member used is malformed
     */
    public static OAuthMetadata parse(String text, String fallbackIssuer) {
        JSONObject all;
        try {
            all = JSONObjectUtils.parse(text);
        } catch (ParseException | RuntimeException e) {
            throw new JsonException("not valid JSON");
        }
        JSONObject used = new JSONObject();
        for (String key : USED) {
            if (all.get(key) != null) {
                used.put(key, all.get(key));
            }
        }
        if (!(used.get("issuer") instanceof String)) {
            used.put("issuer", fallbackIssuer);
        }
        AuthorizationServerMetadata m;
        try {
            m = AuthorizationServerMetadata.parse(used);
        } catch (ParseException | RuntimeException e) {
            throw new JsonException("malformed: " + OAuthClient.clean(String.valueOf(e.getMessage())));
        }
        // RFC 8414 section 2: omitted grant types mean ["authorization_code", "implicit"], omitted
        // authentication methods client_secret_basic.
        List<String> grants = m.getGrantTypes() == null ? List.of("authorization_code", "implicit")
                : values(m.getGrantTypes(), GrantType::getValue);
        List<String> methods = m.getTokenEndpointAuthMethods() == null ? List.of("client_secret_basic")
                : values(m.getTokenEndpointAuthMethods(), ClientAuthenticationMethod::getValue);
        return new OAuthMetadata(m.getIssuer().getValue(), text(m.getAuthorizationEndpointURI()),
                text(m.getTokenEndpointURI()), text(m.getRevocationEndpointURI()), text(m.getRegistrationEndpointURI()),
                values(m.getResponseTypes(), ResponseType::toString), grants,
                values(m.getCodeChallengeMethods(), CodeChallengeMethod::getValue), methods,
                m.getScopes() == null ? List.of() : m.getScopes().toStringList());
    }

    private static String text(URI uri) {
        return uri == null ? null : uri.toString();
    }

    private static <T> List<String> values(List<T> list, Function<T, String> value) {
        List<String> out = new ArrayList<>();
        if (list != null) {
            for (T t : list) {
                out.add(value.apply(t));
            }
        }
        return out;
    }

    /** What this client needs but the server does not offer; empty when usable. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (authorizationEndpoint == null || tokenEndpoint == null) {
            p.add("no authorization or token endpoint");
        }
        if (!responseTypes.contains("code")) {
            p.add("response type \"code\" not offered");
        }
        if (!codeChallengeMethods.contains("S256")) {
            p.add("PKCE S256 not offered");
        }
        if (!grantTypes.contains("authorization_code") || !grantTypes.contains("refresh_token")) {
            p.add("authorization_code and refresh_token grants not both offered");
        }
        return p;
    }

    /**
     * The first endpoint named here that {@code url}'s rule forbids (see
     * {@link DeploymentUrl#endpointProblem}), as "token endpoint X is ...", or null when all may be used.
     */
    public String endpointProblem(DeploymentUrl url) {
        String[][] named = {{"authorization endpoint", authorizationEndpoint}, {"token endpoint", tokenEndpoint},
            {"revocation endpoint", revocationEndpoint}, {"registration endpoint", registrationEndpoint}};
        for (String[] n : named) {
            String problem = n[1] == null ? null : url.endpointProblem(n[1]);
            if (problem != null) {
                return n[0] + " " + OAuthClient.clean(n[1]) + " " + problem;
            }
        }
        return null;
    }

    /**
     * The client authentication method to register: "none" (public client, no secret to keep)
     * when offered (newest Coder); else client_secret_basic, RFC 6749 section 2.3.1's default
     * and the one every server must support, which also keeps the secret out of request bodies;
     * client_secret_post only when it is the sole secret method listed.
     */
    public String preferredAuthMethod() {
        if (tokenEndpointAuthMethods.contains("none")) {
            return "none";
        }
        if (!tokenEndpointAuthMethods.contains("client_secret_basic")
                && tokenEndpointAuthMethods.contains("client_secret_post")) {
            return "client_secret_post";
        }
        return "client_secret_basic";
    }
}
