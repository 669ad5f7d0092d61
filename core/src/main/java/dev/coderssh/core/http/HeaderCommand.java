package dev.coderssh.core.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code --header-command}, run once per process as the Coder CLI does: lines of {@code Name=value}. */
final class HeaderCommand {
    private final String command;
    private Map<String, String> headers;

    HeaderCommand(String command) {
        this.command = command;
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
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readNBytes(64 * 1024), StandardCharsets.UTF_8);
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    p.destroyForcibly();
                    throw new IOException("--header-command failed");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted running --header-command");
            }
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
