package dev.coderssh.core.store.keyring;

/** Names one keyring entry: the deployment URL (normalised) and which token it holds. */
public record SecretKey(String deployment, String kind) {
    public static final String ACCESS = "access";
    public static final String REFRESH = "refresh";
    /** A confidential OAuth client's secret (this installation's DCR client, or an admin's app). */
    public static final String CLIENT_SECRET = "client-secret";
    /** The RFC 7592 registration access token of this installation's DCR client. */
    public static final String REGISTRATION = "registration";

    public SecretKey {
        if (deployment == null || deployment.isEmpty()) {
            throw new IllegalArgumentException("keyring key without a deployment");
        }
        if (!ACCESS.equals(kind) && !REFRESH.equals(kind) && !CLIENT_SECRET.equals(kind) && !REGISTRATION.equals(kind)) {
            throw new IllegalArgumentException("unknown keyring entry kind " + kind);
        }
    }

    /** A human-readable label, as keyring managers show it (no secret). */
    public String label() {
        return "coder-ssh " + (CLIENT_SECRET.equals(kind) ? "OAuth client secret"
                : REGISTRATION.equals(kind) ? "client registration token" : kind + " token") + " for " + deployment;
    }
}
