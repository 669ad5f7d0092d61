package dev.coderssh.core.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.ExitCode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Deployment URLs: one normal form per deployment, plain http only for loopback, nothing odd let through. */
class DeploymentUrlTest {
    @Example
    void spellingsOfOneDeploymentNormaliseToOne() {
        for (String s : new String[] {"coder.example.com", "https://coder.example.com", "HTTPS://Coder.Example.COM/",
            "https://coder.example.com:443", "https://coder.example.com.", " https://coder.example.com/ "}) {
            assertThat(DeploymentUrl.parse(s)).as(s).hasToString("https://coder.example.com");
        }
        assertThat(DeploymentUrl.parse("https://coder.example.com:8443").toString()).isEqualTo("https://coder.example.com:8443");
        assertThat(DeploymentUrl.parse("http://127.0.0.1:3000").fileKey()).isEqualTo("http_127.0.0.1_3000");
        assertThat(DeploymentUrl.parse("http://[::1]:3000").toString()).isEqualTo("http://[::1]:3000");
    }

    @Example
    void endpointsFollowTheDeploymentsRule() {
        DeploymentUrl https = DeploymentUrl.parse("https://coder.example.com");
        DeploymentUrl loopback = DeploymentUrl.parse("http://127.0.0.1:3000");
        DeploymentUrl insecure = DeploymentUrl.parse("http://coder.lan", true);
        for (DeploymentUrl d : new DeploymentUrl[] {https, loopback, insecure}) {
            assertThat(d.endpointProblem("https://elsewhere.example/oauth2/tokens")).as(d.toString()).isNull();
            assertThat(d.endpointProblem("http://127.0.0.1:3000/oauth2/tokens")).as(d.toString()).isNull();
            assertThat(d.endpointProblem("http://[::1]/oauth2/tokens")).as(d.toString()).isNull();
            for (String bad : new String[] {"ftp://coder.example.com/t", "/oauth2/tokens", "https://u:p@coder.example.com/t",
                "not a url", "file:///etc/passwd"}) {
                assertThat(d.endpointProblem(bad)).as(d + " " + bad).isEqualTo("is not an https:// URL");
            }
        }
        assertThat(https.endpointProblem("http://coder.example.com/oauth2/tokens"))
                .isEqualTo("is plain http:// while the deployment uses https://");
        assertThat(https.endpointProblem("HTTP://127.evil.example/oauth2/tokens")).startsWith("is plain http://");
        assertThat(loopback.endpointProblem("http://coder.example.com/oauth2/tokens"))
                .startsWith("is plain http:// to a host that is not loopback");
        assertThat(insecure.endpointProblem("http://coder.lan/oauth2/tokens")).isNull();
        assertThat(insecure.endpointProblem("http://other.lan/oauth2/tokens")).isNull();
    }

    @Example
    void plainHttpOnlyForLoopbackUnlessAllowed() {
        assertThat(DeploymentUrl.parse("http://localhost:3000").isLoopback()).isTrue();
        assertThat(DeploymentUrl.parse("http://127.1.2.3").isLoopback()).isTrue();
        for (String s : new String[] {"http://coder.example.com", "http://127.evil.example", "http://127.0.0.1.nip.io",
            "http://10.0.0.1", "http://localhost.example.com"}) {
            assertThatThrownBy(() -> DeploymentUrl.parse(s)).as(s)
                    .isInstanceOfSatisfying(CoderSshException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                    .hasMessageContaining("--allow-insecure-http");
            assertThat(DeploymentUrl.parse(s, true).scheme()).isEqualTo("http");
        }
    }

    @Example
    void userinfoQueryFragmentPathAndOddPortsAreRefused() {
        String[][] cases = {
            {"https://alice:hunter2@coder.example.com", "user name or password"},
            {"https://alice@coder.example.com", "user name or password"},
            {"https://coder.example.com/#frag", "query or fragment"},
            {"https://coder.example.com/?q=1", "query or fragment"},
            {"https://coder.example.com/api", "without a path"},
            {"https://coder.example.com:0", "port out of range"},
            {"https://coder.example.com:65536", "port out of range"},
            {"https://coder.example.com:99999999999", "no host name"},
            {"https://coder.example.com:abc", "no host name"},
            {"ftp://coder.example.com", "must use https://"},
            {"https://", "not a valid deployment URL"},
            {"https://coder example.com", "space or control character"},
            {"", "deployment URL is required"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> DeploymentUrl.parse(c[0])).as(c[0])
                    .isInstanceOfSatisfying(CoderSshException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                    .hasMessageContaining(c[1])
                    .hasMessageNotContaining("hunter2");
        }
    }

    /** Any text: a DeploymentUrl or a usage error, nothing else. */
    @Property(tries = 3000)
    void arbitraryTextParsesOrIsAUsageError(@ForAll("urlish") String text, @ForAll boolean insecure) {
        try {
            DeploymentUrl u = DeploymentUrl.parse(text, insecure);
            // The normal form is a fixed point: parsing it again gives the same deployment.
            assertThat(DeploymentUrl.parse(u.toString(), true)).isEqualTo(u);
            assertThat(u.fileKey()).matches("[A-Za-z0-9._-]+");
            if (!insecure && u.scheme().equals("http")) {
                assertThat(u.isLoopback()).isTrue();
            }
        } catch (CoderSshException e) {
            assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(e.getMessage()).doesNotContain("\n");
        }
    }

    @Property(tries = 1000)
    void arbitraryUnicodeNeverThrowsUntyped(@ForAll String text) {
        try {
            DeploymentUrl.parse(text);
        } catch (CoderSshException e) {
            assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
        }
    }

    @Provide
    Arbitrary<String> urlish() {
        Arbitrary<String> scheme = Arbitraries.of("", "https://", "http://", "HTTP://", "ftp://", "://", "https:/");
        Arbitrary<String> userinfo = Arbitraries.of("", "", "", "a@", "a:b@", "@", "%40@");
        Arbitrary<String> host = Arbitraries.oneOf(
                Arbitraries.of("coder.example.com", "localhost", "127.0.0.1", "127.evil.com", "[::1]", "[::1", "Coder.COM.",
                        "xn--bcher-kva.example", "bücher.example", "a_b.example", "", "256.1.1.1", "127.0.0.1.example"),
                Arbitraries.strings().withChars("abcXYZ019.-_[]:%@#?/\\ ").ofMaxLength(12));
        Arbitrary<String> port = Arbitraries.of("", "", ":443", ":80", ":0", ":65535", ":65536", ":-1", ":", ":8x", ":99999999999");
        Arbitrary<String> rest = Arbitraries.of("", "", "/", "//", "/api", "?x", "#f", "/#", "/?", "%2F", "\t", " ");
        return Combinators.combine(scheme, userinfo, host, port, rest).as((a, b, c, d, e) -> a + b + c + d + e);
    }
}
