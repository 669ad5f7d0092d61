package dev.coderssh.core.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;

/**
 * What a command may touch of its process: streams, environment and clock. Built once in main and
 * passed down, so tests run commands in-process with their own environment (CODER_SSH_HOME above
 * all) and a controlled clock.
 *
 * <p>In the proxy, {@code out} is the SSH stream: nothing but tunnel bytes may be written to it.
 */
public record Console(InputStream in, PrintStream out, PrintStream err, Map<String, String> env, Clock clock) {
    public Console {
        env = Map.copyOf(env);
    }

    public static Console system() {
        return new Console(System.in, System.out, System.err, System.getenv(), Clock.systemUTC());
    }

    public String env(String name) {
        String value = env.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    public Console withEnv(Map<String, String> newEnv) {
        return new Console(in, out, err, newEnv, clock);
    }

    public Console withClock(Clock newClock) {
        return new Console(in, out, err, env, newClock);
    }
}
