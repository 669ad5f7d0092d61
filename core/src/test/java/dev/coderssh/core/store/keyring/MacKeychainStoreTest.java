package dev.coderssh.core.store.keyring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our side of the {@code /usr/bin/security} contract, against a stand-in script that follows the
 * man page (interactive mode on stdin, {@code -X} hex passwords, exit 44 for "not found"). CI
 * has no Mac: this proves the secret never reaches argv and survives the encoding, not that Apple's
 * tool behaves exactly so (see the README section).
 */
class MacKeychainStoreTest {
    static final SecretKey KEY = new SecretKey("https://coder.example.com", SecretKey.ACCESS);
    @TempDir
    Path tmp;
    Path security;
    MacKeychainStore store;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(tmp.resolve("vault"));
        security = tmp.resolve("security");
        Files.writeString(security, String.join("\n",
                "#!/bin/sh",
                "dir='" + tmp + "'",
                "echo \"$*\" >> \"$dir/calls.log\"",
                "item() {",
                "  s=; a=; x=",
                "  while [ $# -gt 0 ]; do case \"$1\" in -s) s=$2; shift 2;; -a) a=$2; shift 2;; -X) x=$2; shift 2;;"
                        + " -l) shift 2;; *) shift;; esac; done",
                "  f=\"$dir/vault/$(printf %s \"$s-$a\" | tr -c 'A-Za-z0-9' _)\"",
                "}",
                "if [ \"$1\" = -i ]; then",
                "  while read -r line; do",
                "    eval \"set -- $line\"",
                "    [ \"$1\" = add-generic-password ] || { echo \"security: unknown command $1\" >&2; continue; }",
                "    [ -f \"$dir/fail\" ] && { echo 'security: SecKeychainItemCreateFromContent: User interaction is not allowed.' >&2; continue; }",
                "    shift; item \"$@\"; printf %s \"$x\" > \"$f\"",
                "  done",
                "  exit 0",
                "fi",
                "verb=$1; shift; item \"$@\"",
                "[ -f \"$f\" ] || { echo 'security: The specified item could not be found in the keychain.' >&2; exit 44; }",
                "case $verb in",
                "  find-generic-password) hex=$(cat \"$f\"); while [ -n \"$hex\" ]; do b=${hex%\"${hex#??}\"}; hex=${hex#??};"
                        + " printf \"\\\\$(printf %03o 0x$b)\"; done; echo;;",
                "  delete-generic-password) rm -f \"$f\";;",
                "esac",
                ""), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(security, PosixFilePermissions.fromString("rwx------"));
        store = new MacKeychainStore(new KeyringProcess(Map.of("PATH", "/usr/bin:/bin"), Duration.ofSeconds(10)),
                security.toString());
    }

    @Test
    void roundTripsOddSecretsWithoutArgv() throws Exception {
        assertThat(store.get(KEY)).isEmpty();
        store.put(KEY, "first");
        assertThat(store.get(KEY)).isEqualTo(Optional.of("first"));
        store.put(KEY, SecretServiceProbeMain.ODD);
        assertThat(store.get(KEY)).isEqualTo(Optional.of(SecretServiceProbeMain.ODD));
        store.delete(KEY);
        assertThat(store.get(KEY)).isEmpty();
        store.delete(KEY);

        List<String> calls = Files.readAllLines(tmp.resolve("calls.log"));
        assertThat(calls).contains("-i", "find-generic-password -s coder-ssh https://coder.example.com -a access -w");
        assertThat(calls).noneMatch(l -> l.contains("first") || l.contains("tök") || l.contains("-X") || l.contains("-w first"));
    }

    @Test
    void aComplaintInInteractiveModeIsAFailureEvenWithExitZero() throws Exception {
        Files.createFile(tmp.resolve("fail"));
        assertThatThrownBy(() -> store.put(KEY, "secret-x"))
                .isInstanceOf(KeyringException.class)
                .hasMessage("the keyring (macOS Keychain) refused `security add-generic-password` (exit 0: security:"
                        + " SecKeychainItemCreateFromContent: User interaction is not allowed.)")
                .hasMessageNotContaining("secret-x");
    }

    @Test
    void aTokenTooLongForTheInteractiveLineIsRefusedNotCut() {
        assertThatThrownBy(() -> store.put(KEY, "x".repeat(2000)))
                .isInstanceOf(KeyringException.class).hasMessageContaining("cannot take a token this long");
    }

    @Test
    void anEntryNotWrittenByUsIsAClearError() throws Exception {
        // Stored as hex of "not base64!" directly, as another tool might have.
        Files.writeString(tmp.resolve("vault").resolve("coder_ssh_https___coder_example_com_access"),
                java.util.HexFormat.of().formatHex("not base64!".getBytes(StandardCharsets.US_ASCII)));
        assertThatThrownBy(() -> store.get(KEY)).isInstanceOf(KeyringException.class)
                .hasMessageContaining("that coder-ssh did not write");
    }
}
