package dev.coderssh.core.store.keyring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Stand-in {@code secret-tool} scripts for tests that need no D-Bus: a working one that keeps
 * entries as files (and logs each call's argv), and a hung one that records its pid and sleeps.
 * The real Secret Service is exercised by {@link SecretServiceKeyringTest}.
 */
final class KeyringFakes {
    private KeyringFakes() {
    }

    /** A {@code secret-tool} in {@code dir/bin} that stores entries under {@code dir/vault}. */
    static Path working(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("vault"));
        return script(dir, String.join("\n",
                "#!/bin/sh",
                "dir='" + dir + "'",
                "echo \"$*\" >> \"$dir/calls.log\"",
                "verb=$1; shift",
                "dep=; kind=",
                "while [ $# -gt 0 ]; do",
                "  case \"$1\" in",
                "    --label=*) shift;;",
                "    deployment) dep=$2; shift 2;;",
                "    kind) kind=$2; shift 2;;",
                "    *) shift 2;;",
                "  esac",
                "done",
                "f=\"$dir/vault/$(printf %s \"$dep\" | tr -c 'A-Za-z0-9' _)-$kind\"",
                "case $verb in",
                "  store) cat > \"$f\";;",
                "  lookup) [ -f \"$f\" ] || exit 1; cat \"$f\";;",
                "  clear) [ -f \"$f\" ] || exit 1; rm -f \"$f\";;",
                "  *) echo \"secret-tool: unknown verb\" >&2; exit 2;;",
                "esac",
                ""));
    }

    /**
     * A {@code secret-tool} that never answers: it writes its pid and its child's pid to
     * {@code dir/pids} and waits on a long sleep (a child process, as a real hung tool may have).
     */
    static Path hung(Path dir) throws IOException {
        return script(dir, String.join("\n",
                "#!/bin/sh",
                "dir='" + dir + "'",
                "echo \"$*\" >> \"$dir/calls.log\"",
                "sleep 600 &",
                "echo \"$$ $!\" > \"$dir/pids.tmp\" && mv \"$dir/pids.tmp\" \"$dir/pids\"",
                "wait",
                ""));
    }

    /** A {@code secret-tool} that fails like one without a D-Bus session. */
    static Path broken(Path dir) throws IOException {
        return script(dir, String.join("\n",
                "#!/bin/sh",
                "echo \"$*\" >> '" + dir + "/calls.log'",
                "echo 'secret-tool: Cannot autolaunch D-Bus without X11 $DISPLAY' >&2",
                "exit 1",
                ""));
    }

    static List<String> calls(Path dir) throws IOException {
        Path log = dir.resolve("calls.log");
        return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    }

    private static Path script(Path dir, String text) throws IOException {
        Path bin = dir.resolve("bin");
        Files.createDirectories(bin);
        Path tool = bin.resolve("secret-tool");
        Files.writeString(tool, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwx------"));
        return bin;
    }
}
