package dev.coderssh.core.login;

import dev.coderssh.core.cli.TerminalText;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code $BROWSER} with the URL as its only argument, else the desktop's opener (xdg-open, open,
 * rundll32). The URL goes in argv, which is fine: it carries a PKCE challenge and a state, never a
 * token. The browser's own output goes to a private temporary file, never to our stdout (the ssh
 * stream when called from the proxy); a command that exits non-zero is reported at once on
 * {@code err} with its status and the last line it wrote, and the sign-in keeps waiting (for a URL
 * opened by hand, or a paste).
 */
public final class SystemBrowser implements Browser {
    /** How much of the end of the browser's output is read for its last line. */
    static final int TAIL_BYTES = 4096;
    private final Map<String, String> env;
    private final PrintStream err;

    public SystemBrowser(Map<String, String> env, PrintStream err) {
        this.env = env;
        this.err = err;
    }

    @Override
    public void open(String url) throws IOException {
        List<String> command = command(url);
        // Created 0600; unlinked once the browser has it open, so nothing is left behind even when
        // the browser outlives us. A file, not a pipe: a browser writing after we exit must not
        // get SIGPIPE.
        Path output = Files.createTempFile("coder-ssh-browser", ".log");
        FileChannel tail = FileChannel.open(output, StandardOpenOption.READ);
        Process p;
        try {
            p = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File(windows() ? "NUL" : "/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                    .start();
        } catch (IOException e) {
            tail.close();
            throw e;
        } finally {
            try {
                Files.deleteIfExists(output);
            } catch (IOException e) {
                output.toFile().deleteOnExit(); // Windows: not while the browser has it open
            }
        }
        watch(p, command.get(0), tail);
    }

    /** Waits for the command on a daemon thread; a non-zero exit is said at once. */
    private void watch(Process p, String program, FileChannel tail) {
        Thread t = new Thread(new Runnable() {
            @Override
            public void run() {
                try (tail) {
                    int status = p.waitFor();
                    if (status != 0) {
                        String last = lastLine(tail);
                        err.println("The browser command failed (" + TerminalText.line(program, 200) + " exited with status "
                                + status + (last.isEmpty() ? "" : ": \"" + last + "\"") + "); open the URL above in a"
                                + " browser yourself. Still waiting for the sign-in.");
                    }
                } catch (IOException e) {
                    // Only the report is lost; the sign-in goes on waiting.
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "browser-watch");
        t.setDaemon(true);
        t.start();
    }

    /** The last non-blank line of what the command wrote, escaped and cut to one short line. */
    static String lastLine(FileChannel out) throws IOException {
        long size = out.size();
        long from = Math.max(0, size - TAIL_BYTES);
        ByteBuffer buf = ByteBuffer.allocate((int) (size - from));
        while (buf.hasRemaining() && out.read(buf, from + buf.position()) > 0) {
            // read it all
        }
        String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        String[] lines = text.split("\r?\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (!lines[i].isBlank()) {
                return TerminalText.line(lines[i], 200);
            }
        }
        return "";
    }

    List<String> command(String url) {
        String browser = env.get("BROWSER");
        if (browser != null && !browser.isBlank()) {
            return List.of(browser, url);
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("mac")) {
            return List.of("open", url);
        }
        if (windows()) {
            return List.of("rundll32", "url.dll,FileProtocolHandler", url);
        }
        return List.of("xdg-open", url);
    }

    private static boolean windows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");
    }
}
