package dev.coderssh.core.store.keyring;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The freedesktop Secret Service (GNOME Keyring, KWallet) through libsecret's {@code secret-tool}.
 * Entries carry the attributes {@code service coder-ssh deployment <url> kind access|refresh}.
 * The secret goes to {@code secret-tool store} on stdin and comes back from {@code lookup} on
 * stdout; it is never an argument. {@code secret-tool} exits 1 with nothing on stderr for "no such
 * entry" and 1 with a message for a real failure (no D-Bus session, locked collection, ...).
 */
final class SecretToolStore implements SecretStore {
    static final String NAME = "Secret Service";
    private static final String WHAT = "the keyring (Secret Service)";
    private final KeyringProcess runner;

    SecretToolStore(KeyringProcess runner) {
        this.runner = runner;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<String> get(SecretKey key) throws KeyringException {
        KeyringProcess.Result r = runner.run(command("lookup", null, key), new byte[0], WHAT);
        if (r.exit == 0) {
            return Optional.of(new String(r.stdout, StandardCharsets.UTF_8));
        }
        if (r.exit == 1 && r.stderr.isBlank()) {
            return Optional.empty();
        }
        throw failed("lookup", r);
    }

    @Override
    public void put(SecretKey key, String secret) throws KeyringException {
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("empty secret");
        }
        KeyringProcess.Result r = runner.run(command("store", "--label=" + key.label(), key),
                secret.getBytes(StandardCharsets.UTF_8), WHAT);
        if (r.exit != 0) {
            throw failed("store", r);
        }
    }

    @Override
    public void delete(SecretKey key) throws KeyringException {
        KeyringProcess.Result r = runner.run(command("clear", null, key), new byte[0], WHAT);
        if (r.exit != 0 && !(r.exit == 1 && r.stderr.isBlank())) {
            throw failed("clear", r);
        }
    }

    private List<String> command(String verb, String option, SecretKey key) throws KeyringException {
        Path tool = runner.find("secret-tool");
        if (tool == null) {
            throw new KeyringException(WHAT + " is not reachable: secret-tool is not on the PATH"
                    + " (install libsecret-tools)", false);
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(tool.toString());
        cmd.add(verb);
        if (option != null) {
            cmd.add(option);
        }
        cmd.addAll(List.of("service", "coder-ssh", "deployment", key.deployment(), "kind", key.kind()));
        return cmd;
    }

    private static KeyringException failed(String verb, KeyringProcess.Result r) {
        String why = r.firstErrorLine();
        return new KeyringException(WHAT + " refused `secret-tool " + verb + "` (exit " + r.exit
                + (why.isEmpty() ? "" : ": " + clip(why)) + ")", false);
    }

    private static String clip(String s) {
        String t = s.replaceAll("\\p{Cntrl}", " ");
        return t.length() > 160 ? t.substring(0, 160) + "..." : t;
    }
}
