package dev.coderssh.sandbox.agent;

import dev.coderssh.sandbox.Stats;
import dev.coderssh.sandbox.state.Agent;
import dev.coderssh.sandbox.state.Build;
import dev.coderssh.sandbox.state.Store;
import dev.coderssh.sandbox.state.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;

/**
 * Workspace builds and the agents' SSH servers: a start build runs for the build delay, then every
 * agent's server comes up; a stop build takes them down. Agents of a stopped workspace are not
 * reachable at all.
 */
public final class Agents implements AutoCloseable {
  private final Store store;
  private final Stats stats;
  private final Duration buildDelay;
  private final Path root;
  private final SimpleGeneratorHostKeyProvider hostKeys = new SimpleGeneratorHostKeyProvider();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "sandbox-builds");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, AgentServer> servers = new ConcurrentHashMap<>();
  private AgentServer shared;

  /** A build is already running (HTTP 409). */
  public static final class BuildConflict extends Exception {
    public BuildConflict() {
      super("A workspace build is already active.", null, false, false);
    }
  }

  public Agents(Store store, Stats stats, Duration buildDelay, Path root) {
    this.store = store;
    this.stats = stats;
    this.buildDelay = buildDelay;
    this.root = root;
    hostKeys.setAlgorithm("EC");
    hostKeys.setKeySize(256);
  }

  /** Seeds a workspace as already running, with no build delay. */
  public void runNow(Workspace ws) {
    Build b = ws.latestBuild();
    ws.latestBuild(new Build(UUID.randomUUID().toString(), b.number() + 1, "start", "starting", "running",
        store.clock().instant()));
    finish(ws);
  }

  public Build startBuild(Workspace ws, String transition) throws BuildConflict {
    Build next;
    synchronized (ws) {
      Build b = ws.latestBuild();
      if (b.active()) {
        throw new BuildConflict();
      }
      next = new Build(UUID.randomUUID().toString(), b.number() + 1, transition,
          transition.equals("start") ? "starting" : "stopping", "running", store.clock().instant());
      ws.latestBuild(next);
      if (transition.equals("start")) {
        ws.agents().forEach(Agent::connecting);
        stats.buildStarted();
      }
    }
    scheduler.schedule(() -> finish(ws), buildDelay.toMillis(), TimeUnit.MILLISECONDS);
    return next;
  }

  private void finish(Workspace ws) {
    synchronized (ws) {
      Build b = ws.latestBuild();
      try {
        for (Agent a : ws.agents()) {
          if (b.transition().equals("start")) {
            a.up(serverFor(ws, a).port());
          } else {
            a.down();
            AgentServer s = servers.remove(a.id());
            if (s != null) {
              s.close();
            }
          }
        }
        ws.latestBuild(new Build(b.id(), b.number(), b.transition(),
            b.transition().equals("start") ? "running" : "stopped", "succeeded", b.createdAt()));
      } catch (IOException | RuntimeException e) {
        ws.latestBuild(new Build(b.id(), b.number(), b.transition(), "failed", "failed", b.createdAt()));
      }
    }
  }

  private AgentServer serverFor(Workspace ws, Agent a) {
    try {
      if (ws.sharedServer()) {
        synchronized (this) {
          if (shared == null) {
            shared = new AgentServer(hostKeys, home("shared"), "ws-shared", ws.owner().username(), "main");
          }
          return shared;
        }
      }
      AgentServer s = servers.get(a.id());
      if (s == null) {
        s = new AgentServer(hostKeys, home(ws.owner().username() + "/" + ws.name() + "/" + a.name()), ws.name(),
            ws.owner().username(), a.name());
        servers.put(a.id(), s);
      }
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path home(String rel) {
    return root.resolve(rel);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    for (AgentServer s : servers.values()) {
      closeQuietly(s);
    }
    servers.clear();
    synchronized (this) {
      if (shared != null) {
        closeQuietly(shared);
      }
    }
    try (var walk = java.nio.file.Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // temp files of a test deployment; the OS cleans /tmp
    }
  }

  private static void closeQuietly(AgentServer s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // shutting down anyway
    }
  }
}
