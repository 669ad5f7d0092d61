package dev.coderssh.core.store.keyring;

import java.util.Optional;

/**
 * An OS keyring holding secrets by (deployment, kind). Every call is bounded by a short timeout;
 * a keyring that does not answer or fails is a {@link KeyringException}, a missing entry is empty.
 * Implementations never put a secret in argv, a log line or an exception message.
 */
public interface SecretStore {
    /** The secret, or empty when the keyring answered that there is none. */
    Optional<String> get(SecretKey key) throws KeyringException;

    /** Creates or replaces the secret. */
    void put(SecretKey key, String secret) throws KeyringException;

    /** Deletes the secret; deleting a missing one is not an error. */
    void delete(SecretKey key) throws KeyringException;

    /** What the user should read, e.g. "Secret Service" or "macOS Keychain". */
    String name();
}
