package dev.coderssh.config;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What config-ssh needs from the machine, injected so tests run against a temp home and a fake ssh.
 * {@code defaultLauncher} (nullable) is used when env {@code CODER_SSH_LAUNCHER} is unset.
 */
public record ConfigSshEnvironment(Path userHome, boolean windows, SshClient ssh, Sleeper sleeper, Path defaultLauncher) {

    /** Waits between {@code --watch} runs; tests stop the loop by throwing InterruptedException. */
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /**
     * The real machine: {@code user.home}, the {@code ssh} on the PATH, and as default launcher the
     * {@code bin/coder-ssh} next to the jar we run from: {@code <root>/ssh-proxy/target/coder-ssh.jar}
     * (the repository layout) or {@code <root>/lib/coder-ssh.jar} (an installed layout).
     */
    public static ConfigSshEnvironment system() {
        boolean windows = System.getProperty("os.name", "").startsWith("Windows");
        return new ConfigSshEnvironment(Path.of(System.getProperty("user.home")), windows, OpenSshClient.onPath(),
                d -> Thread.sleep(d.toMillis()), launcherNextToJar(windows));
    }

    static Path launcherNextToJar(boolean windows) {
        try {
            Path jar = Path.of(ConfigSshCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            String name = windows ? "coder-ssh.cmd" : "coder-ssh";
            for (Path root : List.of(jar.getParent().getParent().getParent(), jar.getParent().getParent())) {
                Path candidate = root.resolve("bin").resolve(name);
                if (Files.isRegularFile(candidate)) {
                    return candidate.toAbsolutePath().normalize();
                }
            }
        } catch (URISyntaxException | RuntimeException e) {
            // No code source (or an odd one): the caller asks for CODER_SSH_LAUNCHER instead.
        }
        return null;
    }
}
