package dev.coderssh.core.login;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code $BROWSER} with the URL as its only argument, else the desktop's opener (xdg-open, open,
 * rundll32). The URL goes in argv, which is fine: it carries a PKCE challenge and a state, never a
 * token. The browser's own output is discarded so it can never reach our stdout (the ssh stream
 * when called from the proxy).
 */
public final class SystemBrowser implements Browser {
    private final Map<String, String> env;

    public SystemBrowser(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public void open(String url) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command(url))
                .redirectInput(ProcessBuilder.Redirect.from(new File(windows() ? "NUL" : "/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.start();
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
