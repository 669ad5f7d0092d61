package dev.coderssh.core.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY as curl and the Go-based Coder CLI read them (either case).
 * The JVM itself ignores these variables.
 */
final class EnvProxySelector extends ProxySelector {
    private final Map<String, String> env;

    EnvProxySelector(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public List<Proxy> select(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (noProxy(host)) {
            return List.of(Proxy.NO_PROXY);
        }
        String value = "https".equalsIgnoreCase(uri.getScheme()) ? get("HTTPS_PROXY") : get("HTTP_PROXY");
        if (value == null) {
            return List.of(Proxy.NO_PROXY);
        }
        try {
            URI p = URI.create(value.contains("://") ? value : "http://" + value);
            int port = p.getPort() != -1 ? p.getPort() : ("https".equals(p.getScheme()) ? 443 : 80);
            return List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(p.getHost(), port)));
        } catch (IllegalArgumentException e) {
            return List.of(Proxy.NO_PROXY);
        }
    }

    boolean noProxy(String host) {
        String list = get("NO_PROXY");
        if (list == null) {
            return false;
        }
        for (String raw : list.split(",")) {
            String entry = raw.strip().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.equals("*")) {
                return true;
            }
            int colon = entry.lastIndexOf(':');
            if (colon > 0 && entry.indexOf(']') < colon) {
                entry = entry.substring(0, colon);
            }
            if (entry.startsWith(".")) {
                entry = entry.substring(1);
            }
            if (host.equals(entry) || host.endsWith("." + entry)) {
                return true;
            }
        }
        return false;
    }

    private String get(String name) {
        String v = env.get(name);
        if (v == null || v.isEmpty()) {
            v = env.get(name.toLowerCase(Locale.ROOT));
        }
        return v == null || v.isEmpty() ? null : v;
    }

    @Override
    public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
        // Nothing to learn: the request fails and is retried by the caller's policy.
    }
}
