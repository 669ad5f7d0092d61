package dev.coderssh.core.store.keyring;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.home.CoderSshHome;
import dev.coderssh.core.json.Json;
import dev.coderssh.core.json.JsonException;
import dev.coderssh.core.store.SecureFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Decides where a deployment's tokens live and moves them there, for
 * {@link dev.coderssh.core.store.CredentialStore}. With {@code "store": "keyring"} the credentials
 * file keeps only metadata (expiry, scopes, user, client, endpoints), so freshness is still read
 * from the file; the access and refresh tokens are keyring entries. Works on the store's JSON
 * documents so the store's record and schema stay as they are.
 *
 * <p>Where a save goes: the choice of the running {@code login} if any, else where the sign-in
 * already lives (a refresh stays put), else the choice remembered for the deployment, else the file.
 * The keyring is written before the file, so a crash in between leaves the new pair in the keyring
 * and the old expiry in the file: at worst one extra refresh, never a lost sign-in.
 */
public final class TokenPlacement {
    /** What a metadata-only read puts where a keyring-held token would be; never sent anywhere. */
    public static final String NOT_LOADED = "(in the keyring, not loaded)";
    static final String STORE = "store";
    static final String KEYRING = "keyring";
    private static final String ACCESS = "access_token";
    private static final String REFRESH = "refresh_token";
    private final CoderSshHome home;
    private final SecretStore keyring;
    private final PrintStream warnings;
    private StoreChoice forLogin;
    /** Set when the keyring failed in this process: later best-effort calls are skipped, not re-timed-out. */
    private boolean keyringDown;

    public TokenPlacement(CoderSshHome home, SecretStore keyring, PrintStream warnings) {
        this.home = home;
        this.keyring = keyring;
        this.warnings = warnings;
    }

    /**
     * Fixes where this process's {@code login} stores the sign-in: {@code flag} ({@code --store}),
     * remembered for next time, or the remembered choice, or the file.
     */
    public StoreChoice chooseForLogin(DeploymentUrl url, String flag) {
        StoreChoice choice;
        if (flag != null) {
            choice = StoreChoice.parse(flag);
            remember(url, choice);
        } else {
            choice = remembered(url).orElse(StoreChoice.FILE);
        }
        forLogin = choice;
        return choice;
    }

    /** The choice remembered for {@code url} by an earlier {@code login --store}. */
    public Optional<StoreChoice> remembered(DeploymentUrl url) {
        try {
            byte[] data = SecureFiles.readPrivate(preferenceFile(url), warnings);
            return data == null ? Optional.empty()
                    : Optional.of(StoreChoice.parse(new String(data, StandardCharsets.UTF_8)));
        } catch (IOException | CoderSshException e) {
            return Optional.empty();
        }
    }

