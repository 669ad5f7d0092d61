package dev.coderssh.proxy.doctor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Asks the installed OpenSSH client: its version, and the effective config for a host. */
interface SshProbe {
    /** {@code ssh -V} output, or null when ssh does not run. */
    String version();

    /** {@code ssh -G host} output (the config ssh would use), or null. */
    String effectiveConfig(String host);

    /** The real {@code ssh} on PATH with its usual config files. */
    static SshProbe system() {
        return system(null);
    }

    /** The real {@code ssh} on PATH; with {@code configFile}, {@code ssh -F configFile}. */
    static SshProbe system(String configFile) {
        return new SshProbe() {
            @Override
            public String version() {
                return run(List.of("ssh", "-V"));
            }

            @Override
            public String effectiveConfig(String host) {
                return run(configFile == null ? List.of("ssh", "-G", host)
                        : List.of("ssh", "-F", configFile, "-G", host));
            }
        };
    }

    private static String run(List<String> cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            Process p = pb.start();
            p.getOutputStream().close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            InputStream in = p.getInputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0 && out.size() < 1 << 20) {
                out.write(buf, 0, n);
            }
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? out.toString(StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
