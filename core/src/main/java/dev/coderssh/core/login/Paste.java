package dev.coderssh.core.login;

import dev.coderssh.core.http.HeaderRules;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * One line pasted while login waits: the URL the browser ended on (its "can't connect" page for
 * 127.0.0.1 when the browser runs on another machine), a session token, or neither. A pasted
 * redirect is held to the same rules as one the loopback listener receives: our path, our state.
 */
sealed interface Paste {
    /** The redirect, as if the listener had received it (RFC 6749 4.1.2). */
    record Redirect(CallbackResult result) implements Paste {
    }

    record Token(String token) implements Paste {
        @Override
        public String toString() {
            return "Token[<redacted>]";
        }
    }

    /** Not usable; {@code why} is safe to print (it never repeats the line). */
    record Unusable(String why) implements Paste {
    }

    static Paste of(String line, String redirectUri, String state) {
        String text = line.strip();
        if (!text.startsWith("http://") && !text.startsWith("https://") && text.contains("?")) {
            text = "http://" + text; // browsers hide the scheme in the address bar
        }
        if (!text.startsWith("http://") && !text.startsWith("https://")) {
            return !HeaderRules.isTokenText(text)
                    ? new Unusable("that is neither the URL from the browser nor a token")
                    : new Token(text);
        }
        URI got;
        URI want;
        try {
            got = new URI(text);
            want = new URI(redirectUri);
        } catch (URISyntaxException e) {
            return new Unusable("that URL could not be read; copy the whole address from the browser");
        }
        if (got.getPath() == null || !got.getPath().equals(want.getPath()) || got.getPort() != want.getPort()) {
            return new Unusable("that URL is not the sign-in redirect (" + want.getHost() + ":" + want.getPort()
                    + want.getPath() + "); paste the address the browser shows after you approve");
        }
        Map<String, String> q = LoopbackReceiver.query(got.getRawQuery());
        String s = q.get("state");
        if (s == null || !MessageDigest.isEqual(s.getBytes(StandardCharsets.UTF_8), state.getBytes(StandardCharsets.UTF_8))) {
            return new Unusable("that URL belongs to another sign-in attempt (its state does not match this one)");
        }
        if (q.get("code") != null && !q.get("code").isEmpty()) {
            return new Redirect(new CallbackResult.Code(q.get("code")));
        }
        if (q.get("error") != null) {
            return new Redirect(new CallbackResult.Error(q.get("error"), q.get("error_description")));
        }
        return new Unusable("that URL carries neither a code nor an error; paste the whole address");
    }
}
