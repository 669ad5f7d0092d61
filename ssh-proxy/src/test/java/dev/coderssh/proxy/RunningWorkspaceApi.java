package dev.coderssh.proxy;

import dev.coderssh.core.api.BuildInfo;
import dev.coderssh.core.api.CoderApi;
import dev.coderssh.core.api.DeploymentSsh;
import dev.coderssh.core.api.User;
import dev.coderssh.core.api.Workspace;
import dev.coderssh.core.api.WorkspaceAgent;
import java.util.List;

/** Every workspace exists, runs, and has one connected agent "main": the direct transport's happy path. */
public final class RunningWorkspaceApi implements CoderApi {
    @Override
    public Workspace workspace(String owner, String name) {
        return new Workspace("w1", name, "alice", "t", false, "start", "running",
                List.of(new WorkspaceAgent("a1", "main", "connected", "ready", "linux")));
    }

    @Override
    public List<Workspace> workspaces(String query) {
        return List.of();
    }

    @Override
    public void startWorkspace(String workspaceId) {
        throw new AssertionError("running already");
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
