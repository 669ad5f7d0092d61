package dev.coderssh.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * After a write, finds settings that reach our hosts before our block does: a user's {@code Host *}
 * above the block overrides ProxyCommand (vscode-coder#1055), and so does the Coder CLI's own
 * section when it uses the same prefix. Reports the file and line of each, grouped so 5,000 hosts
 * shadowed by one line give one warning.
 */
final class ShadowCheck {
    static final String CODER_CLI_START = "# ------------START-CODER-----------";
    static final String CODER_CLI_END = "# ------------END-CODER------------";
    private static final Set<String> WATCHED = Set.of("proxycommand", "userknownhostsfile", "stricthostkeychecking");
    /** ssh -G is a process spawn per host: ask it about a few hosts, not 5,000. */
    private static final int SSH_SAMPLE = 3;

    private ShadowCheck() {
    }

    static List<String> check(Path home, Path file, String content, int blockStart, List<String> hosts,
                              Map<String, String> ours, SshClient ssh) {
        List<String> lines = new ArrayList<>();
        for (ConfigText.Line l : ConfigText.of(content).lines()) {
            lines.add(l.text());
        }
        ConfigResolver resolver = new ConfigResolver(home);
        Set<String> watched = new java.util.HashSet<>();
        for (String k : ours.keySet()) {
            if (WATCHED.contains(k)) {
                watched.add(k);
            }
        }
        Map<String, List<String>> byOrigin = new LinkedHashMap<>();
        for (String host : hosts) {
            Map<String, ConfigResolver.Origin> found = resolver.resolve(file, lines, blockStart, host, watched);
            for (Map.Entry<String, ConfigResolver.Origin> e : found.entrySet()) {
                ConfigResolver.Origin o = e.getValue();
                String key = o.file() + ":" + o.line() + ": " + ConfigFile.textOf(o.text()) + " sets " + e.getKey();
                byOrigin.computeIfAbsent(key, k -> new ArrayList<>()).add(host);
            }
        }
        List<String> warnings = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : byOrigin.entrySet()) {
            List<String> hs = e.getValue();
            warnings.add("warning: " + e.getKey() + " before coder-ssh's block, so ssh ignores ours for "
                    + hs.size() + " host(s), e.g. " + hs.get(0) + "; move that setting below the block or narrow its Host pattern");
        }
        coderCliSection(file, lines, blockStart, hosts).ifPresent(warnings::add);
        if (byOrigin.isEmpty()) {
            for (String host : hosts.subList(0, Math.min(SSH_SAMPLE, hosts.size()))) {
                Optional<Map<String, String>> effective = ssh.effectiveOptions(file, host);
                if (effective.isEmpty()) {
                    break;
                }
                String want = ours.get("proxycommand") == null ? null : ConfigFile.textOf(ours.get("proxycommand"));
                String got = effective.get().get("proxycommand");
                if (want != null && !want.replace("%%", "%").equals(got) && !want.equals(got)) {
                    warnings.add("warning: `ssh -G " + host + "` uses ProxyCommand " + (got == null ? "none" : got)
                            + " instead of coder-ssh's; something in " + file + " or a file it includes overrides it");
                }
            }
        }
        return warnings;
    }

    private static Optional<String> coderCliSection(Path file, List<String> lines, int blockStart, List<String> hosts) {
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(CODER_CLI_START)) {
                start = i;
                break;
            }
        }
        if (start < 0) {
            return Optional.empty();
        }
        for (int i = start + 1; i < lines.size(); i++) {
            String t = lines.get(i).strip();
            if (t.equals(CODER_CLI_END)) {
                break;
            }
            String[] kv = ConfigResolver.keyValue(t);
            if (kv == null || !kv[0].equals("host")) {
                continue;
            }
            String[] patterns = kv[1].split("[ \t]+");
            for (String host : hosts) {
                if (ConfigResolver.hostMatches(host.toLowerCase(Locale.ROOT), patterns)) {
                    return Optional.of(start < blockStart
                            ? "warning: the Coder CLI's section (" + file + ":" + (start + 1) + ", `Host " + kv[1]
                              + "`) comes before coder-ssh's block and wins for hosts like " + host
                              + ": ssh will run `coder ssh` for them; run `coder config-ssh --remove` or use --host-prefix"
                            : "note: the Coder CLI's section (" + file + ":" + (start + 1) + ", `Host " + kv[1]
                              + "`) also matches hosts like " + host + "; coder-ssh's block comes first and wins");
                }
            }
        }
        return Optional.empty();
    }
}
