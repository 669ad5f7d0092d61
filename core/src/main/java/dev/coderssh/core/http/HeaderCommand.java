package dev.coderssh.core.http;

import dev.coderssh.core.process.BoundedProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code --header-command}, run once per process as the Coder CLI does: lines of {@code Name=value}. */
final class HeaderCommand {
    /** The whole run, output included (SECURITY.md, "Bounds"). */
    static final long TIMEOUT_MILLIS = 30_000;
    private final String command;
    private Map<String, String> headers;

    private final long timeoutMillis;

    HeaderCommand(String command) {
        this(command, TIMEOUT_MILLIS);
    }

    HeaderCommand(String command, long timeoutMillis) {
        this.command = command;
        this.timeoutMillis = timeoutMillis;
    }

    synchronized Map<String, String> headers() throws IOException {
        if (headers != null) {
            return headers;
        }
        Map<String, String> h = new LinkedHashMap<>();
        if (command != null && !command.isBlank()) {
            boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");
            List<String> cmd = new ArrayList<>(windows ? List.of("cmd.exe", "/c") : List.of("/bin/sh", "-c"));
            cmd.add(command);
            BoundedProcess.Output result;
            try {
                result = BoundedProcess.run(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT),
                        timeoutMillis, 64 * 1024);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted running --header-command");
            }
            if (result == null) {
                throw new IOException("--header-command did not finish within " + timeoutMillis + " ms");
            }
            if (result.exitStatus() != 0) {
                throw new IOException("--header-command failed (exit " + result.exitStatus() + ")");
            }
            String out = new String(result.stdout(), StandardCharsets.UTF_8);
            for (String line : out.split("\r?\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    String name = line.substring(0, eq).strip();
                    String problem = HeaderRules.problem(name + line.substring(eq));
                    if (problem != null) {
                        throw new IOException("--header-command printed a bad header: " + problem);
                    }
                    h.put(name, line.substring(eq + 1));
                }
            }
        }
        headers = h;
        return h;
    }
}
