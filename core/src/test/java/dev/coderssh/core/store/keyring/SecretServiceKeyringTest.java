package dev.coderssh.core.store.keyring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Secret Service backend for real: a private D-Bus session ({@code dbus-run-session}) with
 * gnome-keyring unlocked, and {@link SecretServiceProbeMain} in a JVM inside it. A shim
 * {@code secret-tool} first on the PATH copies every process's argv (/proc/*&#47;cmdline) at the
 * moment of each call to a dump, then execs the real tool; the probe checks no secret is in it.
 * Needs dbus, gnome-keyring and libsecret-tools (installed by .ci/run); without them it fails.
 */
class SecretServiceKeyringTest {
    static final List<String> CHECKS = List.of("missing-entry-is-empty", "put-get", "overwrite", "entries-are-separate",
            "odd-characters", "delete", "store-round-trip", "refresh-writes-new-pair", "logout-deletes-entries",
            "argv-never-holds-a-secret");
    @TempDir
    Path tmp;

    @Test
    void secretServiceEndToEnd() throws Exception {
        Path realTool = Path.of("/usr/bin/secret-tool");
        assertThat(realTool).as("libsecret-tools must be installed (.ci/run does)").isExecutable();
        assertThat(Path.of("/usr/bin/dbus-run-session")).as("dbus must be installed").isExecutable();
        assertThat(Path.of("/usr/bin/gnome-keyring-daemon")).as("gnome-keyring must be installed").isExecutable();

        Path dump = tmp.resolve("argv-dump.txt");
        Files.createFile(dump);
        Path shim = Files.createDirectories(tmp.resolve("shim"));
        Path tool = shim.resolve("secret-tool");
        Files.writeString(tool, String.join("\n",
                "#!/bin/sh",
                "for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < \"$f\"; echo; done >> '" + dump + "' 2>/dev/null",
                "exec " + realTool + " \"$@\"",
                ""));
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwx------"));
        Path userHome = Files.createDirectories(tmp.resolve("user"));
        Path runtime = Files.createDirectories(tmp.resolve("runtime"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path coderHome = Files.createDirectories(tmp.resolve("coder-ssh"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));

        List<String> cmd = new ArrayList<>(List.of("dbus-run-session", "--", "sh", "-c",
                // gnome-keyring creates and unlocks a login collection with this password.
                "printf 'ci-keyring-password' | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec \"$0\" \"$@\"",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                SecretServiceProbeMain.class.getName(), coderHome.toString(), dump.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.remove("DBUS_SESSION_BUS_ADDRESS");
        env.remove("DISPLAY");
        env.remove("GNOME_KEYRING_CONTROL");
        env.put("HOME", userHome.toString());
        env.put("XDG_RUNTIME_DIR", runtime.toString());
        env.put("XDG_DATA_HOME", userHome.resolve("data").toString());
        env.put("XDG_CACHE_HOME", userHome.resolve("cache").toString());
        env.put("PATH", shim + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        pb.redirectError(tmp.resolve("stderr.txt").toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();

        String err = Files.readString(tmp.resolve("stderr.txt"));
        assertThat(out).as("probe output; stderr:%n%s", err).contains("\ndone\n");
        for (String name : CHECKS) {
            assertThat(out).as("probe output").contains("check " + name + " ok\n");
        }
        assertThat(out).doesNotContain(" FAIL ");

        // Independently of the probe: the argv dump saw the calls and holds none of the secrets.
        String seen = Files.readString(dump);
        List<String> secrets = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("secret ")) {
                secrets.add(new String(HexFormat.of().parseHex(line.substring(7)), StandardCharsets.UTF_8));
            }
        }
        assertThat(secrets).hasSizeGreaterThanOrEqualTo(9).contains(SecretServiceProbeMain.ODD);
        assertThat(seen).contains("secret-tool store --label=coder-ssh access token for https://one.example.com service coder-ssh"
                + " deployment https://one.example.com kind access");
        for (String s : secrets) {
            assertThat(seen).doesNotContain(s.split("\n")[0]);
            assertThat(err).doesNotContain(s.split("\n")[0]);
        }
    }
}
