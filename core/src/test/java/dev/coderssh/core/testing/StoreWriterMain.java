package dev.coderssh.core.testing;

import dev.coderssh.core.store.CredentialStore;
import dev.coderssh.core.store.Credentials;
import dev.coderssh.core.home.CoderSshHome;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

/** Rewrites one credentials file forever, for the SIGKILL test: {@code <home> <url>}. */
public final class StoreWriterMain {
    private StoreWriterMain() {
    }

    public static void main(String[] args) {
        CredentialStore store = new CredentialStore(new CoderSshHome(Path.of(args[0])), System.err, Clock.systemUTC());
        for (long i = 0; ; i++) {
            String pad = "p".repeat((int) (i % 4096));
            store.save(new Credentials(args[1], Credentials.OAUTH, "AT" + i + pad, "coder_r" + i, Instant.ofEpochMilli(i),
                    Instant.ofEpochMilli(i + 1000), "scope", "alice", "client", args[1] + "/oauth2/tokens", null, false));
            if (i == 0) {
                System.out.println("ready");
                System.out.flush();
            }
        }
    }
}
