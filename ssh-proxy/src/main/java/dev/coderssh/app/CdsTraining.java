package dev.coderssh.app;

import dev.coderssh.core.cli.Console;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.http.HttpOptions;
import dev.coderssh.core.store.Credentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * Runs the proxy's other paths once, offline, in the JVM that records the class-data archive.
 *
 * <p>The launcher records the archive in the first proxy run (-XX:ArchiveClassesAtExit), and it
 * then holds only what that run loaded: usually the fast path. A refresh or a direct session later
 * loads a few hundred more classes (the JDK's HTTP client, the store's writer, the lock) from the
 * jar and the JDK image, about 30 ms each time. So when {@value #ENV} is set (the launcher sets it
 * for the recording run only), this refreshes a made-up sign-in in a temporary home against a
 * loopback server that answers with canned JSON, and makes one API call: the classes the real paths
 * load are loaded for real, with no list to keep in step with the code. Nothing leaves the
 * machine, nothing touches the user's home, nothing is printed, and any failure is ignored: it
 * only costs a smaller archive.
 */
final class CdsTraining {
    static final String ENV = "CODER_SSH_CDS_TRAINING";
    private static final String TOKEN_JSON = "{\"access_token\":\"TRAINING00-aaaaaaaaaaaaaaaaaaaaaa\","
            + "\"token_type\":\"Bearer\",\"expires_in\":86400,\"refresh_token\":\"coder_training_bbbbbbbbbb\","
            + "\"scope\":\"coder:workspaces.access\"}";
    private static final String USER_JSON = "{\"id\":\"00000000-0000-0000-0000-000000000000\",\"username\":\"training\","
            + "\"email\":\"training@localhost\"}";

    private CdsTraining() {
    }

    static void runIfAsked(Map<String, String> env, String command) {
        if (!"1".equals(env.get(ENV)) || !"proxy".equals(command)) {
            return;
        }
        Path home = null;
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(2_000);
            Thread answering = new Thread(new Answer(server), "cds-training");
            answering.setDaemon(true);
            answering.start();
            home = Files.createTempDirectory("coder-ssh-cds-");
            exercise(home, server.getLocalPort());
        } catch (Exception | LinkageError e) {
            // A smaller archive, nothing worse.
        } finally {
            if (home != null) {
                deleteTree(home);
            }
        }
    }

    private static void exercise(Path home, int port) {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        Console console = new Console(new ByteArrayInputStream(new byte[0]), quiet, quiet,
                Map.of("CODER_SSH_HOME", home.toString()), Clock.systemUTC());
        DeploymentUrl url = DeploymentUrl.parse("http://127.0.0.1:" + port);
        dev.coderssh.core.CoreServices core = dev.coderssh.core.CoreServices.createLean(console, HttpOptions.defaults(),
                Main.VERSION);
        Instant now = Instant.now();
        core.store().save(new Credentials(url.toString(), Credentials.OAUTH, "TRAINING00-cccccccccccccccccccccc",
                "coder_training_dddddddddd", now.minusSeconds(86_400), now.plusSeconds(1), "coder:workspaces.access",
                "training", "training-client", url.resolve("/oauth2/tokens"), null, false));
        core.tokens().fresh(url);
        core.api(url).me();
        // The direct transport's own classes; its JDK ones came with the calls above.
        for (String name : new String[] {"dev.coderssh.proxy.DirectTransport", "dev.coderssh.proxy.tunnel.Relay",
            "dev.coderssh.proxy.tunnel.AgentResolver", "dev.coderssh.proxy.FlushingChannel"}) {
            try {
                Class.forName(name, false, CdsTraining.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                // renamed: the archive is a little smaller
            }
        }
    }

    /** A loopback server with canned answers: the token endpoint's, and a user for anything else. */
    private static final class Answer implements Runnable {
        private final ServerSocket server;

        Answer(ServerSocket server) {
            this.server = server;
        }

        @Override
        public void run() {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    s.setSoTimeout(2_000);
                    String head = readHead(s.getInputStream());
                    String body = head.contains("/oauth2/tokens") ? TOKEN_JSON : USER_JSON;
                    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                    String response = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                            + bytes.length + "\r\nConnection: close\r\n\r\n";
                    OutputStream out = s.getOutputStream();
                    out.write(response.getBytes(StandardCharsets.US_ASCII));
                    out.write(bytes);
                    out.flush();
                } catch (IOException e) {
                    return;
                }
            }
        }

        /** The request line and headers, and a form body if one is announced (read, then ignored). */
        private static String readHead(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                sb.append((char) c);
                if (sb.length() >= 4 && sb.lastIndexOf("\r\n\r\n") == sb.length() - 4) {
                    break;
                }
            }
            String head = sb.toString();
            int at = head.toLowerCase(java.util.Locale.ROOT).indexOf("content-length:");
            if (at >= 0) {
                int end = head.indexOf('\r', at);
                long length = Long.parseLong(head.substring(at + 15, end).trim());
                in.readNBytes((int) Math.min(length, 65_536));
            }
            return head;
        }
    }

    private static void deleteTree(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<Path>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // A temp directory left behind holds only made-up tokens.
        }
    }
}
