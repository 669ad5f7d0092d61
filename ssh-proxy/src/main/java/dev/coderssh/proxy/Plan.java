package dev.coderssh.proxy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the proxy decided to do once it holds a token: hand ssh's stream to the CLI, or relay it. */
sealed interface Plan {

    /**
     * Run the Coder CLI with {@code env} added to its environment ({@code CODER_URL},
     * {@code CODER_SESSION_TOKEN}, maybe {@code SSL_CERT_FILE}): the token never goes into argv.
     */
    record ExecCli(Map<String, String> env, List<String> argv) implements Plan {
        /** The only variables a plan may set; the launcher enforces the same list. */
        static final List<String> ENV_NAMES = List.of("CODER_URL", "CODER_SESSION_TOKEN", "SSL_CERT_FILE");

        public ExecCli {
            env = new LinkedHashMap<>(env);
            argv = List.copyOf(argv);
            if (argv.isEmpty()) {
                throw new IllegalArgumentException("empty argv");
            }
            for (String name : env.keySet()) {
                if (!ENV_NAMES.contains(name)) {
                    throw new IllegalArgumentException("a plan may not set " + name);
                }
            }
        }

        @Override
        public Map<String, String> env() {
            return java.util.Collections.unmodifiableMap(env);
        }

        @Override
        public String toString() {
            return "ExecCli[env=" + env.keySet() + ", argv=" + argv + "]";
        }
    }

    /** Copy bytes between ssh and a TCP address the proxy itself dials. */
    record Relay(String host, int port) implements Plan {
    }
}
