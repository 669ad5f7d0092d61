package dev.coderssh.core.token;

/** How many of our CLI sessions are running with an access key right now. */
public interface LiveSessions {
    /** @param keyId the access token's part before '-' (Coder's API key id; not a secret) */
    int holding(String keyId);

    LiveSessions NONE = keyId -> 0;
}
