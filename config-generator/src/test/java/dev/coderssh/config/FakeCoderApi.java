package dev.coderssh.config;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.api.BuildInfo;
import dev.coderssh.core.api.CoderApi;
import dev.coderssh.core.api.DeploymentSsh;
import dev.coderssh.core.api.User;
import dev.coderssh.core.api.Workspace;
import dev.coderssh.core.api.WorkspaceAgent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A hand-written {@link CoderApi} holding workspaces in memory; records the queries it got. */
final class FakeCoderApi implements CoderApi {
    final List<Workspace> workspaces = new ArrayList<>();
    final List<String> queries = new ArrayList<>();
    Map<String, String> sshOptions = Map.of();
    String hostnamePrefix = "coder.";
    String hostnameSuffix = "";
    String username = "alice";
    RuntimeException failure;

    static Workspace ws(String name, String... agents) {
        return owned("alice", name, agents);
    }

    static Workspace owned(String owner, String name, String... agents) {
        List<WorkspaceAgent> list = new ArrayList<>();
        for (String a : agents) {
            list.add(new WorkspaceAgent("id-" + a, a, "connected", "ready", "linux"));
        }
        if (list.isEmpty()) {
            list.add(new WorkspaceAgent("id-main", "main", "connected", "ready", "linux"));
        }
        return new Workspace("id-" + name, name, owner, "tpl", false, "start", "running", list);
    }

    FakeCoderApi with(Workspace... ws) {
        workspaces.addAll(List.of(ws));
        return this;
    }

    private void maybeFail() {
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public BuildInfo buildInfo() {
        return new BuildInfo("v2.20.0", "https://coder.example.com");
    }

    @Override
    public User me() {
        maybeFail();
        return new User("id-" + username, username, username + "@example.com", username);
    }

    @Override
    public Workspace workspace(String owner, String name) {
        throw CoderSshException.notFound("not used by config-ssh");
    }

    @Override
    public List<Workspace> workspaces(String query) {
        maybeFail();
        queries.add(query);
        if (query.equals("owner:me")) {
            return workspaces.stream().filter(w -> username.equals(w.ownerName())).toList();
        }
        return List.copyOf(workspaces);
    }

    @Override
    public void startWorkspace(String workspaceId) {
        throw new UnsupportedOperationException("not used by config-ssh");
    }

    @Override
    public DeploymentSsh deploymentSsh() {
        maybeFail();
        return new DeploymentSsh(hostnamePrefix, hostnameSuffix, sshOptions);
    }
}
