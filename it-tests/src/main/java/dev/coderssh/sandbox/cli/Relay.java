package dev.coderssh.sandbox.cli;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Copies ssh's stdin to the agent and the agent's bytes to stdout, flushing every chunk (ssh
 * waits for them). stdin EOF half-closes the socket; the agent closing ends the process.
 */
final class Relay {
  private Relay() {
  }

  static int run(InetSocketAddress agent) throws IOException {
    Socket s = new Socket();
    s.connect(agent, 10_000);
    s.setTcpNoDelay(true);
    InputStream stdin = new FileInputStream(FileDescriptor.in);
    OutputStream stdout = new FileOutputStream(FileDescriptor.out);
    // A named class, not a lambda: a lambda's bootstrap costs the once-per-connection CLI
    // milliseconds of start-up.
    Thread up = new Thread(new Upstream(stdin, s), "relay-up");
    up.setDaemon(true);
    up.start();
    try {
      copy(s.getInputStream(), stdout);
    } catch (IOException ignored) {
      // ssh closed our stdout or the agent reset the connection: the session is over either way
    } finally {
      s.close();
    }
    return 0;
  }

  /** ssh's stdin to the agent; stdin's EOF half-closes the socket so the agent sees it. */
  private static final class Upstream implements Runnable {
    private final InputStream stdin;
    private final Socket socket;

    Upstream(InputStream stdin, Socket socket) {
      this.stdin = stdin;
      this.socket = socket;
    }

    @Override
    public void run() {
      try {
        copy(stdin, socket.getOutputStream());
        socket.shutdownOutput();
      } catch (IOException ignored) {
        // the socket went away; the downstream copy notices and ends the process
      }
    }
  }

  private static void copy(InputStream in, OutputStream out) throws IOException {
    byte[] buf = new byte[64 * 1024];
    int n;
    while ((n = in.read(buf)) >= 0) {
      if (n > 0) {
        out.write(buf, 0, n);
        out.flush();
      }
    }
  }
}
