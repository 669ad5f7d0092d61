package dev.coderssh.core.oauth;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.http.HttpRequest;
import dev.coderssh.core.http.HttpResponse;
import dev.coderssh.core.http.HttpTransport;
import dev.coderssh.core.json.JsonException;
import dev.coderssh.core.store.ClientRegistration;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The OAuth protocol calls: discovery (RFC 8414), token requests (RFC 6749 section 4.1.3 and 6),
 * revocation (RFC 7009), dynamic registration (RFC 7591) and its management (RFC 7592). The
 * messages are the SDK's (Nimbus, see {@link SdkRequests}) except the refresh's; all of them go
 * through our {@link HttpTransport}, so proxy, CA and --header options apply.
 * Token requests retry network errors, 429 and 5xx a few times with backoff and jitter (or the
 * server's Retry-After, within a bound), each attempt and the whole bounded in time; after that
 * they return {@link TokenResult.Error}.
 */
public final class OAuthClient {
    static final int ATTEMPTS = 4;
    static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);
    /**
     * Per attempt of a token request. A ProxyCommand runs inside ssh with a person (or an IDE)
     * waiting: coderd answers a refresh in milliseconds, so 10 s means it is not going to answer,
     * and the transport's general 30 s read timeout (60 s call) times four would hang ssh for
     * minutes.
     */
    static final Duration TOKEN_CALL_TIMEOUT = Duration.ofSeconds(10);
    /** No new attempt of a token request starts after this much time: worst case about 21 s. */
    static final Duration TOKEN_BUDGET = Duration.ofSeconds(20);
    private final HttpTransport http;
    private final Sleeper sleeper;
    private final Random jitter;
    private final Clock clock;

    public OAuthClient(HttpTransport http, Sleeper sleeper, Random jitter, Clock clock) {
        this.http = http;
        this.sleeper = sleeper;
        this.jitter = jitter;
        this.clock = clock;
    }

    /**
     * RFC 8414 metadata; null when the provider is off. This document is Coder's on/off signal
     * (buildinfo has none): 404 on the newest servers (provider flag unset), 403 where the routes sit
     * behind the oauth2 experiment (2.36.1, seen); 2.25 serves it even then, see
     * {@link #oauthTreeGated}. Coder serves no OpenID configuration.
     */
    public OAuthMetadata discover(DeploymentUrl url) {
        String where = url.resolve("/.well-known/oauth-authorization-server");
        HttpResponse r = sendWithRetry(HttpRequest.get(where));
        if (r.status() == 404 || r.status() == 403) {
            return null;
        }
        if (!r.isSuccessful()) {
            throw CoderSshException.failure("OAuth discovery at " + where + " failed: HTTP " + r.status());
        }
        OAuthMetadata m;
        try {
            m = OAuthMetadata.parse(r.bodyText(), url.toString());
        } catch (JsonException e) {
            throw CoderSshException.failure("OAuth metadata at " + where + " is " + e.getMessage());
        }
        // Only an endpoint that obeys the deployment's rule is probed; sign-in refuses the others.
        boolean probe = m.problems().isEmpty() && url.endpointProblem(m.tokenEndpoint()) == null;
        return probe && oauthTreeGated(m.tokenEndpoint()) ? null : m;
    }

    /**
     * Coder 2.25 (seen on the real server) serves the metadata whatever the oauth2 experiment
     * says, and answers every {@code /oauth2/*} request 403 while it is off: one request to the
     * token endpoint tells (a GET, nothing secret; 405 or 400 when the tree is open).
     */
    private boolean oauthTreeGated(String tokenEndpoint) {
        try {
            return http.send(HttpRequest.get(tokenEndpoint), TOKEN_CALL_TIMEOUT).status() == 403;
        } catch (IOException e) {
            return false; // the exchange will report an unreachable token endpoint itself
        }
    }

    /** Exchanges an authorization code (RFC 6749 section 4.1.3, with the RFC 7636 verifier). */
    public TokenResult exchangeCode(String tokenEndpoint, ClientRegistration client, String code, String redirectUri,
                                    CodeVerifier verifier) {
        requireAllowed(client.url(), "token endpoint", tokenEndpoint);
        return tokenRequest(SdkRequests.codeExchange(tokenEndpoint, client, code, redirectUri, verifier), tokenEndpoint, null);
    }

    /**
     * Refreshes (RFC 6749 section 6). At Coder the refresh token is single use: persist the result
     * first. An answer without a new refresh token keeps the one sent, as section 6 says; at Coder,
     * which always rotates, that one is then used up, and the next refresh asks for a new sign-in,
     * but the access token in hand works until then.
     */
    // Built by hand, not with the SDK's TokenRequest: this runs inside the ProxyCommand (see TokenResponses for the numbers).
    public TokenResult refresh(String tokenEndpoint, ClientRegistration client, String refreshToken) {
        requireAllowed(client.url(), "token endpoint", tokenEndpoint);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        return tokenRequest(authenticate(HttpRequest.postForm(tokenEndpoint, withClientId(form, client)), client),
                tokenEndpoint, refreshToken);
    }

    /**
     * RFC 7009 revocation; returns the HTTP status, 200 when the server confirmed (also for unknown
     * tokens, section 2.2), so the caller can say which answer it got otherwise.
     */
    public int revoke(String revocationEndpoint, ClientRegistration client, String token, String hint) {
        requireAllowed(client.url(), "revocation endpoint", revocationEndpoint);
        // The bounds of a token request: logout must not wait minutes for a server that never answers.
        HttpResponse r = sendWithRetry(SdkRequests.revocation(revocationEndpoint, client, token, hint),
                TOKEN_CALL_TIMEOUT, TOKEN_BUDGET);
        return r.status();
    }

    /**
     * Coder's own revocation where there is no RFC 7009 endpoint (2.25 lists none, seen on the
     * real server): {@code DELETE <token endpoint>?client_id=ID} as the user (the access token
     * itself) deletes every token of this app and user, and with each its API key. Returns the
     * HTTP status (204 when done).
     */
    public int revokeAppTokens(String tokenEndpoint, ClientRegistration client, String accessToken) {
        requireAllowed(client.url(), "token endpoint", tokenEndpoint);
        String url = tokenEndpoint + (tokenEndpoint.contains("?") ? "&" : "?") + "client_id="
                + URLEncoder.encode(client.clientId(), StandardCharsets.UTF_8);
        HttpRequest delete = new HttpRequest("DELETE", url, Map.of("Coder-Session-Token", accessToken), null, null);
        return sendWithRetry(delete, TOKEN_CALL_TIMEOUT, TOKEN_BUDGET).status();
    }

    /**
     * RFC 7591 registration of a client for this installation, with the exact loopback
     * {@code redirectUri} of this login: servers that compare the port match it, and it is kept
     * as the port to fall back to when the registration cannot be updated later.
     */
    public ClientRegistration register(DeploymentUrl url, String registrationEndpoint, String clientName, String scope,
                                       String authMethod, String redirectUri) {
        requireAllowed(url.toString(), "registration endpoint", registrationEndpoint);
        HttpResponse r = sendWithRetry(SdkRequests.registration(registrationEndpoint, clientName, scope, authMethod,
                redirectUri));
        if (r.status() == 429) {
            throw CoderSshException.failure(rateLimited(r, url.toString()));
        }
        if (r.status() != 201 && r.status() != 200) {
            throw CoderSshException.failure("client registration at " + url + " failed: HTTP " + r.status()
                    + SdkResponses.error(r));
        }
        ClientRegistration registered;
        try {
            registered = SdkResponses.registered(r, url.toString(), authMethod, scope, redirectUri);
        } catch (SdkResponses.Unusable e) {
            throw CoderSshException.failure("client registration at " + url + " " + e.getMessage());
        }
        if (registered.registrationClientUri() != null) {
            // Its management token would go there later (RFC 7592): refuse now, before it is stored.
            requireAllowed(url.toString(), "registration_client_uri", registered.registrationClientUri());
        }
        return registered;
    }

    /**
     * RFC 7592 update (PUT replaces the whole registration) to the exact {@code redirectUri} of
     * this login's listener. Returns the updated registration, or null when the server cannot
     * update it (no management URI, PUT not offered, refused): the caller then uses the port fixed
     * at registration.
     */
    public ClientRegistration updateRedirect(ClientRegistration client, String clientName, String redirectUri) {
        if (client.registrationClientUri() == null || client.registrationAccessToken() == null) {
            return null;
        }
        requireAllowed(client.url(), "registration_client_uri", client.registrationClientUri());
        HttpResponse r;
        try {
            r = sendWithRetry(SdkRequests.update(client, clientName, redirectUri));
        } catch (CoderSshException e) {
            return null;
        }
        return r.status() == 200 ? SdkResponses.updated(r, client, redirectUri) : null;
    }

    /** RFC 7592 read: false when the server no longer knows the client (401, 403, 404). */
    public boolean registrationKnown(ClientRegistration client) {
        if (client.registrationClientUri() == null || client.registrationAccessToken() == null) {
            return true;
        }
        requireAllowed(client.url(), "registration_client_uri", client.registrationClientUri());
        HttpResponse r = sendWithRetry(SdkRequests.read(client));
        return !(r.status() == 401 || r.status() == 403 || r.status() == 404);
    }

    /** RFC 7592 delete; true when the server confirmed or no longer knew the client. */
    public boolean deleteRegistration(ClientRegistration client) {
        if (client.registrationClientUri() == null || client.registrationAccessToken() == null) {
            return false;
        }
        requireAllowed(client.url(), "registration_client_uri", client.registrationClientUri());
        HttpResponse r = sendWithRetry(SdkRequests.delete(client));
        return r.isSuccessful() || r.status() == 404;
    }

    /**
     * Every request here carries a secret (code and verifier, a refresh or registration token, a
     * client secret) or brings one back: none goes to an endpoint the deployment's rule forbids
     * ({@link DeploymentUrl#endpointProblem}), whatever the metadata or a stored file says.
     */
    private static void requireAllowed(String deployment, String what, String endpoint) {
        String problem = DeploymentUrl.parse(deployment, true).endpointProblem(endpoint);
        if (problem != null) {
            throw CoderSshException.failure("refusing to use the " + what + " " + clean(String.valueOf(endpoint)) + " of "
                    + deployment + ": it " + problem + "; nothing secret was sent");
        }
    }

    private TokenResult tokenRequest(HttpRequest req, String endpoint, String previousRefresh) {
        HttpResponse r;
        try {
            r = sendWithRetry(req, TOKEN_CALL_TIMEOUT, TOKEN_BUDGET);
        } catch (CoderSshException e) {
            return new TokenResult.Error(0, TokenResult.Error.UNAVAILABLE, e.getMessage());
        }
        if (r.status() == 429) {
            // Coder's limiter answers its plain {"message"}, not an OAuth error: a pause, never a verdict.
            return new TokenResult.Error(429, TokenResult.Error.RATE_LIMITED, rateLimited(r, endpoint));
        }
        return TokenResponses.parse(r, clock, previousRefresh);
    }

    /** One line for a 429 that outlasted the retry budget: "rate limited by URL; try again in N s". */
    String rateLimited(HttpResponse r, String where) {
        Duration ra = retryAfter(r.header("retry-after"));
        return "rate limited by " + hostOf(where) + "; try again in "
                + (ra == null ? "a minute" : Math.max(1, ra.toSeconds()) + " s");
    }

    /** Client authentication (RFC 6749 section 2.3.1): basic header, post body, or id only. */
    private static Map<String, String> withClientId(Map<String, String> form, ClientRegistration client) {
        Map<String, String> f = new LinkedHashMap<>(form);
        if (!"client_secret_basic".equals(client.authMethod()) || client.clientSecret() == null) {
            f.put("client_id", client.clientId());
        }
        if ("client_secret_post".equals(client.authMethod()) && client.clientSecret() != null) {
            f.put("client_secret", client.clientSecret());
        }
        return f;
    }

    private static HttpRequest authenticate(HttpRequest req, ClientRegistration client) {
        if ("client_secret_basic".equals(client.authMethod()) && client.clientSecret() != null) {
            String pair = URLEncoder.encode(client.clientId(), StandardCharsets.UTF_8) + ":"
                    + URLEncoder.encode(client.clientSecret(), StandardCharsets.UTF_8);
            return req.withHeader("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        return req;
    }

    /**
     * Sends with bounded retries: network errors and 5xx back off exponentially with jitter; 429
     * waits for Retry-After when it is within {@link #MAX_RETRY_AFTER}. The last response (or a
     * one-line failure) is returned.
     */
    HttpResponse sendWithRetry(HttpRequest req) {
        return sendWithRetry(req, null, null);
    }

    /**
     * @param callTimeout bound of each attempt, or null for the transport's own timeouts
     * @param budget      no retry starts (nor is waited for) past this time since the first attempt
     */
    HttpResponse sendWithRetry(HttpRequest req, Duration callTimeout, Duration budget) {
        String lastProblem = null;
        HttpResponse last = null;
        Instant start = clock.instant();
        int made = 0;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            made = attempt;
            Duration wait;
            try {
                last = callTimeout == null ? http.send(req) : http.send(req, callTimeout);
                if (last.status() != 429 && last.status() < 500) {
                    return last;
                }
                // The server may say when it will answer again (429, 503); waiting longer than a
                // person would is worse than one clear line now.
                Duration ra = retryAfter(last.header("retry-after"));
                if (ra != null && ra.compareTo(MAX_RETRY_AFTER) > 0) {
                    return last;
                }
                wait = ra != null ? ra : backoff(attempt);
                lastProblem = "HTTP " + last.status();
            } catch (IOException e) {
                last = null;
                if (e instanceof javax.net.ssl.SSLException) {
                    // Retrying cannot make a certificate trusted.
                    throw CoderSshException.failure(dev.coderssh.core.http.HttpTransports.problem(e, hostOf(req.url())));
                }
                lastProblem = dev.coderssh.core.http.HttpTransports.problem(e, hostOf(req.url()));
                wait = backoff(attempt);
            }
            if (attempt == ATTEMPTS
                    || (budget != null && Duration.between(start, clock.instant()).plus(wait).compareTo(budget) >= 0)) {
                break;
            }
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (last != null) {
            return last;
        }
        throw CoderSshException.failure("cannot reach " + hostOf(req.url()) + " after " + made + (made == 1 ? " attempt: " : " attempts: ") + lastProblem);
    }

    private Duration backoff(int attempt) {
        long base = 250L << (attempt - 1);
        return Duration.ofMillis(base + jitter.nextInt((int) base));
    }

    private Duration retryAfter(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
        } catch (NumberFormatException e) {
            try {
                Instant at = java.time.ZonedDateTime.parse(value.strip(),
                        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(clock.instant(), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    private static String hostOf(String url) {
        int start = url.indexOf("://");
        int end = url.indexOf('/', start + 3);
        return end < 0 ? url : url.substring(0, end);
    }

    /** Server text shown to the user: one line, printable, short. */
    static String clean(String s) {
        return dev.coderssh.core.cli.TerminalText.line(s, 200);
    }
}
