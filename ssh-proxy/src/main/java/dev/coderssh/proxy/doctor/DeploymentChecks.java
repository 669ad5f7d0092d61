package dev.coderssh.proxy.doctor;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.ExitCode;
import dev.coderssh.core.api.BuildInfo;
import dev.coderssh.core.api.CoderApi;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.http.HttpRequest;
import dev.coderssh.core.http.HttpResponse;
import dev.coderssh.core.http.HttpTransport;
import dev.coderssh.core.json.Json;
import dev.coderssh.core.json.JsonFields;
import dev.coderssh.core.scope.Capability;
import dev.coderssh.core.scope.ScopeAssessment;
import dev.coderssh.core.scope.ScopeCatalog;
import dev.coderssh.core.token.AccessToken;
import dev.coderssh.core.token.AccessTokens;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/** The checks that talk to the deployment or the token store. */
final class DeploymentChecks {
    private DeploymentChecks() {
    }

    static Outcome reachable(CoderApi api, DeploymentUrl url, BuildInfo[] out) {
        try {
            out[0] = api.buildInfo();
            return Outcome.pass(url + " answers, Coder " + out[0].version());
        } catch (CoderSshException e) {
            return unreachable(url, e.getMessage());
        } catch (RuntimeException e) {
            return unreachable(url, "its answer could not be read");
        }
    }

    private static Outcome unreachable(DeploymentUrl url, String why) {
        String m = why == null ? "" : why;
        if (m.contains("PKIX") || m.contains("certificate") || m.contains("SSL") || m.contains("TLS")) {
            return Outcome.fail("TLS failed for " + url + ": " + m,
                    "pass --tls-ca-file with your company CA (the JVM ignores the OS trust store)");
        }
        return Outcome.fail(url + " unreachable: " + m, "check the URL, your network and HTTPS_PROXY/NO_PROXY");
    }

    /**
     * On or off from the RFC 8414 metadata document alone (buildinfo has no such field): 200 on,
     * 404 off on the newest servers, 403 off on older ones (the oauth2 experiment).
     */
    static Outcome provider(HttpTransport http, DeploymentUrl url) {
        String where = url.resolve("/.well-known/oauth-authorization-server");
        int status;
        try {
            status = http.send(HttpRequest.get(where)).status();
        } catch (IOException e) {
            return Outcome.fail("cannot read " + where, "check the network and HTTPS_PROXY/NO_PROXY");
        }
        if (status == 200) {
            return Outcome.pass("OAuth2 provider enabled");
        }
        if (status == 404 || status == 403) {
            return Outcome.fail("the deployment's OAuth2 provider is off (HTTP " + status + " from " + where + ")",
                    "ask an admin to set CODER_OAUTH2_PROVIDER_ENABLE=true (" + (status == 403 ? "this version: "
                            : "older versions: ") + "--experiments=oauth2), or sign in with a session token: open "
                            + url.resolve("/cli-auth") + " and run `coder-ssh login " + url + " --token-stdin`");
        }
        return Outcome.fail(where + " answered HTTP " + status, "check the deployment's logs");
    }

    static Outcome metadata(HttpTransport http, DeploymentUrl url) {
        String where = url.resolve("/.well-known/oauth-authorization-server");
        try {
            HttpResponse r = http.send(HttpRequest.get(where));
            if (r.status() != 200) {
                return Outcome.fail(where + " answered HTTP " + r.status(), "enable the OAuth2 provider on the deployment");
            }
            // Read as written, not through the SDK: sign-in tolerates a missing issuer, doctor reports it.
            Map<String, Object> m = Json.parseObject(r.bodyText());
            String issuer = JsonFields.string(m, "issuer") == null ? "" : JsonFields.string(m, "issuer");
            if (!stripSlash(issuer).equals(url.toString())) {
                return Outcome.fail("metadata issuer is \"" + issuer + "\", not " + url,
                        "use the deployment's access URL (CODER_ACCESS_URL) as --url");
            }
            for (String field : new String[] {"authorization_endpoint", "token_endpoint"}) {
                if (JsonFields.string(m, field) == null || JsonFields.string(m, field).isEmpty()) {
                    return Outcome.fail("metadata lacks " + field, "upgrade the deployment");
                }
            }
            boolean s256 = JsonFields.strings(m, "code_challenge_methods_supported").contains("S256");
            return s256 ? Outcome.pass("metadata sane (PKCE S256)")
                    : Outcome.fail("metadata does not offer PKCE S256", "upgrade the deployment");
        } catch (IOException | RuntimeException e) {
            return Outcome.fail("cannot read " + where + ": " + e.getMessage(), "check the deployment's logs");
        }
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    static Outcome signedIn(AccessTokens tokens, DeploymentUrl url, AccessToken[] out) {
        try {
            out[0] = tokens.fresh(url);
            return Outcome.pass("signed in" + (out[0].username() == null ? "" : " as " + out[0].username())
                    + ", token fresh" + (out[0].expiresAt() == null ? "" : " until " + out[0].expiresAt()));
        } catch (CoderSshException e) {
            String fix = "run `coder-ssh login " + url + "`";
            return Outcome.fail(e.exitCode() == ExitCode.AUTH_REQUIRED ? "not signed in, expired or revoked"
                    : e.getMessage(), fix);
        }
    }

    /** The stored token looked fresh, but the deployment answered 401: only a new sign-in helps. */
    static Outcome rejected(AccessToken token, DeploymentUrl url) {
        return Outcome.fail("signed in" + (token.username() == null ? "" : " as " + token.username())
                + " here, but the deployment rejected the token (HTTP 401): revoked, or signed out elsewhere",
                "run `coder-ssh login " + url + "` to sign in again");
    }

    /**
     * What the granted scopes cannot do by the catalogue (the probes that follow show what this
     * deployment really refuses; servers before 2.35 enforce no scopes at all).
     */
    static Outcome scopes(AccessToken token, DeploymentUrl url) {
        if (token.scopes().isEmpty()) {
            return Outcome.pass("no scopes recorded (a pasted session token may do all your account may)");
        }
        ScopeAssessment a = ScopeCatalog.assess(token.scopes());
        if (a.complete()) {
            return Outcome.pass("the granted scopes cover every SSH step on every version");
        }
        String lacks = "this sign-in lacks " + ids(a.missing());
        if (!a.versionDependent().isEmpty()) {
            lacks += (a.missing().isEmpty() ? "" : "; ") + "on some versions " + ids(a.versionDependent());
        }
        return Outcome.fail(lacks + " (`coder-ssh status` says what each breaks)", "run `coder-ssh login " + url
                + "` again (until then the sign-in works without these)");
    }

    private static String ids(Set<Capability> capabilities) {
        StringBuilder sb = new StringBuilder();
        for (Capability c : capabilities) {
            sb.append(sb.length() == 0 ? "" : ", ").append(c.id());
        }
        return sb.toString();
    }
}
