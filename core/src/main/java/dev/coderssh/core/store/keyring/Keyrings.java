package dev.coderssh.core.store.keyring;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the OS keyring: Secret Service on Linux and BSD, the Keychain on macOS. Windows has no
 * backend yet (see the README section): there every keyring call fails at once, so
 * {@code login --store keyring} falls back to the file, loudly.
 */
public final class Keyrings {
    /** Long enough for a healthy keyring, short enough that a hung one does not stall ssh. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);
    /** Overrides the timeout, e.g. {@code 10s} or {@code 500ms} (a slow unlock prompt). */
    public static final String TIMEOUT_ENV = "CODER_SSH_KEYRING_TIMEOUT";

    private Keyrings() {
    }

    /** The keyring for this OS, calling its tool with {@code env} (PATH, D-Bus address, HOME). */
    public static SecretStore platform(Map<String, String> env) {
        return forOs(System.getProperty("os.name", ""), env);
    }

    static SecretStore forOs(String osName, Map<String, String> env) {
        KeyringProcess runner = new KeyringProcess(env, timeout(env));
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return new MacKeychainStore(runner, "/usr/bin/security");
        }
        if (os.startsWith("windows")) {
            return new Unsupported("Windows Credential Manager");
        }
        return new SecretToolStore(runner);
    }

    /** The Secret Service backend with an explicit timeout (tests). */
    static SecretStore secretService(Map<String, String> env, Duration timeout) {
        return new SecretToolStore(new KeyringProcess(env, timeout));
    }

    static Duration timeout(Map<String, String> env) {
        String v = env.get(TIMEOUT_ENV);
        if (v == null || v.isBlank()) {
            return DEFAULT_TIMEOUT;
        }
        String t = v.strip().toLowerCase(Locale.ROOT);
        try {
            Duration d = t.endsWith("ms") ? Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)))
                    : t.endsWith("s") ? Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)))
                    : Duration.ofSeconds(Long.parseLong(t));
            return d.isNegative() || d.isZero() ? DEFAULT_TIMEOUT : d;
        } catch (NumberFormatException e) {
            return DEFAULT_TIMEOUT;
        }
    }

    /** A platform without a backend: every call fails at once with one clear line. */
    static final class Unsupported implements SecretStore {
        private final String name;

        Unsupported(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Optional<String> get(SecretKey key) throws KeyringException {
            throw fail();
        }

        @Override
        public void put(SecretKey key, String secret) throws KeyringException {
            throw fail();
        }

        @Override
        public void delete(SecretKey key) throws KeyringException {
            throw fail();
        }

        private KeyringException fail() {
            return new KeyringException("the keyring (" + name + ") is not supported by this version of coder-ssh", false);
        }
    }
}
