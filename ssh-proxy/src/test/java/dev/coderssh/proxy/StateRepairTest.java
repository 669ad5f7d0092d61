package dev.coderssh.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.home.CoderSshHome;
import dev.coderssh.proxy.cli.CliPaths;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After chmod -R 777 and a repaired root, what others could have written is discarded (issue 19). */
class StateRepairTest {
    @TempDir
    Path dir;

    @Test
    void openDirectoriesAreRestrictedAndTheCodeInThemDiscarded() throws Exception {
        CoderSshHome home = CoderSshHome.resolve(Map.of("CODER_SSH_HOME", dir.resolve("home").toString()));
        CliPaths paths = CliPaths.of(home, DeploymentUrl.parse("https://coder.example.com"));
        Path archive = Files.createDirectories(home.cache()).resolve("cds_x.jsa");
        Files.writeString(archive, "attacker code");
        Files.createDirectories(paths.dir());
        Files.writeString(paths.binary(), "#!/bin/sh\n");
        Files.createDirectories(home.credentials());
        new ProcessBuilder("chmod", "-R", "777", home.root().toString()).start().waitFor();
        Files.setPosixFilePermissions(home.root(), PosixFilePermissions.fromString("rwx------"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(err, true);

        StateRepair.cache(home, ps);
        StateRepair.cli(home, paths, ps);

        assertThat(archive).doesNotExist();
        assertThat(paths.binary()).doesNotExist();
        for (Path d : new Path[] {home.cache(), home.credentials(), home.cli(), paths.dir()}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d))).as(d.toString()).isEqualTo("rwx------");
        }
        assertThat(err.toString()).contains("discarded the class-data archive", "discarded the downloaded Coder CLI");
    }
}
