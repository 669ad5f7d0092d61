package dev.coderssh.core.store;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.home.CoderSshHome;
import dev.coderssh.core.json.Json;
import dev.coderssh.core.json.JsonException;
import dev.coderssh.core.json.JsonFields;
import dev.coderssh.core.store.keyring.Keyrings;
import dev.coderssh.core.store.keyring.StoreChoice;
import dev.coderssh.core.store.keyring.TokenPlacement;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The per-deployment credentials files ({@code credentials/<fileKey>.json}) and client
 * registrations ({@code clients/<fileKey>.json}) under the state root. Versioned schema
 * ({@code "schema": 1}); a file that does not parse, is truncated or has an unknown version is
 * moved aside ({@code .corrupt-<millis>}) and reported as "sign in again", never overwritten
 * silently and never a stack trace.
 *
 * <p>Loading goes through {@link Json}, jackson-core's streaming parser, not databind: it is on the
 * ProxyCommand's fast path. The layout written is the one of the hand-written writer before it
 * (WrittenByMainFixtureTest keeps a file of that version).
 *
 * <p>With {@code login --store keyring} the tokens live in the OS keyring and the file keeps the
 * metadata ({@link TokenPlacement} decides and moves them); a confidential client's secret
 * follows the same choice ({@link dev.coderssh.core.store.keyring.ClientSecrets}).
 */
public final class CredentialStore {
    public static final int SCHEMA = 1;
    private final CoderSshHome home;
    private final PrintStream warnings;
    private final Clock clock;
    private final TokenPlacement placement;

    public CredentialStore(CoderSshHome home, PrintStream warnings, Clock clock) {
        this(home, warnings, clock, new TokenPlacement(home, Keyrings.platform(System.getenv()), warnings));
    }

    public CredentialStore(CoderSshHome home, PrintStream warnings, Clock clock, TokenPlacement placement) {
        this.home = home;
        this.warnings = warnings;
        this.clock = clock;
        this.placement = placement;
    }

    /** Where tokens go (file or keyring); {@code login --store} sets its choice here. */
    public TokenPlacement placement() {
        return placement;
    }

    /** For {@code status}: the credentials file's path, or "keyring (Secret Service)" etc. */
    public String location(DeploymentUrl url) {
        return placement.describe(credentialsFile(url));
    }

    public CoderSshHome home() {
        return home;
    }

    public Path credentialsFile(DeploymentUrl url) {
        return home.credentialsFile(url);
    }

    public Path clientFile(DeploymentUrl url) {
        return home.root().resolve("clients").resolve(url.fileKey() + ".json");
    }

    /** The stored sign-in, or null when there is none. Tokens held in the keyring are fetched. */
    public Credentials load(DeploymentUrl url) {
        Map<String, Object> m = readDocument(credentialsFile(url), url, "credentials");
        if (m == null) {
            return null;
        }
        return parse(placement.afterRead(url, m, credentialsFile(url)), url);
    }

    /**
     * The stored sign-in without fetching keyring-held tokens (they read
     * {@link TokenPlacement#NOT_LOADED}), for {@code status}; null when there is none.
     */
    public Credentials loadMetadata(DeploymentUrl url) {
        Map<String, Object> m = readDocument(credentialsFile(url), url, "credentials");
        return m == null ? null : parse(placement.withoutSecrets(m), url);
    }

    /**
     * {@code c} (from {@link #loadMetadata}) with its access token fetched from the keyring if it
     * is held there; the refresh token stays unloaded. For the fast path: one keyring call.
     */
    public Credentials withAccessToken(Credentials c) {
        if (!TokenPlacement.NOT_LOADED.equals(c.accessToken())) {
            return c;
        }
        DeploymentUrl url = DeploymentUrl.parse(c.url(), true);
        return new Credentials(c.url(), c.kind(), placement.accessToken(url, credentialsFile(url)), c.refreshToken(),
                c.issuedAt(), c.expiresAt(), c.scope(), c.username(), c.clientId(), c.tokenEndpoint(),
                c.revocationEndpoint(), c.expired(), c.checkedAt(), c.acceptedUntil());
    }

    private Credentials parse(Map<String, Object> m, DeploymentUrl url) {
        try {
            return fromJson(m);
        } catch (IllegalArgumentException e) {
            throw quarantine(credentialsFile(url), url, "credentials", e.getMessage());
        }
    }

    /** Saves the sign-in; keyring-held tokens are written to the keyring before the file. */
    public void save(Credentials c) {
        save(c, null);
    }

