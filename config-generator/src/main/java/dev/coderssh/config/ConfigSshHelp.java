package dev.coderssh.config;

/** {@code coder-ssh config-ssh --help}. */
final class ConfigSshHelp {
    private ConfigSshHelp() {
    }

    static final String TEXT = String.join("\n",
            "Usage: coder-ssh config-ssh [URL] [options]",
            "",
            "Writes a managed block of Host entries for your workspaces into your ssh config, so",
            "`ssh coder.<workspace>` (and `ssh <workspace>.coder` when the deployment has a hostname",
            "suffix) and IDE host pickers work. Only the block between `# --- START CODER-SSH <host> ---`",
            "and `# --- END CODER-SSH <host> ---` is ever changed.",
            "",
            "The deployment: the URL given (or --url), else $CODER_URL, else the only deployment signed in to.",
            "",
            "Options:",
            "  --url URL                 the deployment (instead of the positional URL)",
            "  --ssh-config-file F       file to edit (default ~/.ssh/config)",
            "  --host-prefix P           host name prefix (default: the deployment's, else coder.)",
            "  --ssh-host-prefix P       the same as --host-prefix (coder config-ssh's name)",
            "  --hostname-suffix S       also write <ws>.S and `Host *.S` (default: the deployment's; '' none)",
            "  -o, --ssh-option K=V      ssh option for every host, repeatable (wins; K= removes a default)",
            "  --no-wildcard             no `Host <prefix>*` entry",
            "  --no-workspaces           no per-workspace entries (wildcard only)",
            "  --all-owners              also other owners' workspaces, as <prefix><owner>--<ws>",
            "  --use-previous-options    reuse the options recorded in the existing block",
            "  --remove                  remove this deployment's block",
            "  --dry-run                 print a unified diff to stdout, write nothing",
            "  --watch INTERVAL          refresh every INTERVAL (30s, 5m, 1h), logging changes",
            "  -y, --yes                 accepted for compatibility (never asks)",
            "",
            "Environment: CODER_SSH_LAUNCHER  absolute path of the coder-ssh launcher for ProxyCommand",
            "Exit codes: 0 ok, 1 failure (broken markers, a symlink loop, a directory or a",
            "            read-only file system where the config is: nothing written), 2 usage,",
            "            3 sign-in required, 4 not found",
            "");
}
