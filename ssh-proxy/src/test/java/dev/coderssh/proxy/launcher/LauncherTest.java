package dev.coderssh.proxy.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real {@code bin/coder-ssh} against a fake jar to test the exec hand-off by itself. */
class LauncherTest {
    static final Path LAUNCHER = Path.of("..", "bin", "coder-ssh").toAbsolutePath().normalize();
    static final String TOKEN = "Tok3nValue-SECRETsecretSECRET12345";
    @TempDir
    static Path shared;
    static Path jar;
    @TempDir
    Path dir;

    @BeforeAll
    static void buildJar() throws IOException {
        jar = FakeJar.build(shared);
    }

    /** A stand-in CLI: records its argv, env token and /proc cmdline, and echoes stdin to stdout. */
    private Path fakeCli() throws IOException {
        Path cli = dir.resolve("fake coder");
        Files.writeString(cli, String.join("\n",
                "#!/bin/sh",
                "out=\"$(dirname \"$0\")/seen\"",
                ": > \"$out\"",
                "for a in \"$@\"; do printf '[%s]\\n' \"$a\" >> \"$out\"; done",
                "printf 'token=%s\\nurl=%s\\n' \"$CODER_SESSION_TOKEN\" \"$CODER_URL\" >> \"$out\"",
                "tr '\\0' ' ' < /proc/$$/cmdline > \"$out.cmdline\"",
                "ls /proc/$$/fd > \"$out.fds\"",
                "echo $$ > \"$out.pid\"",
                "cat",
                "exit 7"));
        assertThat(cli.toFile().setExecutable(true)).isTrue();
        return cli;
    }

    private Result launch(List<String> planLines, String status, String stdin, String... args) throws Exception {
        Path plan = dir.resolve("plan");
        try (var out = Files.newOutputStream(plan)) {
            FakeJar.write(out, planLines);
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(LAUNCHER.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("CODER_SSH_JAR", jar.toString());
        env.put("CODER_SSH_HOME", dir.resolve("home").toString());
        env.put("CODER_SSH_CDS", "0");
        env.put("FAKE_PLAN", plan.toString());
        env.put("FAKE_STATUS", status);
        pb.redirectOutput(dir.resolve("stdout").toFile());
        pb.redirectError(dir.resolve("stderr").toFile());
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        int rc = p.waitFor();
        pid = p.pid();
        return new Result(rc, Files.readString(dir.resolve("stdout")), Files.readString(dir.resolve("stderr")));
    }

    long pid;

    record Result(int status, String stdout, String stderr) {
    }

    @Test
    void execsTheCliWithTheTokenInItsEnvironmentAndExactArgv() throws Exception {
        Path cli = fakeCli();
        Result r = launch(List.of("coder-ssh-plan-1", "env CODER_URL=https://coder.example.com",
                "env CODER_SESSION_TOKEN=" + TOKEN, "arg " + cli, "arg --url", "arg https://coder.example.com",
                "arg ", "arg  two  spaces ", "arg $(touch pwned)", "arg *", "arg ssh", "coder-ssh-plan-end"),
                "0", "bytes from ssh\n", "proxy", "coder.ws");
        assertThat(r.status()).isEqualTo(7);
        // The CLI owns ssh's stdin/stdout directly; the JVM's stdout went to stderr.
        assertThat(r.stdout()).isEqualTo("bytes from ssh\n");
        assertThat(r.stderr()).contains("JVM NOISE ON ITS STDOUT");
        assertThat(Files.readString(dir.resolve("seen"))).isEqualTo(String.join("\n", "[--url]",
                "[https://coder.example.com]", "[]", "[ two  spaces ]", "[$(touch pwned)]", "[*]", "[ssh]",
                "token=" + TOKEN, "url=https://coder.example.com", ""));
        assertThat(Files.readString(dir.resolve("seen.cmdline"))).doesNotContain(TOKEN).contains("--url");
        assertThat(dir.resolve("pwned")).doesNotExist();
        // exec: the CLI is the very process ssh started, so no JVM (nor shell) outlives the hand-off.
        assertThat(Files.readString(dir.resolve("seen.pid")).strip()).isEqualTo(Long.toString(pid));
        // The plan and stdout descriptors are closed before the exec.
        assertThat(Files.readAllLines(dir.resolve("seen.fds"))).doesNotContain("3", "4");
    }

    @Test
    void aPlanWithoutItsEndMarkerIsRefusedAndNothingRuns() throws Exception {
        Path cli = fakeCli();
        Result r = launch(List.of("coder-ssh-plan-1", "env CODER_SESSION_TOKEN=" + TOKEN, "arg " + cli),
                "0", "", "proxy", "coder.ws");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).contains("malformed").doesNotContain(TOKEN);
        assertThat(dir.resolve("seen")).doesNotExist();
    }

    @Test
    void aPlanSettingAnyOtherVariableIsRefused() throws Exception {
        Path cli = fakeCli();
        Result r = launch(List.of("coder-ssh-plan-1", "env LD_PRELOAD=/tmp/evil.so", "arg " + cli,
                "coder-ssh-plan-end"), "0", "", "proxy", "coder.ws");
        assertThat(r.status()).isEqualTo(1);
        assertThat(dir.resolve("seen")).doesNotExist();
    }

    @Test
    void theJvmsFailureStatusIsTheLaunchersAndStdoutStaysEmpty() throws Exception {
        Result r = launch(List.of(), "3", "", "proxy", "coder.ws");
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    void otherCommandsKeepTheirStdout() throws Exception {
        Result r = launch(List.of(), "0", "", "status");
        assertThat(r.status()).isZero();
        assertThat(r.stdout()).isEqualTo("JVM NOISE ON ITS STDOUT\n");
    }
}
