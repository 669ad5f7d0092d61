package dev.coderssh.sandbox.agent;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.common.Service;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.server.session.ServerUserAuthService;
import org.apache.sshd.server.session.ServerUserAuthServiceFactory;

/**
 * Lets the "none" method succeed, as Coder's agent does (Go's NoClientAuth). MINA always treats
 * "none" as a probe, and OpenSSH in BatchMode with no keys offers nothing else; so a "none"
 * request is handled as an (accept-all) empty password request.
 */
final class NoneAuthService extends ServerUserAuthService {
  NoneAuthService(Session s) throws IOException {
    super(s);
  }

  static ServerUserAuthServiceFactory factory() {
    return new ServerUserAuthServiceFactory() {
      @Override
      public Service create(Session session) throws IOException {
        return new NoneAuthService(session);
      }
    };
  }

  @Override
  protected boolean handleUserAuthRequestMessage(ServerSession session, Buffer buffer,
      AtomicReference<Boolean> authHolder) throws Exception {
    int start = buffer.rpos();
    String user = buffer.getString();
    String service = buffer.getString();
    String method = buffer.getString();
    buffer.rpos(start);
    if (!"none".equals(method)) {
      return super.handleUserAuthRequestMessage(session, buffer, authHolder);
    }
    Buffer asPassword = new ByteArrayBuffer();
    asPassword.putString(user);
    asPassword.putString(service);
    asPassword.putString("password");
    asPassword.putBoolean(false);
    asPassword.putString("");
    return super.handleUserAuthRequestMessage(session, asPassword, authHolder);
  }
}
