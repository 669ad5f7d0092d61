package dev.coderssh.core.command;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.CoreServices;
import dev.coderssh.core.ExitCode;
import dev.coderssh.core.cli.Args;
import dev.coderssh.core.cli.Command;
import dev.coderssh.core.cli.Console;
import dev.coderssh.core.cli.NetworkFlags;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.store.ClientRegistration;
import dev.coderssh.core.store.Credentials;
import dev.coderssh.core.store.LockManager;
import dev.coderssh.core.token.Tokens;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code coder-ssh logout <url>}: RFC 7009 revocation of the refresh token (which also ends its
 * access token at Coder), then the local credentials are deleted, also when the server cannot be
 * reached. {@code --forget-client} also deletes this installation's registration (RFC 7592).
 */
public final class LogoutCommand implements Command {
    static final String HELP = String.join("\n",
            "Usage: coder-ssh logout [<deployment-url>] [options]",
            "",
            "Revokes the sign-in at the server and deletes it locally (locally only when offline).",
            "Exit code 0 once the local sign-in is deleted, also when the server could not be told (a note",
            "then says until when its tokens stay valid there).",
            CommonOptions.CHOICE_HELP,
            CommonOptions.URL_HELP,
            "  --forget-client         also delete this installation's OAuth client registration",
            NetworkFlags.HELP);
    private final String version;

    public LogoutCommand(String version) {
        this.version = version;
    }

    @SuppressWarnings("try") // the lock is held for the block, not referenced in it
    @Override
    public int run(List<String> argv, Console console) {
        Args a = Args.parse(argv, CommonOptions.flags("--forget-client"), CommonOptions.options());
        CoreServices core = CommonOptions.services(a, console, version);
        DeploymentUrl url = CommonOptions.deployment(a, console, core, "logout", true);
        PrintStream err = console.err();
        Credentials c;
        ClientRegistration client;
        boolean forget = a.flag("--forget-client");
        // Local state goes first, under the lock; the server is told after the lock is released,
        // so a server that accepts the connection but never answers holds up no other command.
        try (LockManager.Held held = core.locks().acquire(url, Tokens.DEFAULT_LOCK_TIMEOUT)) {
            boolean deletedUnreadable = false;
            try {
                c = core.store().load(url);
            } catch (CoderSshException e) {
                // A corrupt file was moved aside by load, or the keyring holding the tokens did
                // not answer: nothing to revoke with, but what is left locally still goes.
                c = null;
                deletedUnreadable = core.store().delete(url);
                if (deletedUnreadable) {
                    err.println("Note: " + e.getMessage());
                    err.println("Deleted the local sign-in for " + url + " without telling the server.");
                }
            }
            client = core.store().loadClient(url);
            if (c != null) {
                core.store().delete(url);
            } else if (!deletedUnreadable) {
                err.println("Not signed in to " + url + ".");
            }
            if (forget && client != null) {
                core.store().deleteClient(url);
            }
        }
        if (c != null) {
            err.println("Logged out of " + url + " (local credentials deleted).");
            revoke(core, url, c, client, err);
        }
        if (forget && client != null) {
            forgetClient(core, url, client, err);
        }
        return ExitCode.OK.code();
    }

    @Override
    public String help() {
        return HELP;
    }

    private static void revoke(CoreServices core, DeploymentUrl url, Credentials c, ClientRegistration client, PrintStream err) {
        if (!c.isOAuth()) {
            err.println("Note: a pasted session token stays valid at " + url + " until it expires; delete it in the"
                    + " dashboard (Account > Tokens) if it may have leaked.");
            return;
        }
        if (client == null || !client.clientId().equals(c.clientId())) {
            client = new ClientRegistration(url.toString(), ClientRegistration.DCR, c.clientId(), null, "none", null, null, "");
        }
        String answer;
        try {
            // Without an RFC 7009 endpoint (Coder 2.25), Coder's own DELETE on the token endpoint.
            int status = c.revocationEndpoint() != null
                    ? core.oauth().revoke(c.revocationEndpoint(), client, c.refreshToken(), "refresh_token")
                    : core.oauth().revokeAppTokens(c.tokenEndpoint(), client, c.accessToken());
            if (status == 200 || status == 204) {
                err.println("Revoked at " + url + ": its tokens no longer work there.");
                return;
            }
            answer = "HTTP " + status;
        } catch (CoderSshException e) {
            // Its message names the transport's exception; a person needs only to know the network failed.
            answer = "the network failed";
        }
        // One line: the local copy is already gone, so what is left is how long
        // a copy elsewhere would still work.
        err.println("Note: " + url + " could not be told (" + answer + "), so the sign-in was deleted locally only:"
                + " its access token works until " + c.expiresAt() + " at the latest, its refresh token until the"
                + " deployment's refresh lifetime ends (if a copy may exist, revoke coder-ssh under OAuth2 applications"
                + " in your dashboard settings).");
    }

    private static void forgetClient(CoreServices core, DeploymentUrl url, ClientRegistration client, PrintStream err) {
        if (ClientRegistration.DCR.equals(client.source())) {
            try {
                if (!core.oauth().deleteRegistration(client)) {
                    err.println("Note: " + url + " did not confirm deleting the OAuth client registration.");
                }
            } catch (CoderSshException e) {
                err.println("Note: could not delete the OAuth client at " + url + " (" + e.getMessage() + ").");
            }
        }
        err.println("Forgot this installation's OAuth client for " + url + ".");
    }
}
