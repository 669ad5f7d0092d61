package dev.coderssh.core.oauth;

/** The outcome of a token request (RFC 6749 sections 5.1 and 5.2). */
public sealed interface TokenResult {

    /** A usable access/refresh pair; {@code expiresInSeconds} from expires_in or the expiry field. */
    record Success(String accessToken, String refreshToken, long expiresInSeconds, String scope) implements TokenResult {
        /** The lifetime assumed when an answer has no expires_in (RFC 6749 5.1: optional). */
        public static final long UNKNOWN_LIFETIME_SECONDS = 3600;

        public Success {
            if (accessToken == null || accessToken.isEmpty() || refreshToken == null || refreshToken.isEmpty()) {
                throw new IllegalArgumentException("token response lacks access_token or refresh_token");
            }
            if (expiresInSeconds <= 0) {
                throw new IllegalArgumentException("token response has no positive lifetime");
            }
            scope = scope == null ? "" : scope;
        }

        @Override
        public String toString() {
            return "Success[accessToken=<redacted>, refreshToken=<redacted>, expiresIn=" + expiresInSeconds
                    + ", scope=" + scope + "]";
        }
    }

    /**
     * The server refused ({@code code} an RFC 6749 error such as invalid_grant), or no usable
     * answer came ({@code code} {@value #UNAVAILABLE} or {@value #MALFORMED}). The description is
     * the server's, cut short and stripped of control characters.
     */
    record Error(int status, String code, String description) implements TokenResult {
        public static final String UNAVAILABLE = "unavailable";
        public static final String MALFORMED = "malformed_response";
        /** HTTP 429 past the retry budget; the description is the one line to show. */
        public static final String RATE_LIMITED = "rate_limited";

        public String describe() {
            return description == null || description.isEmpty() ? code : code + ": " + description;
        }
    }
}
