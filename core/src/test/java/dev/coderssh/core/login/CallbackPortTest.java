package dev.coderssh.core.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.testing.FollowingBrowser;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/**
 * {@code --callback-port} that cannot be listened on: in use, or (issue 19) below 1024 for a user
 * who is not root, which said "in use" too and sent people hunting for a process that was not there.
 */
class CallbackPortTest extends LoginSuite {
    @Test
    void aPortInUseIsSaidToBeInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            String[] client = fake.adminClient("http://127.0.0.1:" + taken.getLocalPort() + "/callback");
            java.nio.file.Path secret = tmp.resolve("secret");
            java.nio.file.Files.writeString(secret, client[1]);
            assertThat(login(new FollowingBrowser(), "--client-id", client[0], "--client-secret-file", secret.toString(),
                    "--callback-port", Integer.toString(taken.getLocalPort()))).as(home.err()).isEqualTo(1);
            assertThat(home.err()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .contains("the port is in use; free that port and run login again");
        }
    }

    /**
     * bind(2)'s EACCES as the JDK reports it (checked as user nobody: "java.net.BindException:
     * Permission denied"); the tests run as root in CI, where port 80 binds.
     */
    @Test
    void aPrivilegedPortForAUserIsNotPermittedRatherThanInUse() {
        assertThat(Redirects.why(new BindException("Permission denied"))).isEqualTo(
                "listening there is not permitted for this user");
        assertThat(Redirects.why(new BindException("Address already in use"))).isEqualTo("the port is in use");
    }
}
