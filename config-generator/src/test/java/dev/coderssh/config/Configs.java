package dev.coderssh.config;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators of existing ssh configs as raw bytes: Host/Match/Include lines, options, comments with
 * arbitrary (even non-UTF-8) bytes, CRLF or LF, with or without a final newline, and other tools'
 * blocks. Option keywords are ones OpenSSH accepts, and none overrides what we write, so
 * {@code ssh -G} on the result must report our ProxyCommand.
 */
final class Configs {
    private Configs() {
    }

    static Arbitrary<String> word() {
        return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
    }

    static Arbitrary<String> line(boolean matchAndInclude) {
        Arbitrary<String> comment = Arbitraries.strings().withCharRange(' ', '~').withChars('\t', '\u00e9', '\u00ff', '\u0080')
                .ofMaxLength(40).map(s -> "#" + s)
                // A lone CR at a line's end (before LF, or at EOF) must survive too.
                .flatMap(c -> Arbitraries.of(c, c, c, c + "\r"));
        Arbitrary<String> host = word().list().ofMinSize(1).ofMaxSize(3).map(ws -> "Host " + String.join(" ", ws));
        Arbitrary<String> option = Combinators.combine(
                Arbitraries.of("User", "Port", "ForwardAgent", "Compression", "IdentitiesOnly", "ServerAliveInterval"),
                Arbitraries.of("  ", "\t", ""), matchAndInclude ? Arbitraries.of(" ", "=", " = ") : Arbitraries.of(" ", "\t"), Arbitraries.of("yes", "no", "22", "bob"))
                .as((k, indent, sep, v) -> indent + k + sep + (k.equals("Port") || k.equals("ServerAliveInterval") ? "22" : k.equals("User") ? "bob" : v.matches("yes|no") ? v : "yes"));
        Arbitrary<String> match = Arbitraries.of("Match all", "Match host foo,bar", "Match originalhost x*", "Match host !coder.*,*.example");
        Arbitrary<String> include = word().map(w -> "Include ~/.ssh/" + w + ".d/*");
        Arbitrary<String> blank = Arbitraries.of("", "   ", "\t");
        Arbitrary<String> hostStar = Arbitraries.of("Host *", "Host * !coder.*");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, comment), net.jqwik.api.Tuple.of(3, host), net.jqwik.api.Tuple.of(5, option),
                net.jqwik.api.Tuple.of(matchAndInclude ? 1 : 0, match), net.jqwik.api.Tuple.of(matchAndInclude ? 1 : 0, include),
                net.jqwik.api.Tuple.of(2, blank),
                net.jqwik.api.Tuple.of(1, hostStar));
    }

    static final String CODER_CLI = String.join("\n",
            "# ------------START-CODER-----------",
            "# This section is managed by coder. DO NOT EDIT.",
            "# :ssh-option=ForwardAgent=yes",
            "Host coder-cli.*",
            "  ConnectTimeout=0",
            "  ProxyCommand /usr/bin/coder --global-config /x ssh --stdio --ssh-host-prefix coder-cli. %h",
            "# ------------END-CODER------------");
    static final String OTHER_DEPLOYMENT = String.join("\n",
            "# --- START CODER-SSH other.example.com:8443 ---",
            "Host other.*",
            "  ProxyCommand /x proxy --url https://other.example.com:8443 %h",
            "# --- END CODER-SSH other.example.com:8443 ---");
    static final String VSCODE = String.join("\n",
            "# --- START CODER VSCODE coder.example.com ---",
            "Host coder-vscode.coder.example.com--*",
            "  UserKnownHostsFile=/dev/null",
            "# --- END CODER VSCODE coder.example.com ---");

    /** A whole config in its byte-per-char form (see {@link ConfigFile}). */
    static Arbitrary<String> config() {
        return config(true);
    }

    /**
     * Without Match and Include lines and "Key = Value" spellings: MINA SSHD 2.20's parser refuses
     * Match sections outright and fails to parse " = 22" as a port.
     */
    static Arbitrary<String> config(boolean matchAndInclude) {
        Arbitrary<String> chunk = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(12, line(matchAndInclude)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(CODER_CLI, OTHER_DEPLOYMENT, VSCODE)));
        return Combinators.combine(chunk.list().ofMaxSize(25), Arbitraries.of("\n", "\r\n", "mixed"),
                Arbitraries.of(true, false)).as((lines, nl, finalNewline) -> {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < lines.size(); i++) {
                        String end = nl.equals("mixed") ? (i % 2 == 0 ? "\r\n" : "\n") : nl;
                        String text = lines.get(i).replace("\n", end);
                        sb.append(text);
                        if (i < lines.size() - 1 || finalNewline) {
                            sb.append(end);
                        }
                    }
                    // Comments may hold any byte: encode as Latin-1 so 0x80-0xff stay single raw bytes.
                    return new String(sb.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1);
                });
    }
}
