package dev.coderssh.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The default launcher is found from where our classes were loaded, in the repository layout. */
class ConfigSshEnvironmentTest {
    @Test
    void findsBinCoderSshOfThisCheckout() {
        Path found = ConfigSshEnvironment.launcherNextToJar(false);
        assertThat(found).isNotNull().isAbsolute().endsWith(Path.of("bin", "coder-ssh"));
        assertThat(Files.isRegularFile(found)).isTrue();
        // config-generator/target/classes -> the checkout root holding both modules.
        assertThat(found.getParent().getParent().resolve("config-generator").resolve("pom.xml")).exists();
    }
}
