package dev.coderssh.app;

import java.util.List;

/** Top-level usage text; each command's own is its {@code help()}. */
final class Help {
    private Help() {
    }

    /**
     * Whether {@code -h} or {@code --help} stands as an argument of its own before {@code --}. An
     * option's value that happens to read "-h" is misread; no option of ours takes such a value.
     */
    static boolean asked(List<String> args) {
        for (String a : args) {
            if (a.equals("--")) {
                return false;
            }
            if (a.equals("-h") || a.equals("--help")) {
                return true;
            }
        }
        return false;
    }

    static final String TOP = String.join("\n",
            "coder-ssh: authenticated SSH into Coder workspaces with short-lived OAuth tokens",
            "",
            "Usage: coder-ssh <command> [options]",
            "",
            "Commands:",
            "  login [<url>]      sign in through the browser (OAuth 2.1 + PKCE)",
            "  logout [<url>]     revoke and forget a sign-in",
            "  status [<url>]     show sign-ins (never the tokens)",
            "  token [<url>]      print a fresh access token for scripts",
            "  proxy <host>       ssh ProxyCommand: tunnel to a workspace",
            "  config-ssh [<url>] write ssh_config entries for your workspaces",
            "  doctor [<url>]     check everything needed to connect",
            "  completion <shell> print a completion script for bash, zsh or fish",
            "  help <command>     that command's options (as does -h or --help after it)",
            "",
            "The deployment, on every command: the URL given (positional or --url), else $CODER_URL,",
            "else the only deployment signed in to.",
            "Options: --version (version, commit, Java runtime)",
            "Exit codes: 0 ok, 1 failure, 2 usage, 3 sign-in required, 4 not found",
            "");
}
