package dev.coderssh.core.store.keyring;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.deployment.DeploymentUrl;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps a confidential client's secret (and the RFC 7592 registration token) like the tokens:
 * in the 0600 client file, or with {@code login --store keyring} in the keyring, the file then
 * marked {@code "store": "keyring"} and holding neither. Works on the store's JSON document.
 */
public final class ClientSecrets {
    private static final Map<String, String> FIELDS = Map.of("client_secret", SecretKey.CLIENT_SECRET,
            "registration_access_token", SecretKey.REGISTRATION);
    private final TokenPlacement placement;
    private final SecretStore keyring;
    private final PrintStream warnings;

    ClientSecrets(TokenPlacement placement, SecretStore keyring, PrintStream warnings) {
        this.placement = placement;
        this.keyring = keyring;
        this.warnings = warnings;
    }

    /**
     * Before {@code doc} is written to {@code file}: for the keyring, moves the secrets there. A
     * keyring that fails keeps them in the document (a registered secret must land somewhere).
     */
    public Map<String, Object> beforeWrite(DeploymentUrl url, Map<String, Object> doc, Path file) {
        Map<String, Object> out = new LinkedHashMap<>(doc);
        boolean wasKeyring = placement.current(file).orElse(null) == StoreChoice.KEYRING;
        if (placement.target(url, file) == StoreChoice.KEYRING && !placement.keyringDown()) {
            try {
                for (Map.Entry<String, String> f : FIELDS.entrySet()) {
                    Object v = doc.get(f.getKey());
                    SecretKey key = new SecretKey(url.toString(), f.getValue());
                    if (v instanceof String) {
                        keyring.put(key, (String) v);
                    } else {
                        keyring.delete(key);
                    }
                    out.remove(f.getKey());
                }
                out.put(TokenPlacement.STORE, TokenPlacement.KEYRING);
                return out;
            } catch (KeyringException e) {
                placement.keyringFailed();
                warnings.println("coder-ssh: warning: " + e.getMessage() + "; the OAuth client secret for " + url
                        + " is stored in the file " + file + " instead");
                out = new LinkedHashMap<>(doc);
            }
        } else if (wasKeyring) {
            forget(url);
        }
        out.put(TokenPlacement.STORE, "file");
        return out;
    }

    /**
     * Completes a client document read from the file. A missing entry reads as no secret: the
     * server then answers invalid_client and login registers afresh. A keyring that does not
     * answer is one line (exit 1).
     */
    public Map<String, Object> afterRead(DeploymentUrl url, Map<String, Object> doc) {
        if (!TokenPlacement.KEYRING.equals(doc.get(TokenPlacement.STORE))) {
            return doc;
        }
        Map<String, Object> out = new LinkedHashMap<>(doc);
        try {
            for (Map.Entry<String, String> f : FIELDS.entrySet()) {
                Optional<String> v = keyring.get(new SecretKey(url.toString(), f.getValue()));
                out.put(f.getKey(), v.isPresent() && !v.get().isEmpty() ? v.get() : null);
            }
            return out;
        } catch (KeyringException e) {
            placement.keyringFailed();
            throw CoderSshException.failure(e.getMessage() + ": cannot read the OAuth client secret for " + url);
        }
    }

    /** Deletes the keyring entries of the client; a failure is one warning line. */
    public void forget(DeploymentUrl url) {
        if (placement.keyringDown()) {
            warnings.println("coder-ssh: warning: the keyring failed earlier in this command; delete the entry labelled"
                    + " \"coder-ssh OAuth client secret for " + url + "\" in your keyring by hand");
            return;
        }
        try {
            for (String kind : FIELDS.values()) {
                keyring.delete(new SecretKey(url.toString(), kind));
            }
        } catch (KeyringException e) {
            placement.keyringFailed();
            warnings.println("coder-ssh: warning: " + e.getMessage() + "; delete the entry labelled \"coder-ssh OAuth"
                    + " client secret for " + url + "\" in your keyring by hand");
        }
    }
}
