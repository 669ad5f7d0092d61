package dev.coderssh.core.oauth;

import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A PKCE code verifier (RFC 7636 section 4.1): 32 random bytes, base64url, 43 characters. Ours
 * rather than the SDK's type alone: the random source is injected, and toString never shows it.
 */
public record CodeVerifier(String value) {
    public CodeVerifier {
        if (value == null || value.length() < 43 || value.length() > 128) {
            throw new IllegalArgumentException("code verifier must be 43-128 characters");
        }
    }

    public static CodeVerifier generate(SecureRandom random) {
        return new CodeVerifier(randomUrlSafe(random, 32));
    }

    /** The S256 challenge (RFC 7636 section 4.2): BASE64URL(SHA256(verifier)), no padding. */
    public String challenge() {
        return CodeChallenge.compute(CodeChallengeMethod.S256, sdk()).getValue();
    }

    /** The same verifier as the SDK's type, for the messages it builds. */
    com.nimbusds.oauth2.sdk.pkce.CodeVerifier sdk() {
        return new com.nimbusds.oauth2.sdk.pkce.CodeVerifier(value);
    }

    /** {@code bytes} random bytes as unpadded base64url; also used for {@code state} (>= 128 bits). */
    public static String randomUrlSafe(SecureRandom random, int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    @Override
    public String toString() {
        return "CodeVerifier[<redacted>]";
    }
}
