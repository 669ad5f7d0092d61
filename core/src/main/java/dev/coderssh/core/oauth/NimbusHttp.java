package dev.coderssh.core.oauth;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import dev.coderssh.core.http.HttpRequest;
import dev.coderssh.core.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The SDK's messages over our own transport: its {@link HTTPRequest} becomes an {@link HttpRequest}
 * (so --header, proxy, CA and retries apply as to every other call) and our {@link HttpResponse}
 * becomes its {@link HTTPResponse} for parsing. The SDK's own HTTP client is never used.
 */
final class NimbusHttp {
    private NimbusHttp() {
    }

    static HttpRequest toOurs(HTTPRequest h) {
        Map<String, String> headers = new LinkedHashMap<>();
        String contentType = null;
        for (Map.Entry<String, List<String>> e : h.getHeaderMap().entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            if (e.getKey().toLowerCase(Locale.ROOT).equals("content-type")) {
                contentType = e.getValue().get(0);
            } else {
                headers.put(e.getKey(), e.getValue().get(0));
            }
        }
        String body = h.getBody();
        return new HttpRequest(h.getMethod().name(), h.getURL().toString(), headers,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), contentType);
    }

    static HTTPResponse toNimbus(HttpResponse r) {
        HTTPResponse h = new HTTPResponse(r.status());
        for (Map.Entry<String, List<String>> e : r.headers().entrySet()) {
            if (!e.getValue().isEmpty()) {
                h.setHeader(e.getKey(), e.getValue().toArray(new String[0]));
            }
        }
        h.setBody(r.bodyText());
        return h;
    }
}
