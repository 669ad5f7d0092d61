package dev.coderssh.proxy;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.cli.Console;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.home.CoderSshHome;
import dev.coderssh.core.api.WorkspaceAgent;
import dev.coderssh.proxy.host.CoderConnectName;
import dev.coderssh.proxy.host.HostName;
import dev.coderssh.proxy.host.HostParser;
import dev.coderssh.proxy.log.ProxyLog;
import dev.coderssh.proxy.tunnel.AgentResolver;
import dev.coderssh.proxy.tunnel.Relay;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Transport 2: {@code --direct HOST:PORT} or a Coder Connect name. Resolves the workspace and agent
 * through the API (starting a stopped workspace unless {@code --disable-autostart}), then the JVM
 * relays the bytes itself. Under the POSIX launcher the JVM's own stdout is stderr, so the tunnel's
 * output goes to the real stdout passed as {@code CODER_SSH_STDOUT_FD}.
 */
final class DirectTransport {
    static final String STDOUT_FD = "CODER_SSH_STDOUT_FD";
    static final int CONNECT_TIMEOUT_MILLIS = 15_000;
    static final int MAX_POLLS = 600;
    static final long POLL_MILLIS = 1_000;
    private final CoreServices core;
    private final CoderSshHome home;
    private final ProxyLog log;
    private final Console console;

    DirectTransport(CoreServices core, CoderSshHome home, ProxyLog log, Console console) {
        this.core = core;
        this.home = home;
        this.log = log;
        this.console = console;
    }

    int run(ProxyOptions opts, DeploymentUrl deployment) throws Exception {
        HostName host;
        String targetHost;
        int targetPort;
        if (opts.direct() != null) {
            host = new HostParser(opts.hostPrefix(), opts.hostnameSuffix()).parse(opts.host());
            int colon = opts.direct().lastIndexOf(':');
            if (colon <= 0) {
                throw CoderSshException.usage("--direct takes HOST:PORT");
            }
            targetHost = opts.direct().substring(0, colon);
            if (targetHost.startsWith("[") && targetHost.endsWith("]")) {
                targetHost = targetHost.substring(1, targetHost.length() - 1);
            }
            targetPort = port(opts.direct().substring(colon + 1));
        } else {
            host = CoderConnectName.parse(opts.host());
            targetHost = opts.host();
            targetPort = 22;
        }
        // The API client asks core for a fresh token itself; asking here first turns "not signed
        // in" into exit 3 before any request is made.
        log.secret((opts.browserLogin()
                ? core.signInWithBrowser(deployment, opts.httpOptions())
                : core.tokens().fresh(deployment)).value());
        AgentResolver resolver = new AgentResolver(core.api(deployment, opts.httpOptions()), console.err(),
                new Sleep(POLL_MILLIS), MAX_POLLS);
        WorkspaceAgent agent = resolver.resolve(host, !opts.disableAutostart());
        log.info("direct relay " + host.cliForm() + " (agent " + agent.name() + ") to " + targetHost + ":" + targetPort);
        SocketChannel socket = SocketChannel.open();
        try {
            socket.socket().connect(new InetSocketAddress(targetHost, targetPort), CONNECT_TIMEOUT_MILLIS);
        } catch (IOException e) {
            socket.close();
            throw CoderSshException.failure("cannot reach " + targetHost + ":" + targetPort + ": " + e.getMessage());
        }
        // ssh sends SIGHUP when it ends; the JVM runs shutdown hooks on it, so close the socket there.
        Runtime.getRuntime().addShutdownHook(new Thread(new Closer(socket), "relay-close"));
        return Relay.run(stdin(), stdout(), socket);
    }

    /**
     * The process's own stdin is read through a file channel, so the relay never copies its bytes
     * into the heap; System.in's buffer is bypassed, which is safe because nothing has read from it.
     */
    private ReadableByteChannel stdin() {
        if (console.in() == System.in) {
            return new FileInputStream(FileDescriptor.in).getChannel();
        }
        return Channels.newChannel(console.in());
    }

    private WritableByteChannel stdout() throws IOException {
        String fd = console.env(STDOUT_FD);
        if (fd == null) {
            return new FlushingChannel(console.out());
        }
        for (int i = 0; i < fd.length(); i++) {
            if (fd.charAt(i) < '0' || fd.charAt(i) > '9') {
                throw CoderSshException.usage(STDOUT_FD + " must be a descriptor number");
            }
        }
        return new FileOutputStream("/dev/fd/" + fd).getChannel();
    }

    private static int port(String s) {
        try {
            int p = Integer.parseInt(s);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw CoderSshException.usage("--direct port must be 1-65535");
    }

    private static final class Sleep implements AgentResolver.Pause {
        private final long millis;

        Sleep(long millis) {
            this.millis = millis;
        }

        @Override
        public void pause() throws InterruptedException {
            Thread.sleep(millis);
        }
    }

    private static final class Closer implements Runnable {
        private final SocketChannel socket;

        Closer(SocketChannel socket) {
            this.socket = socket;
        }

        @Override
        public void run() {
            try {
                socket.close();
            } catch (IOException e) {
                // exiting anyway
            }
        }
    }
}
