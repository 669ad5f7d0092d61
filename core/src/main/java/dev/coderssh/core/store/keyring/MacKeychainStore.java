package dev.coderssh.core.store.keyring;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The macOS login Keychain through {@code /usr/bin/security}, generic passwords with service
 * {@code coder-ssh <url>} and account {@code access|refresh}.
 *
 * <p>{@code add-generic-password -w <secret>} would put the token in argv, visible to every local
 * user in {@code ps}. Instead the add command is written to {@code security -i} (interactive
 * mode) on stdin, and the password is given as hex ({@code -X}) so no quoting is involved. The
 * stored password is the Base64 of the UTF-8 token: {@code find-generic-password -w} prints
 * non-ASCII passwords as hex, which would be ambiguous. Not tested on a real Mac in this
 * repository's CI (Linux); see the README section.
 */
final class MacKeychainStore implements SecretStore {
    static final String NAME = "macOS Keychain";
    private static final String WHAT = "the keyring (macOS Keychain)";
    /** {@code security}'s errSecItemNotFound exit status. */
    private static final int NOT_FOUND = 44;
    /** Below the 4 KB line buffer of {@code security -i}: tokens up to about 1.4 KB. */
    static final int MAX_LINE = 4000;
    private final KeyringProcess runner;
    private final String security;

    MacKeychainStore(KeyringProcess runner, String security) {
        this.runner = runner;
        this.security = security;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<String> get(SecretKey key) throws KeyringException {
        KeyringProcess.Result r = runner.run(List.of(tool(), "find-generic-password", "-s", service(key), "-a", key.kind(),
                "-w"), new byte[0], WHAT);
        if (r.exit == NOT_FOUND) {
            return Optional.empty();
        }
        if (r.exit != 0) {
            throw failed("find-generic-password", r);
        }
        String text = new String(r.stdout, StandardCharsets.US_ASCII).strip();
        try {
            return Optional.of(new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new KeyringException(WHAT + " holds an entry for " + key.deployment()
                    + " that coder-ssh did not write (not Base64)", false);
        }
    }

    @Override
    public void put(SecretKey key, String secret) throws KeyringException {
        String encoded = Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
        String line = "add-generic-password -U -s " + quote(service(key)) + " -a " + key.kind() + " -l "
                + quote(key.label()) + " -X " + HexFormat.of().formatHex(encoded.getBytes(StandardCharsets.US_ASCII)) + "\n";
        if (line.length() > MAX_LINE) {
            // security -i reads commands into a fixed line buffer; a longer one would be cut.
            throw new KeyringException(WHAT + " cannot take a token this long through `security -i`", false);
        }
        KeyringProcess.Result r = runner.run(List.of(tool(), "-i"), line.getBytes(StandardCharsets.UTF_8), WHAT);
        // Interactive mode may exit 0 after a failed command; its complaint on stderr is the signal.
        if (r.exit != 0 || !r.firstErrorLine().isEmpty()) {
            throw failed("add-generic-password", r);
        }
    }

    @Override
    public void delete(SecretKey key) throws KeyringException {
        KeyringProcess.Result r = runner.run(List.of(tool(), "delete-generic-password", "-s", service(key), "-a",
                key.kind()), new byte[0], WHAT);
        if (r.exit != 0 && r.exit != NOT_FOUND) {
            throw failed("delete-generic-password", r);
        }
    }

    private String tool() throws KeyringException {
        if (runner.find(security) == null) {
            throw new KeyringException(WHAT + " is not reachable: " + security + " is missing", false);
        }
        return security;
    }

    private static String service(SecretKey key) {
        return "coder-ssh " + key.deployment();
    }

    /** Deployment URLs are normalised (no quotes, spaces or backslashes), but quote defensively. */
    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static KeyringException failed(String verb, KeyringProcess.Result r) {
        String why = r.firstErrorLine().replaceAll("\\p{Cntrl}", " ");
        return new KeyringException(WHAT + " refused `security " + verb + "` (exit " + r.exit
                + (why.isEmpty() ? "" : ": " + (why.length() > 160 ? why.substring(0, 160) + "..." : why)) + ")", false);
    }
}