    /**
     * Takes the disk space a later {@link #save(Credentials, SpaceReservation)} of this
     * deployment's sign-in needs, before anything is sent to the server (see {@link SpaceReservation}).
     */
    public SpaceReservation reserve(DeploymentUrl url) {
        Path file = credentialsFile(url);
        if (Files.isSymbolicLink(file)) {
            // writeAtomic would refuse it after the server had answered: refuse it before.
            throw CoderSshException.failure("refusing to replace " + file + ": it is a symbolic link; nothing was sent to "
                    + url + " and the stored sign-in is kept");
        }
        try {
            SecureFiles.checkRoot(home.root());
            SecureFiles.ensurePrivateDir(file.getParent(), warnings);
            return SpaceReservation.take(file);
        } catch (IOException e) {
            throw CoderSshException.failure("cannot save a sign-in in " + file.getParent() + " ("
                    + SpaceReservation.describe(e) + "); nothing was sent to " + url + " and the stored sign-in is kept");
        }
    }

    /** {@link #save(Credentials)} through a reservation taken before the server was asked (null: none). */
    public void save(Credentials c, SpaceReservation reserved) {
        DeploymentUrl url = DeploymentUrl.parse(c.url(), true);
        Path file = credentialsFile(url);
        Optional<StoreChoice> before = placement.current(file);
        Map<String, Object> doc = placement.beforeWrite(url, toJson(c), file);
        write(file, doc, reserved);
        placement.afterWrite(url, before, doc);
        dropTokenCopies();
    }


    /** Deletes the sign-in (keyring entries too); true if there was one. */
    public boolean delete(DeploymentUrl url) {
        placement.forget(url, placement.current(credentialsFile(url)));
        boolean deleted = deleteFile(credentialsFile(url));
        dropTokenCopies();
        return deleted;
    }

