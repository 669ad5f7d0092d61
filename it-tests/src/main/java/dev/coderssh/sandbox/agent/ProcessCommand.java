package dev.coderssh.sandbox.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * Runs {@code /bin/sh -c COMMAND} (exec) or {@code /bin/sh} (shell) without a PTY. Written here
 * rather than MINA's ProcessShell because that one filters bytes for a terminal, and the tests
 * push 64 MiB of binary through {@code cat}: every byte must arrive unchanged, EOF included.
 */
final class ProcessCommand implements Command {
  private final String command;
  private final AgentContext agent;
  private InputStream in;
  private OutputStream out;
  private OutputStream err;
  private ExitCallback exit;
  private Process process;

  ProcessCommand(String command, AgentContext agent) {
    this.command = command;
    this.agent = agent;
  }

  @Override
  public void setInputStream(InputStream in) {
    this.in = in;
  }

  @Override
  public void setOutputStream(OutputStream out) {
    this.out = out;
  }

  @Override
  public void setErrorStream(OutputStream err) {
    this.err = err;
  }

  @Override
  public void setExitCallback(ExitCallback callback) {
    this.exit = callback;
  }

  @Override
  public void start(ChannelSession channel, Environment env) throws IOException {
    List<String> argv = new ArrayList<>(List.of("/bin/sh"));
    if (command != null) {
      argv.add("-c");
      argv.add(command);
    } else if (env.getEnv().containsKey(Environment.ENV_TERM)) {
      argv.add("-i");
    }
    ProcessBuilder pb = new ProcessBuilder(argv).directory(agent.home().toFile());
    Map<String, String> e = pb.environment();
    for (Map.Entry<String, String> kv : env.getEnv().entrySet()) {
      if (!kv.getKey().equals("PATH")) {
        e.put(kv.getKey(), kv.getValue());
      }
    }
    e.put("HOME", agent.home().toString());
    e.put("PATH", agent.bin() + ":" + e.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
    e.put("CODER", "true");
    e.put("CODER_WORKSPACE_NAME", agent.workspace());
    e.put("CODER_WORKSPACE_OWNER_NAME", agent.owner());
    e.put("CODER_WORKSPACE_AGENT_NAME", agent.agentName());
    process = pb.start();
    Thread stdin = pump("stdin", in, process.getOutputStream(), true);
    Thread stdout = pump("stdout", process.getInputStream(), out, false);
    Thread stderr = pump("stderr", process.getErrorStream(), err, false);
    Thread waiter = new Thread(() -> {
      int code;
      try {
        code = process.waitFor();
        stdout.join();
        stderr.join();
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        code = 255;
      }
      stdin.interrupt();
      exit.onExit(code);
    }, "agent-exit");
    waiter.setDaemon(true);
    waiter.start();
  }

  /** Copies until EOF; stdin's EOF closes the process's stdin so {@code cat} can finish. */
  private static Thread pump(String name, InputStream from, OutputStream to, boolean closeTarget) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[32 * 1024];
      try {
        int n;
        while ((n = from.read(buf)) > 0) {
          to.write(buf, 0, n);
          to.flush();
        }
      } catch (IOException ignored) {
        // the peer went away; the exit status still goes out
      } finally {
        if (closeTarget) {
          try {
            to.close();
          } catch (IOException ignored) {
            // nothing to do
          }
        }
      }
    }, "agent-" + name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Override
  public void destroy(ChannelSession channel) {
    if (process != null) {
      process.destroy();
    }
  }

  /** Where a command runs. */
  record AgentContext(Path home, Path bin, String workspace, String owner, String agentName) {
  }
}
