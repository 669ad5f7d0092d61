package dev.coderssh.proxy.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which reading of a {@code .coder} name wins, Coder Connect's ({@code agent.ws.owner}) or the
 * CLI's with the deployment's {@code hostname_suffix} ({@code owner.ws.agent}): see
 * {@link CoderConnectName}. Rows are host, the proxy's --host-prefix and --hostname-suffix ("-" =
 * not given), then the target ProxyCommand resolves: owner, workspace, agent, and whether it goes
 * to Coder Connect.
 */
class CoderConnectPrecedenceTest {
    private static HostName resolve(String host, String prefix, String suffix) {
        return CoderConnectName.matches(host, prefix, suffix)
                ? CoderConnectName.parse(host)
                : new HostParser(prefix, suffix).parse(host);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
        // 1. the prefix wins, as in `coder ssh`, whatever the suffix
        "coder.ws.coder,       coder., -,     -,     ws,    coder, false",
        "coder.ws.coder,       coder., coder, -,     ws,    coder, false",
        // 2. a suffix given (what config-ssh writes): the CLI's reading, never Coder Connect
        "ws.coder,             coder., coder, -,     ws,    -,     false",
        "ws.dev.coder,         coder., coder, -,     ws,    dev,   false",
        "bob.ws.dev.coder,     coder., coder, bob,   ws,    dev,   false",
        "bob--ws--dev.coder,   coder., coder, bob,   ws,    dev,   false",
        // 3. no suffix given: two or three labels before .coder are Coder Connect's
        "dev.ws.bob.coder,     coder., -,     bob,   ws,    dev,   true",
        "ws.bob.coder,         coder., -,     bob,   ws,    -,     true",
        "ws.me.coder,          coder., -,     me,    ws,    -,     true",
        // ... but one label is not (Coder Connect names carry the owner): the CLI's bare reading
        "ws.coder,             coder., -,     -,     ws,    coder, false",
        // another suffix given leaves Coder Connect's .coder names to the CLI reading too
        "ws.bob.coder,         coder., corp,  ws,    bob,   coder, false",
    })
    void precedenceIsPrefixThenGivenSuffixThenCoderConnect(String host, String prefix, String suffix, String owner,
                                                           String ws, String agent, boolean connect) {
        assertThat(CoderConnectName.matches(host, prefix, suffix)).isEqualTo(connect);
        assertThat(resolve(host, prefix, suffix)).isEqualTo(new HostName(owner, ws, agent));
    }
}