    /**
     * Deletes the proxy's plan cache ({@link CoderSshHome#plans}): its entries hold copies of access
     * tokens, and none may outlive the sign-in it was copied from. All of them, not one
     * deployment's: they are named after the proxy's argv, and the next connection rebuilds its own.
     * Best effort: the launcher also refuses an entry older than its credentials file.
     */
    private void dropTokenCopies() {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(home.plans())) {
            for (Path p : entries) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // No cache yet (the usual case), or it is unreadable: nothing more to do here.
        }
    }

    /**
     * Every readable sign-in, sorted by file name; unreadable ones are reported and skipped.
     * Metadata only: keyring-held tokens are not fetched (see {@link #loadMetadata}).
     */
    public List<Credentials> list() {
        List<Credentials> out = new ArrayList<>();
        Path dir = home.credentials();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json")) {
            for (Path p : ds) {
                files.add(p);
            }
        } catch (IOException e) {
            throw CoderSshException.failure("cannot list " + dir + ": " + SecureFiles.describe(e));
        }
        files.sort(null);
        for (Path p : files) {
            try {
                Map<String, Object> m = readDocument(p, null, "credentials");
                if (m != null) {
                    out.add(fromJson(placement.withoutSecrets(m)));
                }
            } catch (CoderSshException | IllegalArgumentException e) {
                warnings.println("coder-ssh: warning: skipping " + p.getFileName() + ": " + e.getMessage());
            }
        }
        return out;
    }

    public ClientRegistration loadClient(DeploymentUrl url) {
        Path file = clientFile(url);
        Map<String, Object> m = readDocument(file, url, "client registration");
        if (m == null) {
            return null;
        }
        m = placement.clientSecrets().afterRead(url, m);
        try {
            return new ClientRegistration(JsonFields.string(m, "url"), JsonFields.string(m, "source"),
                    JsonFields.string(m, "client_id"), JsonFields.string(m, "client_secret"),
                    JsonFields.string(m, "token_endpoint_auth_method"),
                    JsonFields.string(m, "registration_access_token"),
                    JsonFields.string(m, "registration_client_uri"), JsonFields.string(m, "scope"),
                    JsonFields.string(m, "redirect_uri"));
        } catch (IllegalArgumentException e) {
            throw quarantine(file, url, "client registration", e.getMessage());
        }
    }

    public void saveClient(DeploymentUrl url, ClientRegistration r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", (long) SCHEMA);
        m.put("url", url.toString());
        m.put("source", r.source());
        m.put("client_id", r.clientId());
        m.put("client_secret", r.clientSecret());
        m.put("token_endpoint_auth_method", r.authMethod());
        m.put("registration_access_token", r.registrationAccessToken());
        m.put("registration_client_uri", r.registrationClientUri());
        m.put("scope", r.scope());
        m.put("redirect_uri", r.redirectUri());
        write(clientFile(url), placement.clientSecrets().beforeWrite(url, m, clientFile(url)));
    }

    public boolean deleteClient(DeploymentUrl url) {
        if (placement.current(clientFile(url)).orElse(null) == StoreChoice.KEYRING) {
            placement.clientSecrets().forget(url);
        }
        return deleteFile(clientFile(url));
    }

    private Map<String, Object> readDocument(Path file, DeploymentUrl url, String what) {
        SecureFiles.checkRoot(home.root());
        byte[] data;
        try {
            data = SecureFiles.readPrivate(file, warnings);
        } catch (SecureFiles.TooLargeException e) {
            throw quarantine(file, url, what, "larger than any file coder-ssh writes");
        } catch (IOException e) {
            throw CoderSshException.failure("cannot read " + file + ": " + SecureFiles.describe(e));
        }
        if (data == null) {
            return null;
        }
        Map<String, Object> m;
        try {
            m = Json.parseObject(new String(data, StandardCharsets.UTF_8));
        } catch (JsonException e) {
            throw quarantine(file, url, what, "not valid JSON (" + e.getMessage() + ")");
        }
        Long schema = JsonFields.number(m, "schema");
        if (schema == null || schema != SCHEMA) {
            throw quarantine(file, url, what, "unknown schema version " + schema + " (written by a newer coder-ssh?)");
        }
        return m;
    }

    private CoderSshException quarantine(Path file, DeploymentUrl url, String what, String problem) {
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + clock.millis());
        String where;
        try {
            Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
            SecureFiles.fsyncDir(file.getParent());
            where = "moved aside to " + aside.getFileName();
        } catch (IOException e) {
            where = "could not move it aside";
        }
        String target = url == null ? "the deployment" : url.toString();
        return CoderSshException.authRequired("the stored " + what + " for " + target + " is unreadable: "
                + problem + "; " + where, target);
    }

    private void write(Path file, Map<String, Object> doc) {
        write(file, doc, null);
    }

    private void write(Path file, Map<String, Object> doc, SpaceReservation reserved) {
        try {
            SecureFiles.checkRoot(home.root());
            SecureFiles.ensurePrivateDir(file.getParent(), warnings);
            byte[] data = Json.write(doc).concat("\n").getBytes(StandardCharsets.UTF_8);
            if (reserved != null) {
                reserved.commit(data);
            } else {
                SecureFiles.writeAtomic(file, data);
            }
        } catch (IOException e) {
            throw CoderSshException.failure("cannot write " + file + ": " + SecureFiles.describe(e));
        }
    }

    private static boolean deleteFile(Path file) {
        try {
            boolean deleted = Files.deleteIfExists(file);
            if (deleted) {
                SecureFiles.fsyncDir(file.getParent());
            }
            return deleted;
        } catch (IOException e) {
            throw CoderSshException.failure("cannot delete " + file + ": " + SecureFiles.describe(e));
        }
    }

    static Map<String, Object> toJson(Credentials c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", (long) SCHEMA);
        m.put("url", c.url());
        m.put("kind", c.kind());
        m.put("access_token", c.accessToken());
        m.put("refresh_token", c.refreshToken());
        m.put("issued_at_ms", c.issuedAt() == null ? null : c.issuedAt().toEpochMilli());
        m.put("expires_at_ms", c.expiresAt() == null ? null : c.expiresAt().toEpochMilli());
        m.put("scope", c.scope());
        m.put("username", c.username());
        m.put("client_id", c.clientId());
        m.put("token_endpoint", c.tokenEndpoint());
        m.put("revocation_endpoint", c.revocationEndpoint());
        m.put("expired", c.expired());
        if (c.checkedAt() != null) {
            m.put("checked_at_ms", c.checkedAt().toEpochMilli());
        }
        if (c.acceptedUntil() != null) {
            m.put("accepted_until_ms", c.acceptedUntil().toEpochMilli());
        }
        return m;
    }

    static Credentials fromJson(Map<String, Object> m) {
        Long issued = JsonFields.number(m, "issued_at_ms");
        Long expires = JsonFields.number(m, "expires_at_ms");
        return new Credentials(JsonFields.string(m, "url"), JsonFields.string(m, "kind"),
                JsonFields.string(m, "access_token"), JsonFields.string(m, "refresh_token"),
                issued == null ? null : Instant.ofEpochMilli(issued), expires == null ? null : Instant.ofEpochMilli(expires),
                JsonFields.string(m, "scope"), JsonFields.string(m, "username"), JsonFields.string(m, "client_id"),
                JsonFields.string(m, "token_endpoint"), JsonFields.string(m, "revocation_endpoint"),
                JsonFields.bool(m, "expired"), instant(JsonFields.number(m, "checked_at_ms")),
                instant(JsonFields.number(m, "accepted_until_ms")));
    }

    private static Instant instant(Long ms) {
        return ms == null ? null : Instant.ofEpochMilli(ms);
    }
}
