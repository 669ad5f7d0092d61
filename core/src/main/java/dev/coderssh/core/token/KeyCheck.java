package dev.coderssh.core.token;

import dev.coderssh.core.deployment.DeploymentUrl;
import java.time.Instant;

/**
 * Asks the deployment whether it still accepts an access token, and until when. Coder extends a
 * used key's expiry ({@code expires_at = now + lifetime}, at most once an hour, unless the
 * deployment disables it), so the expiry the token response gave is a lower bound, not the key's end.
 */
public interface KeyCheck {
    Result check(DeploymentUrl deployment, String accessToken);

    /** What the server said. */
    sealed interface Result permits Accepted, Rejected, Unknown {
    }

    /** The server took the token; {@code until} is the key's expiry it reported, null if it shows none. */
    record Accepted(Instant until) implements Result {
    }

    /** 401: revoked, deleted, expired, or signed out elsewhere. */
    record Rejected() implements Result {
    }

    /** No verdict (network, 5xx, an answer we do not understand): {@code why} for a log line. */
    record Unknown(String why) implements Result {
    }

    /** For tests and for stores without a network: never a verdict. */
    KeyCheck NONE = (deployment, token) -> new Unknown("not checked");
}
