package dev.coderssh.proxy.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code coder version --output json} and compares versions as the IDE plugins do. */
public final class CliVersion {
    private CliVersion() {
    }

    /** The binary's version, or null when it does not run or answers something unreadable. */
    public static String of(Path binary) {
        try {
            ProcessBuilder pb = new ProcessBuilder(List.of(binary.toString(), "version", "--output", "json"));
            pb.redirectErrorStream(true);
            pb.redirectInput(ProcessBuilder.Redirect.PIPE);
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = readCapped(p.getInputStream(), 64 * 1024);
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? jsonVersion(new String(out, StandardCharsets.UTF_8)) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static byte[] readCapped(InputStream in, int cap) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] b = new byte[8192];
        int n;
        while ((n = in.read(b)) > 0) {
            if (buf.size() < cap) {
                buf.write(b, 0, Math.min(n, cap - buf.size()));
            }
        }
        return buf.toByteArray();
    }

    /** The "version" string of a flat JSON object; a tiny scan rather than an object mapper. */
    static String jsonVersion(String json) {
        int key = json.indexOf("\"version\"");
        if (key < 0) {
            return null;
        }
        int colon = json.indexOf(':', key + 9);
        int open = colon < 0 ? -1 : json.indexOf('"', colon + 1);
        int close = open < 0 ? -1 : json.indexOf('"', open + 1);
        if (close < 0 || !json.substring(colon + 1, open).isBlank()) {
            return null;
        }
        return json.substring(open + 1, close);
    }

    /** Equal ignoring a leading "v" and "+build" metadata (semver 2.0.0 section 10). */
    public static boolean matches(String cli, String server) {
        return cli != null && server != null && core(cli).equals(core(server));
    }

    static String core(String v) {
        String s = v.strip();
        if (s.startsWith("v")) {
            s = s.substring(1);
        }
        int plus = s.indexOf('+');
        return plus < 0 ? s : s.substring(0, plus);
    }
}
