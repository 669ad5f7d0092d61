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
    Thread up = new Thread(() -> {
      try {
        copy(stdin, s.getOutputStream());
        s.shutdownOutput();
      } catch (IOException ignored) {
        // the socket went away; the downstream copy notices and ends the process
      }
    }, "relay-up");
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
