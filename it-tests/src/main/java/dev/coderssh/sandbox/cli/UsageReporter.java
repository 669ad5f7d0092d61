package dev.coderssh.sandbox.cli;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * The activity report of {@code coder ssh}: {@code POST /api/v2/workspaces/{id}/usage} once when
 * the session starts and then every interval (a minute on a real deployment). A refusal is only
 * logged, as the real CLI does; the server then never records the session's use.
 */
final class UsageReporter {
  private UsageReporter() {
  }

  static void start(CliHttp http, String workspaceId, String agentId, long everyMs, Consumer<String> log) {
    String body = "{\"agent_id\":\"" + agentId + "\",\"app_name\":\"ssh\"}";
    Thread t = new Thread(() -> {
      try (http) {
        while (!Thread.currentThread().isInterrupted()) {
          CliHttp.Response r = http.post("/api/v2/workspaces/" + workspaceId + "/usage", body);
          if (r.status() / 100 != 2) {
            log.accept("failed to report workspace usage: " + SshCommand.message(r));
          }
          Thread.sleep(everyMs);
        }
      } catch (IOException e) {
        log.accept("failed to report workspace usage: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "usage-report");
    t.setDaemon(true);
    t.start();
  }
}