    private void remember(DeploymentUrl url, StoreChoice choice) {
        Path file = preferenceFile(url);
        try {
            SecureFiles.ensurePrivateDir(file.getParent(), warnings);
            SecureFiles.writeAtomic(file, (choice.id() + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            warnings.println("coder-ssh: warning: cannot remember --store " + choice.id() + " in " + file + " ("
                    + SecureFiles.describe(e) + ")");
        }
    }

    private Path preferenceFile(DeploymentUrl url) {
        return home.root().resolve("preferences").resolve(url.fileKey() + ".store");
    }

    /** The same choice for the secrets of the deployment's OAuth client ({@code clients/<key>.json}). */
    public ClientSecrets clientSecrets() {
        return new ClientSecrets(this, keyring, warnings);
    }

    /** A keyring failure seen by {@link ClientSecrets}: later calls in this process are not re-timed-out. */
    void keyringFailed() {
        keyringDown = true;
    }

    boolean keyringDown() {
        return keyringDown;
    }

    /** Where a save of {@code file} goes: see the class comment. */
    StoreChoice target(DeploymentUrl url, Path file) {
        return forLogin != null ? forLogin : current(file).orElse(remembered(url).orElse(StoreChoice.FILE));
    }

    /**
     * Before the store writes {@code doc} to {@code file}: for the keyring, puts both tokens there
     * and returns the document without them. A keyring that fails or does not answer leaves the
     * tokens in the document (the server may already have rotated them: they must land somewhere)
     * and says so in one line.
     */
    public Map<String, Object> beforeWrite(DeploymentUrl url, Map<String, Object> doc, Path file) {
        StoreChoice target = target(url, file);
        Map<String, Object> out = new LinkedHashMap<>(doc);
        if (target == StoreChoice.KEYRING) {
            try {
                String refresh = (String) doc.get(REFRESH);
                if (refresh != null) {
                    keyring.put(new SecretKey(url.toString(), SecretKey.REFRESH), refresh);
                } else {
                    keyring.delete(new SecretKey(url.toString(), SecretKey.REFRESH));
                }
                keyring.put(new SecretKey(url.toString(), SecretKey.ACCESS), (String) doc.get(ACCESS));
                out.remove(ACCESS);
                out.remove(REFRESH);
                out.put(STORE, KEYRING);
                out.put(KEYRING, keyring.name());
                return out;
            } catch (KeyringException e) {
                keyringDown = true;
                warnings.println("coder-ssh: warning: " + e.getMessage() + "; the tokens for " + url
                        + " are stored in the file " + file + " instead");
            }
        }
        out.put(STORE, "file");
        return out;
    }

    /** After a write that moved a sign-in from the keyring to the file: drops the keyring entries. */
    public void afterWrite(DeploymentUrl url, Optional<StoreChoice> before, Map<String, Object> written) {
        if (before.orElse(null) == StoreChoice.KEYRING && !KEYRING.equals(written.get(STORE)) && !keyringDown) {
            forget(url, before);
        }
    }

    /**
     * Completes a document read from the file: keyring-held tokens are fetched. A keyring that does
     * not answer is a one-line failure (exit 1), missing entries mean "sign in again" (exit 3).
     */
    public Map<String, Object> afterRead(DeploymentUrl url, Map<String, Object> doc, Path file) {
        if (!KEYRING.equals(doc.get(STORE))) {
            return doc;
        }
        Map<String, Object> out = new LinkedHashMap<>(doc);
        try {
            out.put(ACCESS, required(url, SecretKey.ACCESS));
            if (!"session-token".equals(doc.get("kind"))) {
                out.put(REFRESH, required(url, SecretKey.REFRESH));
            }
            return out;
        } catch (KeyringException e) {
            throw unreadable(url, file, e);
        }
    }

    /** Only the access token of a keyring-held sign-in (the fast path needs no refresh token). */
    public String accessToken(DeploymentUrl url, Path file) {
        try {
            return required(url, SecretKey.ACCESS);
        } catch (KeyringException e) {
            throw unreadable(url, file, e);
        }
    }

    private CoderSshException unreadable(DeploymentUrl url, Path file, KeyringException e) {
        keyringDown = true;
        return CoderSshException.failure(e.getMessage() + ": cannot read the tokens for " + url
                + " (they are kept there; metadata in " + file + ")");
    }

    private String required(DeploymentUrl url, String kind) throws KeyringException {
        Optional<String> v = keyring.get(new SecretKey(url.toString(), kind));
        if (v.isEmpty() || v.get().isEmpty()) {
            throw CoderSshException.authRequired("the " + kind + " token for " + url + " is missing from the keyring ("
                    + keyring.name() + ")", url.toString());
        }
        return v.get();
    }

    /** A metadata-only view (for {@code status}): keyring-held tokens are not fetched. */
    public Map<String, Object> withoutSecrets(Map<String, Object> doc) {
        if (!KEYRING.equals(doc.get(STORE))) {
            return doc;
        }
        Map<String, Object> out = new LinkedHashMap<>(doc);
        out.put(ACCESS, NOT_LOADED);
        if (!"session-token".equals(doc.get("kind"))) {
            out.put(REFRESH, NOT_LOADED);
        }
        return out;
    }

    /** Deletes the keyring entries of a sign-in that lived there; a failure is one warning line. */
    public void forget(DeploymentUrl url, Optional<StoreChoice> where) {
        if (where.orElse(null) != StoreChoice.KEYRING) {
            return;
        }
        String why;
        if (keyringDown) {
            why = "the keyring (" + keyring.name() + ") failed earlier in this command";
        } else {
            try {
                keyring.delete(new SecretKey(url.toString(), SecretKey.REFRESH));
                keyring.delete(new SecretKey(url.toString(), SecretKey.ACCESS));
                return;
            } catch (KeyringException e) {
                keyringDown = true;
                why = e.getMessage();
            }
        }
        warnings.println("coder-ssh: warning: " + why + "; the tokens were not deleted from it: delete the entries"
                + " labelled \"coder-ssh ... token for " + url + "\" in your keyring by hand");
    }

    /**
     * Where the sign-in in {@code file} keeps its tokens, read without side effects (a corrupt file
     * is the store's business); empty when there is no readable file.
     */
    public Optional<StoreChoice> current(Path file) {
        Map<String, Object> m = peek(file);
        return m == null ? Optional.empty()
                : Optional.of(KEYRING.equals(m.get(STORE)) ? StoreChoice.KEYRING : StoreChoice.FILE);
    }

    /** For {@code status}: "keyring (Secret Service)" or the credentials file's path. */
    public String describe(Path file) {
        Map<String, Object> m = peek(file);
        if (m == null || !KEYRING.equals(m.get(STORE))) {
            return file.toString();
        }
        Object name = m.get(KEYRING);
        return "keyring (" + (name instanceof String ? name : keyring.name()) + ")";
    }

    private static Map<String, Object> peek(Path file) {
        try {
            if (Files.isSymbolicLink(file)) {
                return null;
            }
            return Json.parseObject(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | JsonException | IllegalArgumentException e) {
            return null;
        }
    }
}
