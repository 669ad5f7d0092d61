package dev.coderssh.config;

import dev.coderssh.core.deployment.DeploymentUrl;
import java.nio.file.Path;
import java.util.List;

/**
 * Builds the ProxyCommand value. ssh expands {@code %} tokens first (so literal '%' is doubled),
 * then on POSIX hands the line to {@code $SHELL -c} (so arguments are single-quoted when needed),
 * while Win32-OpenSSH passes it to CreateProcess (so arguments are double-quoted, MSVCRT rules).
 */
final class ProxyCommands {
    private ProxyCommands() {
    }

    static String of(Path launcher, DeploymentUrl url, boolean windows) {
        return of(launcher, url, GenerationOptions.DEFAULT_PREFIX, null, windows);
    }

    /**
     * The proxy strips the prefix from %h; it defaults to "coder.", so only another one is passed.
     * A {@code hostnameSuffix} (for the {@code Host *.<suffix>} section) is passed as
     * {@code --hostname-suffix}, which also tells the proxy those names are not Coder Connect's.
     */
    static String of(Path launcher, DeploymentUrl url, String hostPrefix, String hostnameSuffix, boolean windows) {
        return of(launcher, url, hostPrefix, hostnameSuffix, List.of(), windows);
    }

    /** With {@code proxyArgs} ({@link ProxyArgs}: login, autostart, headers, TLS...) before %h. */
    static String of(Path launcher, DeploymentUrl url, String hostPrefix, String hostnameSuffix, List<String> proxyArgs,
                     boolean windows) {
        List<String> args = new java.util.ArrayList<>(List.of(launcher.toString(), "proxy", "--url", url.toString()));
        if (!hostPrefix.equals(GenerationOptions.DEFAULT_PREFIX)) {
            args.add("--host-prefix");
            args.add(hostPrefix);
        }
        if (hostnameSuffix != null) {
            args.add("--hostname-suffix");
            args.add(hostnameSuffix);
        }
        args.addAll(proxyArgs);
        StringBuilder sb = new StringBuilder();
        for (String arg : args) {
            sb.append(escapePercent(windows ? quoteWindows(arg) : quotePosix(arg))).append(' ');
        }
        return sb.append("%h").toString();
    }

    static String escapePercent(String s) {
        return s.replace("%", "%%");
    }

    static String quotePosix(String arg) {
        if (!arg.isEmpty() && arg.chars().allMatch(ProxyCommands::posixSafe)) {
            return arg;
        }
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    private static boolean posixSafe(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "/._-+:,=@%".indexOf(c) >= 0;
    }

    /** CommandLineToArgvW rules: backslashes are literal except before a quote. */
    static String quoteWindows(String arg) {
        if (!arg.isEmpty() && arg.chars().noneMatch(c -> c == ' ' || c == '\t' || c == '"')) {
            return arg;
        }
        StringBuilder sb = new StringBuilder("\"");
        int backslashes = 0;
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (c == '\\') {
                backslashes++;
                continue;
            }
            if (c == '"') {
                sb.append("\\".repeat(backslashes * 2 + 1)).append('"');
            } else {
                sb.append("\\".repeat(backslashes)).append(c);
            }
            backslashes = 0;
        }
        return sb.append("\\".repeat(backslashes * 2)).append('"').toString();
    }
}
