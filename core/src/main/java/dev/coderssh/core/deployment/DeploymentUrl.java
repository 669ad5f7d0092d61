package dev.coderssh.core.deployment;

import dev.coderssh.core.CoderSshException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A Coder deployment's base URL in normal form: scheme, lower-case host, explicit non-default port,
 * no path, no trailing slash, no userinfo, query or fragment. Two spellings of one deployment give
 * equal values, so they share one credentials file and one ssh config block.
 *
 * <p>{@code http://} is accepted only for loopback hosts unless {@code allowInsecureHttp}.
 */
public record DeploymentUrl(String scheme, String host, int port) {
    static final int MAX_LENGTH = 512;

    public DeploymentUrl {
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw CoderSshException.usage("deployment URL must use https:// (got " + scheme + "://)");
        }
        if (host.isEmpty() || !host.equals(host.toLowerCase(Locale.ROOT))) {
            throw CoderSshException.usage("deployment URL host must be lower case and non-empty");
        }
        if (port < 1 || port > 65535) {
            throw CoderSshException.usage("deployment URL port out of range: " + port);
        }
    }

    public static DeploymentUrl parse(String text) {
        return parse(text, false);
    }

    public static DeploymentUrl parse(String text, boolean allowInsecureHttp) {
        if (text == null || text.isBlank()) {
            throw CoderSshException.usage("a deployment URL is required, e.g. https://coder.example.com");
        }
        String trimmed = text.strip();
        // Far beyond any real one (DNS names stop at 253); a longer "URL" fails in words, not later
        // as a file name the file system refuses.
        if (trimmed.length() > MAX_LENGTH) {
            throw CoderSshException.usage("deployment URL is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c < 0x21 || c == 0x7f) {
                throw CoderSshException.usage("deployment URL contains a space or control character");
            }
        }
        if (!trimmed.contains("://")) {
            trimmed = "https://" + trimmed;
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw CoderSshException.usage("not a valid deployment URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getRawUserInfo() != null) {
            throw CoderSshException.usage("deployment URL must not contain a user name or password");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw CoderSshException.usage("deployment URL must not have a query or fragment");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (!path.isEmpty() && !path.equals("/")) {
            throw CoderSshException.usage("deployment URL must be the server root, without a path (got " + path + ")");
        }
        String host = uri.getHost();
        if (host == null) {
            throw CoderSshException.usage("deployment URL has no host name");
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.length() > 253) {
            throw CoderSshException.usage("deployment URL host name is longer than 253 characters (the DNS limit)");
        }
        int port = uri.getPort();
        if (port == -1) {
            port = scheme.equals("http") ? 80 : 443;
        }
        DeploymentUrl url = new DeploymentUrl(scheme, host, port);
        if (scheme.equals("http") && !url.isLoopback() && !allowInsecureHttp) {
            throw CoderSshException.usage("refusing plain http:// for a non-loopback host; use https:// or --allow-insecure-http");
        }
        return url;
    }

    /**
     * localhost, [::1] or an IPv4 literal in 127/8. Only literals: a name like {@code 127.evil.com}
     * resolves wherever its owner likes, so it gets no plain-http exemption.
     */
    public boolean isLoopback() {
        return loopbackHost(host);
    }

    private static boolean loopbackHost(String h) {
        return h.equals("localhost") || h.equals("[::1]") || loopbackV4(h);
    }

    /**
     * Why {@code endpoint}, a URL this deployment's OAuth metadata or client registration names,
     * must not be sent a secret; null when it may. The deployment's own rule: https, or plain http
     * to a loopback literal, or plain http when this deployment is itself plain http on another
     * host (which only {@code --allow-insecure-http} admits). What a server says never turns an
     * https deployment's secrets into clear text.
     */
    public String endpointProblem(String endpoint) {
        URI uri;
        try {
            uri = new URI(endpoint);
        } catch (URISyntaxException | NullPointerException e) {
            return "is not an https:// URL";
        }
        String s = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String h = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
        if (h == null || !(s.equals("https") || s.equals("http")) || uri.getRawUserInfo() != null) {
            return "is not an https:// URL";
        }
        if (s.equals("https") || loopbackHost(h) || (scheme.equals("http") && !isLoopback())) {
            return null;
        }
        return scheme.equals("https") ? "is plain http:// while the deployment uses https://"
                : "is plain http:// to a host that is not loopback (allowed only when the deployment itself is"
                + " a non-loopback http:// URL, given with --allow-insecure-http)";
    }

    /** 127.d.d.d with 1-3 digits each; by hand, as this runs on the ProxyCommand's fast path. */
    private static boolean loopbackV4(String h) {
        String[] parts = h.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3) {
                return false;
            }
            for (int i = 0; i < p.length(); i++) {
                if (p.charAt(i) < '0' || p.charAt(i) > '9') {
                    return false;
                }
            }
        }
        return true;
    }

    private boolean defaultPort() {
        return (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
    }

    /** {@code host} or {@code host:port}: the name used in ssh config markers and file names. */
    public String authority() {
        return defaultPort() ? host : host + ":" + port;
    }

    /** A file-name-safe key for this deployment, e.g. {@code http_127.0.0.1_3000}. */
    public String fileKey() {
        StringBuilder sb = new StringBuilder(scheme).append('_');
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            sb.append(Character.isLetterOrDigit(c) || c == '.' || c == '-' ? c : '_');
        }
        return sb.append('_').append(port).toString();
    }

    /** The URL with a path appended, e.g. {@code resolve("/api/v2/buildinfo")}. */
    public String resolve(String path) {
        return toString() + path;
    }

    @Override
    public String toString() {
        return scheme + "://" + authority();
    }
}
