package dev.coderssh.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The choices a block was generated with. They are recorded in the block as {@code # :key=value}
 * comments so {@code --use-previous-options} can regenerate the same block unattended.
 * {@code hostnameSuffix} null means "the deployment's" and is not recorded; empty means "none".
 */
record GenerationOptions(String hostPrefix, String hostnameSuffix, boolean wildcard, boolean workspaces,
                         boolean allOwners, List<String> userOptions, List<String> proxyArgs) {
    static final String DEFAULT_PREFIX = "coder.";

    GenerationOptions {
        userOptions = List.copyOf(userOptions);
        proxyArgs = List.copyOf(proxyArgs);
    }

    List<String> toComments() {
        List<String> lines = new ArrayList<>();
        lines.add(BlockParser.OPTION_PREFIX + "host-prefix=" + hostPrefix);
        if (hostnameSuffix != null) {
            lines.add(BlockParser.OPTION_PREFIX + "hostname-suffix=" + hostnameSuffix);
        }
        lines.add(BlockParser.OPTION_PREFIX + "wildcard=" + wildcard);
        lines.add(BlockParser.OPTION_PREFIX + "workspaces=" + workspaces);
        lines.add(BlockParser.OPTION_PREFIX + "all-owners=" + allOwners);
        for (String o : userOptions) {
            lines.add(BlockParser.OPTION_PREFIX + "ssh-option=" + o);
        }
        for (String a : proxyArgs) {
            lines.add(BlockParser.OPTION_PREFIX + "proxy-arg=" + a);
        }
        return lines;
    }

    GenerationOptions withHostPrefix(String prefix) {
        return new GenerationOptions(prefix, hostnameSuffix, wildcard, workspaces, allOwners, userOptions, proxyArgs);
    }

    /**
     * The options recorded in a previous block, with the command line's explicit choices on top:
     * flags given now switch on, {@code -o} given now come first (so they win), a prefix given now
     * replaces the old one, and so does a suffix; proxy options given now replace all recorded ones.
     */
    static GenerationOptions previous(List<Map.Entry<String, String>> recorded, GenerationOptions now,
                                      boolean prefixGiven) {
        String prefix = DEFAULT_PREFIX;
        String suffix = null;
        boolean wildcard = true;
        boolean workspaces = true;
        boolean allOwners = false;
        List<String> options = new ArrayList<>(now.userOptions());
        List<String> proxyArgs = new ArrayList<>();
        for (Map.Entry<String, String> e : recorded) {
            switch (e.getKey()) {
                case "host-prefix" -> prefix = e.getValue();
                case "hostname-suffix" -> suffix = e.getValue();
                case "wildcard" -> wildcard = Boolean.parseBoolean(e.getValue());
                case "workspaces" -> workspaces = Boolean.parseBoolean(e.getValue());
                case "all-owners" -> allOwners = Boolean.parseBoolean(e.getValue());
                case "ssh-option" -> options.add(e.getValue());
                case "proxy-arg" -> proxyArgs.add(e.getValue());
                default -> {
                    // A key from a newer version: ignored rather than fatal.
                }
            }
        }
        return new GenerationOptions(prefixGiven ? now.hostPrefix() : prefix,
                now.hostnameSuffix() != null ? now.hostnameSuffix() : suffix, wildcard && now.wildcard(),
                workspaces && now.workspaces(), allOwners || now.allOwners(), options,
                now.proxyArgs().isEmpty() ? ProxyArgs.checked(proxyArgs) : now.proxyArgs());
    }
}
