package dev.coderssh.config;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
     * one {@link #launcherFor} finds from the jar we run from.
     */
    public static ConfigSshEnvironment system() {
        boolean windows = System.getProperty("os.name", "").startsWith("Windows");
        return new ConfigSshEnvironment(Path.of(System.getProperty("user.home")), windows, OpenSshClient.onPath(),
                d -> Thread.sleep(d.toMillis()), launcherNextToJar(windows));
    }

    static Path launcherNextToJar(boolean windows) {
        try {
            return launcherFor(Path.of(ConfigSshCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()),
                    windows);
        } catch (URISyntaxException | RuntimeException e) {
            // No code source (or an odd one): the caller asks for CODER_SSH_LAUNCHER instead.
            return null;
        }
    }

    /**
     * The launcher a ProxyCommand should name, for the jar (or classes directory) at {@code jar}.
     * An installed release ({@code DIR/lib/coder-ssh/<version>/lib/coder-ssh.jar}) gives the stable
     * {@code DIR/bin/coder-ssh} that install.sh keeps pointing at the newest version, so an upgrade
     * keeps every written config working; an unpacked release gives its own {@code bin/}; a clone
     * ({@code <root>/ssh-proxy/target/coder-ssh.jar}) gives {@code <root>/bin}. The jar's real path is
     * used: the shipped launcher loads it through {@code /dev/fd/8}, which means nothing to ssh later.
     */
    static Path launcherFor(Path jar, boolean windows) {
        String name = windows ? "coder-ssh.cmd" : "coder-ssh";
        Path real;
        try {
            real = jar.toRealPath();
        } catch (IOException e) {
            return null;
        }
        Path release = real.getParent() == null ? null : real.getParent().getParent();
        List<Path> roots = new ArrayList<>();
        if (release != null && release.getParent() != null && release.getParent().getFileName() != null
                && release.getParent().getFileName().toString().equals("coder-ssh")) {
            Path versions = release.getParent();
            if (versions.getParent() != null && versions.getParent().getFileName().toString().equals("lib")
                    && versions.getParent().getParent() != null) {
                roots.add(versions.getParent().getParent());
            }
        }
        if (release != null) {
            if (release.getParent() != null) {
                roots.add(release.getParent());
            }
            roots.add(release);
        }
        for (Path root : roots) {
            Path candidate = root.resolve("bin").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        return null;
    }

    /** True when {@code launcher} sits in a source tree, which a rebuild, move or clean breaks. */
    static boolean inSourceTree(Path launcher) {
        Path root = launcher.getParent() == null ? null : launcher.getParent().getParent();
        return root != null && Files.isRegularFile(root.resolve("pom.xml"));
    }
}
