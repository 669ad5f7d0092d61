package dev.coderssh.core.oauth;

import dev.coderssh.core.http.HttpResponse;
import dev.coderssh.core.json.Json;
import dev.coderssh.core.json.JsonException;
import dev.coderssh.core.json.JsonFields;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

/**
 * Parses token endpoint responses (RFC 6749 sections 5.1 and 5.2). Anything short of a complete
 * pair with a lifetime is an {@link TokenResult.Error}, so a broken response can never replace
 * stored credentials.
 *
 * <p>Hand-written over {@link Json} (jackson-core), not the SDK's TokenResponse, because the
 * ProxyCommand refreshes through it (bench figure 3, target under 3x an empty main). Measured
 * 2026-12-01 on JDK 17, same flags as the launcher, 15 interleaved runs: building and parsing one
 * refresh with the SDK took 170 ms of JVM time and 1168 classes beyond an empty main, this way
 * 80 ms and 333, an empty main 30 ms; figure 3 was 81 ms against a 35 ms main (2.35x), so the SDK
 * would put it near 5x. The code exchange shares this parser so both grants accept the same answers.
 */
final class TokenResponses {
    static final long MAX_LIFETIME_SECONDS = 400L * 24 * 3600;
    private TokenResponses() {
    }

    /**
     * @param previousRefresh the refresh token a refresh grant sent, or null for a code exchange.
     *                        A refresh answer without a new one keeps it (RFC 6749 section 6);
     *                        a code exchange must yield one (a sign-in that cannot refresh would
     *                        end within a day).
     */
    static TokenResult parse(HttpResponse r, Clock clock, String previousRefresh) {
        String type = r.header("content-type");
        if (r.isSuccessful() && type != null && !type.toLowerCase(Locale.ROOT).contains("json")) {
            // RFC 6749 5.1 says application/json; anything else is a portal or proxy page, not ours.
            return new TokenResult.Error(r.status(), TokenResult.Error.MALFORMED, "HTTP " + r.status()
                    + " with content type " + OAuthClient.clean(type) + ", not JSON");
        }
        Map<String, Object> m;
        try {
            m = Json.parseObject(r.bodyText());
        } catch (JsonException e) {
            return new TokenResult.Error(r.status(), r.isSuccessful() ? TokenResult.Error.MALFORMED
                    : (r.status() == 429 ? "temporarily_unavailable" : TokenResult.Error.UNAVAILABLE),
                    "HTTP " + r.status() + " with a body that is not JSON");
        }
        if (!r.isSuccessful()) {
            String code = JsonFields.string(m, "error");
            String desc = JsonFields.string(m, "error_description");
            return new TokenResult.Error(r.status(), code == null ? "http_" + r.status() : OAuthClient.clean(code),
                    desc == null ? null : OAuthClient.clean(desc));
        }
        String access = JsonFields.string(m, "access_token");
        String refresh = JsonFields.string(m, "refresh_token");
        String tokenType = JsonFields.string(m, "token_type");
        if (tokenType != null && !tokenType.toLowerCase(Locale.ROOT).equals("bearer")) {
            return new TokenResult.Error(r.status(), TokenResult.Error.MALFORMED, "token_type " + OAuthClient.clean(tokenType));
        }
        Long expiresIn = JsonFields.number(m, "expires_in");
        if (expiresIn == null && JsonFields.string(m, "expiry") != null) {
            try {
                expiresIn = Instant.parse(JsonFields.string(m, "expiry")).getEpochSecond() - clock.instant().getEpochSecond();
            } catch (DateTimeParseException e) {
                expiresIn = null;
            }
        }
        if (access == null || access.isEmpty()) {
            return new TokenResult.Error(r.status(), TokenResult.Error.MALFORMED, "response lacks access_token");
        }
        if ((refresh == null || refresh.isEmpty()) && previousRefresh != null) {
            refresh = previousRefresh;
        }
        if (refresh == null || refresh.isEmpty()) {
            return new TokenResult.Error(r.status(), TokenResult.Error.MALFORMED, "response lacks refresh_token");
        }
        if (expiresIn == null) {
            // RFC 6749 5.1 makes expires_in optional, and the server has already rotated the pair:
            // discarding the answer would lose the sign-in. The lifetime is unknown, so assume a
            // short one; refreshing early costs a request, and a 401 before then refreshes too.
            expiresIn = TokenResult.Success.UNKNOWN_LIFETIME_SECONDS;
        }
        if (expiresIn <= 0) {
            return new TokenResult.Error(r.status(), TokenResult.Error.MALFORMED, "expires_in is not positive");
        }
        if (expiresIn > MAX_LIFETIME_SECONDS) {
            // Absurd lifetimes would overflow Instant arithmetic and keep a dead token "fresh".
            return new TokenResult.Error(r.status(), TokenResult.Error.MALFORMED, "expires_in out of range");
        }
        return new TokenResult.Success(access, refresh, expiresIn, JsonFields.string(m, "scope"));
    }
}
