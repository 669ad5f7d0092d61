package dev.coderssh.core.store.keyring;

/**
 * The keyring did not answer in time, is not there, or refused. The message is one line for a
 * person and never holds a secret (the keyring tools' stderr is not echoed verbatim beyond its
 * first line, and it never sees a secret).
 */
public final class KeyringException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean timedOut;

    public KeyringException(String message, boolean timedOut) {
        super(message);
        this.timedOut = timedOut;
    }

    /** True when the keyring tool was killed after the timeout. */
    public boolean timedOut() {
        return timedOut;
    }
}
