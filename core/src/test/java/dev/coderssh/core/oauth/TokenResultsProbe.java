package dev.coderssh.core.oauth;

import dev.coderssh.core.http.HttpResponse;
import java.time.Clock;

/** Test access to the package-private token response parser. */
public final class TokenResultsProbe {
    private TokenResultsProbe() {
    }

    public static TokenResult parse(HttpResponse r) {
        return TokenResponses.parse(r, Clock.systemUTC(), null);
    }
}
