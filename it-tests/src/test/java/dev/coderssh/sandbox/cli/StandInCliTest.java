package dev.coderssh.sandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coderssh.it.fixture.SandboxClient;
import dev.coderssh.it.fixture.SandboxExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Host parsing, the version contract, the JSON reader and the binary download with ETag. */
class StandInCliTest {
  @RegisterExtension
  static final SandboxExtension SANDBOX = SandboxExtension.create();

  @Test
  void hostNamesParseTheWayTheRealCliParsesThem() {
    assertThat(HostName.parse("coder.dev", "coder.", null)).isEqualTo(new HostName(null, "dev", null));
    assertThat(HostName.parse("coder.dev.main", "coder.", null)).isEqualTo(new HostName(null, "dev", "main"));
    assertThat(HostName.parse("coder.alice/dev", "coder.", null)).isEqualTo(new HostName("alice", "dev", null));
    assertThat(HostName.parse("coder.alice--dev", "coder.", null)).isEqualTo(new HostName("alice", "dev", null));
    assertThat(HostName.parse("coder.alice--dev--gpu", "coder.", null)).isEqualTo(new HostName("alice", "dev", "gpu"));
    assertThat(HostName.parse("dev.main.coder", null, "coder")).isEqualTo(new HostName(null, "dev", "main"));
    assertThat(HostName.parse("alice--dev.coder", null, ".coder")).isEqualTo(new HostName("alice", "dev", null));
    assertThat(HostName.parse("coder.alice/dev.gpu", "coder.", null)).isEqualTo(new HostName("alice", "dev", "gpu"));
    assertThat(HostName.parse("coder.alice/dev--gpu", "coder.", null)).isEqualTo(new HostName("alice", "dev", "gpu"));
    // Separators run together count once ([/.]+), and dots alone are Coder Connect's agent.ws.owner.
    assertThat(HostName.parse("coder.alice//dev", "coder.", null)).isEqualTo(new HostName("alice", "dev", null));
    assertThat(HostName.parse("main.dev.alice.coder", null, "coder")).isEqualTo(new HostName("alice", "dev", "main"));
    // The prefix wins over the suffix, as in the real CLI.
    assertThat(HostName.parse("coder.dev.coder", "coder.", "coder")).isEqualTo(new HostName(null, "dev", "coder"));
    assertThatThrownBy(() -> HostName.parse("coder.a--b--c--d", "coder.", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HostName.parse("coder.", "coder.", null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void versionJsonMatchesBuildinfo() {
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = CoderCli.run(new String[] {"version", "--output", "json"});
    } finally {
      System.setOut(old);
    }
    assertThat(code).isZero();
    Map<String, Object> v = SandboxClient.json(out.toString(StandardCharsets.UTF_8));
    Map<String, Object> info = SandboxClient.json(SANDBOX.client().get("/api/v2/buildinfo", null).body());
    assertThat(v.get("version")).isEqualTo(info.get("version"));
  }

  @Test
  void rootFlagsMayStandAnywhereAndStdioRefusesRemoteForward() {
    CoderCli.Args a = CoderCli.parse(new String[] {"--url", "http://x", "ssh", "--stdio", "--header", "A=b",
        "--global-config", "/tmp/g", "coder.dev"});
    assertThat(a.positional()).containsExactly("ssh", "coder.dev");
    assertThat(a.flag("--url")).isEqualTo("http://x");
    assertThat(a.headers()).containsExactly("A=b");
    assertThatThrownBy(() -> CoderCli.parse(new String[] {"ssh", "--stdio", "-R", "1:x:2", "h"}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void miniJsonReadsWhatTheApiWrites() {
    Object v = MiniJson.parse("{\"a\":[1,2.5,{\"b\":\"x\\\"y\\u0041\"}],\"c\":true,\"d\":null}");
    assertThat(MiniJson.obj(v)).containsEntry("c", true).containsEntry("d", null);
    assertThat(MiniJson.str(MiniJson.obj(MiniJson.arr(MiniJson.obj(v).get("a")).get(2)).get("b"))).isEqualTo("x\"yA");
    assertThatThrownBy(() -> MiniJson.parse("{\"a\":")).isInstanceOf(RuntimeException.class);
  }

  @Test
  void theBinaryIsServedWithAnEtagAndIfNoneMatchGives304() {
    var first = SANDBOX.client().get("/bin/coder-linux-amd64", null);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).isEqualTo(SANDBOX.sandbox().cliScript());
    String etag = first.headers().firstValue("ETag").orElseThrow();
    var again = SANDBOX.client().send(HttpRequest.newBuilder(URI.create(SANDBOX.url() + "/bin/coder-darwin-arm64"))
        .header("If-None-Match", etag).GET().build());
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(SANDBOX.client().get("/bin/coder-plan9-mips", null).statusCode()).isEqualTo(404);
  }
}
