package dev.coderssh.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.cli.Console;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code completion} scripts as the real bash runs them, and what {@code --version} says. */
class CompletionAndVersionTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... argv) {
        Console console = new Console(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true),
                new PrintStream(err, true), Map.of(), Clock.systemUTC());
        return Main.run(List.of(argv), console);
    }

    @Test
    void bashCompletesCommandsAndTheOptionsOfTheOneTyped(@TempDir Path dir) throws Exception {
        assertThat(run("completion", "bash")).isZero();
        Path script = Files.writeString(dir.resolve("c.bash"), out.toString(StandardCharsets.UTF_8));
        String probe = "source " + script + "\n"
                + "COMP_WORDS=(coder-ssh ''); COMP_CWORD=1; _coder_ssh; echo \"0:${COMPREPLY[*]}\"\n"
                + "COMP_WORDS=(coder-ssh con); COMP_CWORD=1; _coder_ssh; echo \"1:${COMPREPLY[*]}\"\n"
                + "COMP_WORDS=(coder-ssh config-ssh --dr); COMP_CWORD=2; _coder_ssh; echo \"2:${COMPREPLY[*]}\"\n"
                + "COMP_WORDS=(coder-ssh completion f); COMP_CWORD=2; _coder_ssh; echo \"3:${COMPREPLY[*]}\"\n"
                + "complete -p coder-ssh\n";
        Process p = new ProcessBuilder("bash", "--norc", "--noprofile", "-c", probe).redirectErrorStream(true).start();
        String result = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(result).isZero();
        assertThat(result).contains("0:" + String.join(" ", CommandSurfaceTest.COMMANDS) + " --help --version\n");
        assertThat(result).contains("1:config-ssh\n", "2:--dry-run\n", "complete -o default -F _coder_ssh coder-ssh");
        // "completion f" is not an option: bash falls back to file names, none of which start with f here.
        assertThat(result).contains("3:");
    }

    @Test
    void zshAndFishScriptsNameEveryCommand() {
        for (String shell : List.of("zsh", "fish")) {
            out.reset();
            assertThat(run("completion", shell)).isZero();
            for (String command : CommandSurfaceTest.COMMANDS) {
                assertThat(out.toString(StandardCharsets.UTF_8)).as(shell).containsPattern("(?m)\\b" + command + "\\b");
            }
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("-l dry-run", "-s v");
    }

    @Test
    void anUnknownShellIsAUsageErrorWithNothingOnStdout() {
        assertThat(run("completion", "tcsh")).isEqualTo(2);
        assertThat(out.size()).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("coder-ssh completion: unknown shell \"tcsh\" (bash, zsh or fish)\n");
        assertThat(run("completion")).isEqualTo(2);
    }

    @Test
    void versionNamesTheCommitAndTheRuntime() {
        assertThat(run("--version")).isZero();
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).startsWith("coder-ssh ");
        // Built from a git checkout here; a build outside git says "unknown" instead.
        assertThat(lines[1]).matches("commit ([0-9a-f]{12}|unknown)");
        assertThat(lines[2]).startsWith("runtime " + System.getProperty("java.runtime.version"))
                .endsWith(" at " + System.getProperty("java.home"));
    }
}
