package dev.coderssh.proxy.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.ExitCode;
import dev.coderssh.core.api.BuildInfo;
import dev.coderssh.core.api.CoderApi;
import dev.coderssh.core.api.DeploymentSsh;
import dev.coderssh.core.api.User;
import dev.coderssh.core.api.Workspace;
import dev.coderssh.core.api.WorkspaceAgent;
import dev.coderssh.proxy.host.HostName;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentResolverTest {
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    static WorkspaceAgent agent(String name, String status) {
        return new WorkspaceAgent("id-" + name, name, status, "ready", "linux");
    }

    static Workspace ws(String status, WorkspaceAgent... agents) {
        return new Workspace("w1", "dev", "alice", "docker", false, status.equals("stopped") ? "stop" : "start",
                status, List.of(agents));
    }

    /** Answers each workspace lookup with the next state; records start requests. */
    static final class ScriptedApi implements CoderApi {
        final Deque<Workspace> states = new ArrayDeque<>();
        final List<String> started = new ArrayList<>();
        RuntimeException onStart;

        @Override
        public Workspace workspace(String owner, String name) {
            if (states.isEmpty()) {
                throw CoderSshException.notFound("workspace not found");
            }
            return states.size() == 1 ? states.peek() : states.poll();
        }

        @Override
        public List<Workspace> workspaces(String query) {
            return List.of(ws("running"), new Workspace("w2", "other", "alice", "t", false, "start", "running", List.of()));
        }

        @Override
        public void startWorkspace(String workspaceId) {
            started.add(workspaceId);
            if (onStart != null) {
                throw onStart;
            }
        }

        @Override
        public BuildInfo buildInfo() {
            throw new AssertionError();
        }

        @Override
        public User me() {
            throw new AssertionError();
        }

        @Override
        public DeploymentSsh deploymentSsh() {
            throw new AssertionError();
        }
    }

    private AgentResolver resolver(ScriptedApi api) {
        return new AgentResolver(api, new PrintStream(err, true), () -> { }, 20);
    }

    @Test
    void aStoppedWorkspaceIsStartedAndTheConnectedAgentReturned() throws Exception {
        ScriptedApi api = new ScriptedApi();
        api.states.add(ws("stopped"));
        api.states.add(ws("starting"));
        api.states.add(ws("running", agent("main", "connecting")));
        api.states.add(ws("running", agent("main", "connected")));
        WorkspaceAgent a = resolver(api).resolve(new HostName(null, "dev", null), true);
        assertThat(a.name()).isEqualTo("main");
        assertThat(api.started).containsExactly("w1");
        assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
                "coder-ssh: workspace alice/dev is stopped, starting it...",
                "coder-ssh: workspace alice/dev is starting (0 s so far), waiting...",
                "coder-ssh: waiting for agent main (connecting) (0 s so far)...");
    }

    @Test
    void disableAutostartRefusesAStoppedWorkspace() {
        ScriptedApi api = new ScriptedApi();
        api.states.add(ws("stopped"));
        assertThatThrownBy(() -> resolver(api).resolve(new HostName(null, "dev", null), false))
                .hasMessageContaining("--disable-autostart");
        assertThat(api.started).isEmpty();
    }

    @Test
    void aMissingStartScopeIsNamed() {
        ScriptedApi api = new ScriptedApi();
        api.states.add(ws("stopped"));
        api.onStart = CoderSshException.failure("forbidden: missing scope workspace:start");
        assertThatThrownBy(() -> resolver(api).resolve(new HostName(null, "dev", null), true))
                .hasMessageStartingWith("this sign-in lacks workspace:start");
    }

    @Test
    void unknownWorkspaceListsTheCandidates() {
        ScriptedApi api = new ScriptedApi();
        assertThatThrownBy(() -> resolver(api).resolve(new HostName(null, "nope", null), true))
                .isInstanceOfSatisfying(CoderSshException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.NOT_FOUND);
                    assertThat(e.getMessage()).contains("nope").contains("dev, other");
                });
    }

    @Test
    void unknownAgentListsTheAgentsAndSeveralNeedAName() {
        ScriptedApi api = new ScriptedApi();
        api.states.add(ws("running", agent("main", "connected"), agent("gpu", "connected")));
        assertThatThrownBy(() -> resolver(api).resolve(new HostName(null, "dev", "x"), true))
                .hasMessageContaining("no agent \"x\"").hasMessageContaining("main, gpu");
        assertThatThrownBy(() -> resolver(api).resolve(new HostName(null, "dev", null), true))
                .hasMessageContaining("several agents");
        assertThat(AgentResolver.agent(api.states.peek(), "gpu").name()).isEqualTo("gpu");
    }

    @Test
    void failedAndDeletedWorkspacesAreOneLineErrors() {
        for (String status : new String[] {"failed", "deleted"}) {
            ScriptedApi api = new ScriptedApi();
            api.states.add(ws(status, agent("main", "connected")));
            assertThatThrownBy(() -> resolver(api).resolve(new HostName(null, "dev", null), true))
                    .hasMessageContaining("is " + status).hasMessageNotContaining("\n");
        }
    }

    @Test
    void givesUpAfterTheLastPoll() {
        ScriptedApi api = new ScriptedApi();
        api.states.add(ws("starting"));
        assertThatThrownBy(() -> resolver(api).resolve(new HostName(null, "dev", null), true))
                .hasMessageContaining("gave up");
    }
}
