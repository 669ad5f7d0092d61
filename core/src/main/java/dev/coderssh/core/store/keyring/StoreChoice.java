package dev.coderssh.core.store.keyring;

import dev.coderssh.core.CoderSshException;
import java.util.Locale;

/** Where {@code login --store} puts the tokens: the credentials file (default) or the OS keyring. */
public enum StoreChoice {
    FILE, KEYRING;

    public static StoreChoice parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw CoderSshException.usage("--store must be `file` or `keyring`");
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
