package dev.coderssh.config;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@link SshClient} by running the {@code ssh} binary on the PATH (or the one given). */
public final class OpenSshClient implements SshClient {
    private static final Pattern VERSION = Pattern.compile("OpenSSH_(?:for_Windows_)?(\\d+)\\.(\\d+)");
    private final String ssh;

    public OpenSshClient(String ssh) {
        this.ssh = ssh;
    }

    public static OpenSshClient onPath() {
        return new OpenSshClient("ssh");
    }

    @Override
    public Optional<int[]> version() {
        return run(List.of(ssh, "-V")).flatMap(out -> {
            Matcher m = VERSION.matcher(out);
            return m.find() ? Optional.of(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))})
                    : Optional.empty();
        });
    }

    @Override
    public Optional<Map<String, String>> effectiveOptions(Path configFile, String host) {
        return run(List.of(ssh, "-G", "-F", configFile.toString(), "--", host)).map(out -> {
            Map<String, String> options = new HashMap<>();
            for (String line : out.split("\r?\n")) {
                int sp = line.indexOf(' ');
                if (sp > 0) {
                    options.putIfAbsent(line.substring(0, sp), line.substring(sp + 1));
                }
            }
            return options;
        });
    }

    /** Output (stdout and stderr together), or empty when ssh cannot run or fails. */
    private static Optional<String> run(List<String> command) {
        Process p;
        try {
            p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(nullFile())).start();
        } catch (IOException e) {
            return Optional.empty();
        }
        try (InputStream in = p.getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return Optional.of(out.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            p.destroyForcibly();
            return Optional.empty();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static java.io.File nullFile() {
        return new java.io.File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
