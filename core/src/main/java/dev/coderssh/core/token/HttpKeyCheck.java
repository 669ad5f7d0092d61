package dev.coderssh.core.token;

import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.http.HttpRequest;
import dev.coderssh.core.http.HttpResponse;
import dev.coderssh.core.http.HttpTransport;
import dev.coderssh.core.json.Json;
import dev.coderssh.core.json.JsonFields;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;

/**
 * {@link KeyCheck} over Coder's API: {@code GET /api/v2/users/me/keys/{id}} (the id is the access
 * token's part before '-') shows the key's {@code expires_at}. A token whose scopes do not cover
 * reading its own key (403/404 there) is asked {@code GET /api/v2/users/me} instead: accepted, expiry
 * unknown. Either request is an authenticated use, so it also extends the key at the server.
 */
public final class HttpKeyCheck implements KeyCheck {
    private final HttpTransport http;

    public HttpKeyCheck(HttpTransport http) {
        this.http = http;
    }

    @Override
    public Result check(DeploymentUrl deployment, String accessToken) {
        String id = SessionFiles.keyId(accessToken);
        try {
            if (id != null) {
                HttpResponse r = get(deployment, "/api/v2/users/me/keys/" + id, accessToken);
                if (r.status() == 200) {
                    return new Accepted(expiresAt(r));
                }
                if (r.status() == 401) {
                    return new Rejected();
                }
                if (r.status() != 403 && r.status() != 404) {
                    return new Unknown("HTTP " + r.status() + " from the key endpoint");
                }
            }
            HttpResponse me = get(deployment, "/api/v2/users/me", accessToken);
            if (me.status() == 200) {
                return new Accepted(null);
            }
            return me.status() == 401 ? new Rejected() : new Unknown("HTTP " + me.status() + " from /users/me");
        } catch (IOException e) {
            return new Unknown(e.getClass().getSimpleName());
        }
    }

    private HttpResponse get(DeploymentUrl deployment, String path, String token) throws IOException {
        return http.send(HttpRequest.get(deployment.resolve(path)).withHeader("Coder-Session-Token", token));
    }

    private static Instant expiresAt(HttpResponse r) {
        try {
            Object doc = Json.parse(r.bodyText());
            if (doc instanceof Map) {
                @SuppressWarnings("unchecked")
                String at = JsonFields.string((Map<String, Object>) doc, "expires_at");
                return at == null ? null : Instant.parse(at);
            }
        } catch (RuntimeException e) {
            // an answer we cannot read proves acceptance (200) but not the expiry
        }
        return null;
    }
}
