package dev.coderssh.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The local OpenSSH client, asked two things: its version (SetEnv needs 7.8, vscode-coder#73) and
 * the options it would use for a host ({@code ssh -G}), the ground truth for the shadowing check.
 */
public interface SshClient {
    /** The OpenSSH version as (major, minor), or empty when ssh is missing or not OpenSSH. */
    Optional<int[]> version();

    /** {@code ssh -G -F file host}: lower-case keyword to first value, or empty when ssh is unavailable. */
    Optional<Map<String, String>> effectiveOptions(Path configFile, String host);
}
