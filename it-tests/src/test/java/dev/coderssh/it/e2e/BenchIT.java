package dev.coderssh.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coderssh.it.fixture.RepoPaths;
import dev.coderssh.it.fixture.SshRunner;
import dev.coderssh.it.fixture.SshRunner.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench/run} as the README tells a user to run it, cut down to one run of figures 1 and 6:
 * a benchmark that no longer runs reports nothing, and nothing else would notice. Timings are not
 * asserted (ratios are the benchmark's to report); what holds on any machine is: every figure is
 * printed and written, each storm refreshed the token exactly once with no connection failing, and
 * {@code --out} leaves the checked-in results alone.
 */
class BenchIT {
  @TempDir
  Path tmp;

  @Test
  void oneRunOfTheFastPathAndStormFiguresIsPrintedAndWrittenAndEachStormRefreshesOnce() throws Exception {
    Path checkedIn = RepoPaths.root().resolve("bench/results/latest.json");
    byte[] before = Files.readAllBytes(checkedIn);
    Path out = tmp.resolve("latest.json");

    Result r = SshRunner.run(List.of(RepoPaths.root().resolve("bench/run").toString(), "--runs", "1", "--only", "1,6",
        "--out", out.toString()), Map.of(), new byte[0], null);

    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).contains("1 fast path", "1b fast path", "6 storm", "6b storm");
    JsonNode json = new ObjectMapper().readTree(out.toFile());
    List<String> figures = new ArrayList<>();
    json.fieldNames().forEachRemaining(figures::add);
    assertThat(figures).anyMatch(f -> f.startsWith("1 fast path")).anyMatch(f -> f.startsWith("1b fast path"));
    for (String key : List.of("6 storm", "6b storm, native-cost CLI")) {
      JsonNode storm = json.get(key);
      assertThat(storm).as(key).isNotNull();
      assertThat(storm.get("clients").asInt()).as(key).isEqualTo(24);
      assertThat(storm.get("refreshes_per_storm").toString()).as(key).isEqualTo("[1]");
      assertThat(storm.get("failed").asInt()).as(key).isZero();
      assertThat(storm.get("no_shim_failed").asInt()).as(key).isZero();
      assertThat(storm.get("p95_ms").asDouble()).as(key).isPositive();
    }
    assertThat(Files.readAllBytes(checkedIn)).as("the checked-in results").isEqualTo(before);
  }
}
