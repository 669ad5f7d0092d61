package dev.coderssh.proxy.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.proxy.FastPathMain;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.AcceptAllPublickeyAuthenticator;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.shell.ProcessShellCommandFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real OpenSSH client through {@code coder-ssh proxy --direct} to a MINA SSHD server on port 0,
 * the JVM launched the way bin/coder-ssh launches it for the direct transport (its own stdout on
 * stderr, the SSH stream on CODER_SSH_STDOUT_FD), so any stray print would break the handshake.
 * Until the sandbox lands, {@link FastPathMain} stands in for core (fresh token, a running
 * workspace).
 */
class RealSshThroughDirectRelayTest {
    @TempDir
    Path dir;
    SshServer server;
    Path key;

    @BeforeEach
    void start() throws Exception {
        server = SshServer.setUpDefaultServer();
        server.setHost(InetAddress.getLoopbackAddress().getHostAddress());
        server.setPort(0);
        server.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(dir.resolve("hostkey")));
        server.setPublickeyAuthenticator(AcceptAllPublickeyAuthenticator.INSTANCE);
        server.setCommandFactory(ProcessShellCommandFactory.INSTANCE);
        server.start();
        key = dir.resolve("id_ecdsa");
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", key.toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor()).isZero();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop(true);
    }

    private Process ssh(String command) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String proxy = "exec 4>&1; CODER_SSH_STDOUT_FD=4 FAKE_RUNNING_API=1 CODER_SSH_HOME='" + dir.resolve("home")
                + "' exec '" + java + "' -Xshare:auto -XX:TieredStopAtLevel=1 -Xlog:disable -Xlog:all=warning:stderr"
                + " -cp '" + System.getProperty("java.class.path") + "' " + FastPathMain.class.getName()
                + " proxy --url https://coder.example.com --direct 127.0.0.1:" + server.getPort() + " %h 1>&2";
        Path script = dir.resolve("proxy.sh");
        Files.writeString(script, "#!/bin/sh\n" + proxy.replace("%h", "\"$1\"") + "\n");
        assertThat(script.toFile().setExecutable(true)).isTrue();
        ProcessBuilder pb = new ProcessBuilder(List.of("ssh", "-F", "/dev/null", "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                "-o", "ProxyCommand=" + script + " %h", "-i", key.toString(), "alice@coder.ws", command));
        pb.redirectError(dir.resolve("ssh.err").toFile());
        return pb.start();
    }

    @Test
    void commandOutputAndExitStatusPassThrough() throws Exception {
        Process ok = ssh("echo ok");
        ok.getOutputStream().close();
        String out = new String(ok.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ok.waitFor()).as(Files.readString(dir.resolve("ssh.err"))).isZero();
        assertThat(out).isEqualTo("ok\n");

        Process failing = ssh("false");
        failing.getOutputStream().close();
        assertThat(failing.waitFor()).isEqualTo(1);
    }

    /**
     * Bulk data each way through the relay's file channels on fd 0 and fd 4. Not one {@code cat}
     * round trip: MINA's process shell pumps the command's stdin and stdout on one thread, which
     * deadlocks once both pipes are full.
     */
    @Test
    void sixteenMebibytesGoUpAndComeDownUnchanged() throws Exception {
        byte[] payload = new byte[16 << 20];
        new Random(7).nextBytes(payload);
        Process up = ssh("sha256sum");
        CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> {
            try (OutputStream stdin = up.getOutputStream()) {
                stdin.write(payload);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        String digest = new String(up.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        upload.get();
        assertThat(up.waitFor()).as(Files.readString(dir.resolve("ssh.err"))).isZero();
        assertThat(digest).startsWith(sha256(payload) + " ");

        Process down = ssh("head -c " + payload.length + " /dev/zero");
        down.getOutputStream().close();
        byte[] zeros = down.getInputStream().readAllBytes();
        assertThat(down.waitFor()).as(Files.readString(dir.resolve("ssh.err"))).isZero();
        assertThat(zeros.length).isEqualTo(payload.length);
        assertThat(sha256(zeros)).isEqualTo(sha256(new byte[payload.length]));
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
