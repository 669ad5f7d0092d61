package dev.coderssh.sandbox.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.apache.sshd.common.file.nativefs.NativeFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.scp.server.ScpCommandFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.keyboard.InteractiveChallenge;
import org.apache.sshd.server.auth.keyboard.KeyboardInteractiveAuthenticator;
import org.apache.sshd.server.auth.keyboard.UserAuthKeyboardInteractiveFactory;
import org.apache.sshd.server.auth.password.AcceptAllPasswordAuthenticator;
import org.apache.sshd.server.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.server.auth.pubkey.AcceptAllPublickeyAuthenticator;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.session.ServerConnectionServiceFactory;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * One agent's SSH server on 127.0.0.1, ephemeral port: exec, shell, SFTP, scp, TCP forwarding.
 * Authentication accepts anyone: like Coder's agent, the tunnel that reached it is what was
 * authenticated (the connection endpoint checked the token), so any client key setup works.
 */
final class AgentServer implements AutoCloseable {
  private final SshServer sshd;

  AgentServer(KeyPairProvider hostKeys, Path home, String workspace, String owner, String agentName)
      throws IOException {
    Path bin = home.resolve(".sandbox-bin");
    Files.createDirectories(bin);
    // $(hostname) in a workspace is the workspace's name, as in Coder's templates; this makes
    // "echo hello from $(hostname)" show which workspace answered.
    Path hostname = bin.resolve("hostname");
    Files.writeString(hostname, "#!/bin/sh\necho " + workspace + "\n");
    Files.setPosixFilePermissions(hostname, PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessCommand.AgentContext ctx = new ProcessCommand.AgentContext(home, bin, workspace, owner, agentName);
    sshd = SshServer.setUpDefaultServer();
    sshd.setHost("127.0.0.1");
    sshd.setPort(0);
    sshd.setKeyPairProvider(hostKeys);
    // "none" (what OpenSSH tries first; all it has in BatchMode without keys) is accepted by
    // NoneAuthService; the other methods accept anything, for clients that skip "none".
    sshd.setServiceFactories(List.of(NoneAuthService.factory(), ServerConnectionServiceFactory.INSTANCE));
    sshd.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE,
        UserAuthKeyboardInteractiveFactory.INSTANCE, UserAuthPasswordFactory.INSTANCE));
    sshd.setPublickeyAuthenticator(AcceptAllPublickeyAuthenticator.INSTANCE);
    sshd.setPasswordAuthenticator(AcceptAllPasswordAuthenticator.INSTANCE);
    sshd.setKeyboardInteractiveAuthenticator(new KeyboardInteractiveAuthenticator() {
      @Override
      public InteractiveChallenge generateChallenge(ServerSession session, String user, String lang,
          String subMethods) {
        InteractiveChallenge c = new InteractiveChallenge();
        c.setInteractionName("");
        c.setInteractionInstruction("");
        c.setLanguageTag("");
        return c;
      }

      @Override
      public boolean authenticate(ServerSession session, String user, List<String> responses) {
        return true;
      }
    });
    sshd.setShellFactory(channel -> new ProcessCommand(null, ctx));
    sshd.setCommandFactory(new ScpCommandFactory.Builder()
        .withDelegate((channel, command) -> new ProcessCommand(command, ctx)).build());
    sshd.setSubsystemFactories(List.of(new SftpSubsystemFactory.Builder().build()));
    sshd.setForwardingFilter(AcceptAllForwardingFilter.INSTANCE);
    sshd.setFileSystemFactory(new NativeFileSystemFactory());
    sshd.start();
  }

  int port() {
    return sshd.getPort();
  }

  @Override
  public void close() throws IOException {
    sshd.stop(true);
  }
}
