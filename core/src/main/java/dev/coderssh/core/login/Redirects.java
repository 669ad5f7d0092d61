package dev.coderssh.core.login;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.store.ClientRegistration;
import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.BlockingQueue;

/**
 * Where the browser comes back to. Newest Coder (codersdk.RedirectURIMatches) accepts any port
 * on a registered loopback URI; older servers (httpapi.RedirectURL) compare host and port with the
 * app's callback_url, which their registration and RFC 7592 PUT both set to redirect_uris[0]
 * (oauth2provider/registration.go; the PUT answers without a new registration token). So this installation's own client keeps RFC 8252's ephemeral port by
 * pointing its registration at the exact URI first (RFC 7592 update), and falls back to the port
 * fixed at registration when the server cannot update; an admin-created app with one callback URL
 * is always served on that URL's port.
 */
final class Redirects {
    private Redirects() {
    }

    /** The listener for an admin-created client: its fixed callback, or any port when none is known. */
    static LoopbackReceiver forManual(ClientRegistration client, String state, BlockingQueue<Object> events) {
        return client.redirectUri() == null ? ephemeral(state, events) : at(client.redirectUri(), state, events,
                "the OAuth2 app's callback URL");
    }

    static LoopbackReceiver ephemeral(String state, BlockingQueue<Object> events) {
        try {
            return new LoopbackReceiver(state, events);
        } catch (IOException e) {
            throw CoderSshException.failure("cannot listen on 127.0.0.1 for the sign-in redirect: " + why(e));
        }
    }

    /**
     * Makes this installation's registration accept {@code receiver}'s URI, or returns a listener
     * on the registered port instead. {@code receiver} is closed when it is replaced.
     */
    static LoopbackReceiver alignOwn(ClientSetup setup, ClientRegistration[] client, LoopbackReceiver receiver,
                                     String state, BlockingQueue<Object> events, PrintStream err) {
        String here = receiver.redirectUri();
        if (here.equals(client[0].redirectUri())) {
            return receiver;
        }
        ClientRegistration updated = setup.pointTo(client[0], here);
        if (updated != null) {
            client[0] = updated;
            return receiver;
        }
        if (client[0].redirectUri() == null) {
            // Registered by an older coder-ssh for any loopback port: all such servers ignore it.
            return receiver;
        }
        receiver.close();
        err.println("(the server cannot update this installation's OAuth client; using its registered port "
                + LoginOptions.port(client[0].redirectUri()) + ")");
        return at(client[0].redirectUri(), state, events, "the port registered for this installation's OAuth client");
    }

    private static LoopbackReceiver at(String uri, String state, BlockingQueue<Object> events, String what) {
        int port = LoginOptions.port(uri);
        try {
            return new LoopbackReceiver(state, events, port, LoginOptions.path(uri));
        } catch (IOException e) {
            throw CoderSshException.failure("cannot listen on 127.0.0.1:" + port + " (" + what + "): " + why(e)
                    + (notPermitted(e) ? "; only root may listen below port 1024: give the app a callback URL with a"
                    + " port of 1024 or above" : "; free that port and run login again"));
        }
    }

    static String why(IOException e) {
        if (notPermitted(e)) {
            return "listening there is not permitted for this user";
        }
        return e instanceof java.net.BindException ? "the port is in use" : "the socket cannot be opened";
    }

    /** EACCES from bind(2): a port below 1024 for a user without CAP_NET_BIND_SERVICE. */
    private static boolean notPermitted(IOException e) {
        return e instanceof java.net.BindException && e.getMessage() != null && e.getMessage().contains("Permission denied");
    }
}
