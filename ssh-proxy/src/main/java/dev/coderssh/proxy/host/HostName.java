package dev.coderssh.proxy.host;

/**
 * A workspace target as ssh named it: owner (null = the signed-in user), workspace, and agent
 * (null = the CLI picks one). Every part is already validated, so it is safe in argv and logs.
 */
public record HostName(String owner, String workspace, String agent) {
    public HostName {
        if (workspace == null) {
            throw new IllegalArgumentException("workspace is required");
        }
    }

    /** The form {@code coder ssh} parses without a prefix: {@code [owner/]ws[.agent]}. */
    public String cliForm() {
        String s = owner == null ? workspace : owner + "/" + workspace;
        return agent == null ? s : s + "." + agent;
    }

    /** The owner as the API wants it in {@code /users/{owner}/workspace/{name}}. */
    public String ownerOrMe() {
        return owner == null ? "me" : owner;
    }
}
