package dev.coderssh.core.store.keyring;

/** Names one keyring entry: the deployment URL (normalised) and which token it holds. */
public record SecretKey(String deployment, String kind) {
    public static final String ACCESS = "access";
    public static final String REFRESH = "refresh";

    public SecretKey {
        if (deployment == null || deployment.isEmpty()) {
            throw new IllegalArgumentException("keyring key without a deployment");
        }
        if (!ACCESS.equals(kind) && !REFRESH.equals(kind)) {
            throw new IllegalArgumentException("unknown keyring entry kind " + kind);
        }
    }

    /** A human-readable label, as keyring managers show it (no secret). */
    public String label() {
        return "coder-ssh " + kind + " token for " + deployment;
    }
}
