package dev.coderssh.core.oauth;

import dev.coderssh.core.json.JsonFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

    public static OAuthMetadata fromJson(Map<String, Object> m) {
        List<String> grants = JsonFields.strings(m, "grant_types_supported");
        if (m.get("grant_types_supported") == null) {
            // RFC 8414 section 2: omitted means ["authorization_code", "implicit"].
            grants = List.of("authorization_code", "implicit");
        }
        List<String> methods = JsonFields.strings(m, "token_endpoint_auth_methods_supported");
        if (m.get("token_endpoint_auth_methods_supported") == null) {
            methods = List.of("client_secret_basic");
        }
        return new OAuthMetadata(JsonFields.string(m, "issuer"), JsonFields.string(m, "authorization_endpoint"),
                JsonFields.string(m, "token_endpoint"), JsonFields.string(m, "revocation_endpoint"),
                JsonFields.string(m, "registration_endpoint"), JsonFields.strings(m, "response_types_supported"),
                grants, JsonFields.strings(m, "code_challenge_methods_supported"), methods,
                JsonFields.strings(m, "scopes_supported"));
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
