package dev.coderssh.core.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP request. Headers and body may hold secrets (tokens, client secrets, codes), so
 * {@link #toString()} shows neither.
 */
public record HttpRequest(String method, String url, Map<String, String> headers, byte[] body, String contentType) {
    public HttpRequest {
        headers = Map.copyOf(headers);
    }

    public static HttpRequest get(String url) {
        return new HttpRequest("GET", url, Map.of(), null, null);
    }

    public static HttpRequest postForm(String url, Map<String, String> form) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : form.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(FormEncoding.encode(e.getKey())).append('=').append(FormEncoding.encode(e.getValue()));
        }
        return new HttpRequest("POST", url, Map.of(), sb.toString().getBytes(StandardCharsets.UTF_8),
                "application/x-www-form-urlencoded");
    }

    public static HttpRequest json(String method, String url, String json) {
        return new HttpRequest(method, url, Map.of(), json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    public HttpRequest withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new HttpRequest(method, url, h, body, contentType);
    }

    @Override
    public String toString() {
        return "HttpRequest[" + method + " " + url + ", headers=" + headers.keySet() + "]";
    }
}
