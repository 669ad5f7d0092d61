package dev.coderssh.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default launcher is found from where our classes were loaded: a clone, a release, an install. */
class ConfigSshEnvironmentTest {
    @Test
    void findsBinCoderSshOfThisCheckout() {
        Path found = ConfigSshEnvironment.launcherNextToJar(false);
        assertThat(found).isNotNull().isAbsolute().endsWith(Path.of("bin", "coder-ssh"));
        assertThat(Files.isRegularFile(found)).isTrue();
        // config-generator/target/classes -> the checkout root holding both modules.
        assertThat(found.getParent().getParent().resolve("config-generator").resolve("pom.xml")).exists();
    }

    @Test
    void anInstalledReleaseNamesTheStableLauncherNotItsVersionedOne(@TempDir Path prefix) throws Exception {
        Path release = prefix.resolve("lib/coder-ssh/1.2.3");
        Path jar = touch(release.resolve("lib/coder-ssh.jar"));
        touch(release.resolve("bin/coder-ssh"));
        Files.createDirectories(prefix.resolve("bin"));
        Files.createSymbolicLink(prefix.resolve("bin/coder-ssh"), release.resolve("bin/coder-ssh"));

        assertThat(ConfigSshEnvironment.launcherFor(jar, false)).isEqualTo(prefix.toRealPath().resolve("bin/coder-ssh"));
        assertThat(ConfigSshEnvironment.inSourceTree(prefix.resolve("bin/coder-ssh"))).isFalse();
    }

    @Test
    void anUnpackedReleaseNamesItsOwnLauncher(@TempDir Path dir) throws Exception {
        Path jar = touch(dir.resolve("coder-ssh-1.2.3/lib/coder-ssh.jar"));
        touch(dir.resolve("coder-ssh-1.2.3/bin/coder-ssh"));

        assertThat(ConfigSshEnvironment.launcherFor(jar, false)).isEqualTo(dir.toRealPath().resolve("coder-ssh-1.2.3/bin/coder-ssh"));
    }

    @Test
    void aCloneIsASourceTree(@TempDir Path clone) throws Exception {
        Path jar = touch(clone.resolve("ssh-proxy/target/coder-ssh.jar"));
        touch(clone.resolve("bin/coder-ssh"));
        touch(clone.resolve("pom.xml"));

        Path found = ConfigSshEnvironment.launcherFor(jar, false);
        assertThat(found).isEqualTo(clone.toRealPath().resolve("bin/coder-ssh"));
        assertThat(ConfigSshEnvironment.inSourceTree(found)).isTrue();
        assertThat(ConfigSshEnvironment.launcherFor(clone.resolve("gone.jar"), false)).isNull();
    }

    private static Path touch(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, "");
    }
}
