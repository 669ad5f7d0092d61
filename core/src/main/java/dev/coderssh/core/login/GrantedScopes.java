package dev.coderssh.core.login;

import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.http.HttpRequest;
import dev.coderssh.core.http.HttpResponse;
import dev.coderssh.core.http.HttpTransport;
import dev.coderssh.core.json.Json;
import dev.coderssh.core.json.JsonException;
import dev.coderssh.core.token.SessionFiles;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The scopes a new access token really has, from what the server shows: the token answer's
 * {@code scope} when it has one; otherwise the API key's own record
 * ({@code GET /api/v2/users/me/keys/{id}}). Real Coder 2.25.1 and 2.36.1 answer no {@code scope}
 * and record every OAuth key as {@code coder:all} (2.25: {@code "scope":"all"}): they do not
 * enforce the scopes asked for, and a client that printed the requested set would over-promise.
 */
final class GrantedScopes {
    private GrantedScopes() {
    }

    /** The granted scopes, space-separated; empty when the server shows none. */
    static String of(HttpTransport http, DeploymentUrl url, String accessToken, String answered) {
        if (answered != null && !answered.isBlank()) {
            return answered.strip();
        }
        String id = SessionFiles.keyId(accessToken);
        if (id == null) {
            return ""; // not a Coder API key (ID-SECRET): nothing to look up
        }
        try {
            HttpResponse r = http.send(HttpRequest.get(url.resolve("/api/v2/users/me/keys/" + id))
                    .withHeader("Coder-Session-Token", accessToken));
            if (!r.isSuccessful()) {
                return ""; // a narrowed key may not read itself: unknown, not unrestricted
            }
            Map<String, Object> key = Json.parseObject(r.bodyText());
            if (key.get("scopes") instanceof List<?> list && !list.isEmpty()) {
                StringBuilder sb = new StringBuilder();
                for (Object o : list) {
                    sb.append(sb.length() == 0 ? "" : " ").append(o);
                }
                return sb.toString();
            }
            return key.get("scope") instanceof String s && s.equals("all") ? "coder:all" : "";
        } catch (IOException | JsonException e) {
            return "";
        }
    }
}
