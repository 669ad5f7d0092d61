package dev.coderssh.proxy.tunnel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * Copies ssh's stdin to a socket and the socket to ssh's stdout, one thread per direction, like
 * {@code nc -N}: EOF on stdin half-closes the socket (the server still sends its last bytes), and
 * EOF from the server ends the relay. Unbuffered writes with a flush per read, so interactive
 * keystrokes are not held back; TCP_NODELAY for the same reason.
 */
public final class Relay {
    static final int BUFFER = 64 * 1024;

    private Relay() {
    }

    /**
     * Runs until the server closes its side (or the socket fails); returns 0 on a clean end.
     * {@code stdout} is closed at the end so ssh sees EOF even if the JVM lingers.
     */
    public static int run(InputStream stdin, OutputStream stdout, Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        InputStream fromServer = socket.getInputStream();
        OutputStream toServer = socket.getOutputStream();
        Thread upstream = new Thread(new Upstream(stdin, toServer, socket), "relay-stdin");
        // Daemon: a read on stdin cannot be interrupted, and it must not keep the process alive
        // once the server has ended the session.
        upstream.setDaemon(true);
        upstream.start();
        int status = 0;
        byte[] buf = new byte[BUFFER];
        try {
            int n;
            while ((n = fromServer.read(buf)) >= 0) {
                stdout.write(buf, 0, n);
                stdout.flush();
            }
        } catch (IOException e) {
            status = socket.isClosed() ? 0 : 1;
        } finally {
            try {
                stdout.close();
            } finally {
                socket.close();
            }
        }
        return status;
    }

    private static final class Upstream implements Runnable {
        private final InputStream in;
        private final OutputStream out;
        private final Socket socket;

        Upstream(InputStream in, OutputStream out, Socket socket) {
            this.in = in;
            this.out = out;
            this.socket = socket;
        }

        @Override
        public void run() {
            byte[] buf = new byte[BUFFER];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
                socket.shutdownOutput();
            } catch (IOException e) {
                // The socket closed under us (server ended): the downstream thread reports the end.
            }
        }
    }
}
