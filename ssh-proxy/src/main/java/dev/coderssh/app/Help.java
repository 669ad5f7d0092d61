package dev.coderssh.app;

/** Top-level usage text; each command prints its own with --help. */
final class Help {
    private Help() {
    }

    static final String TOP = String.join("\n",
            "coder-ssh: authenticated SSH into Coder workspaces with short-lived OAuth tokens",
            "",
            "Usage: coder-ssh <command> [options]",
            "",
            "Commands:",
            "  login <url>        sign in through the browser (OAuth 2.1 + PKCE)",
            "  logout <url>       revoke and forget a sign-in",
            "  status [<url>]     show sign-ins (never the tokens)",
            "  token <url>        print a fresh access token for scripts",
            "  proxy <host>       ssh ProxyCommand: tunnel to a workspace",
            "  config-ssh [<url>] write ssh_config entries for your workspaces",
            "  doctor [<url>]     check everything needed to connect",
            "  completion <shell> print a completion script for bash, zsh or fish",
            "",
            "Options: --help on any command, --version (version, commit, Java runtime)",
            "Exit codes: 0 ok, 1 failure, 2 usage, 3 sign-in required, 4 not found",
            "");
}
