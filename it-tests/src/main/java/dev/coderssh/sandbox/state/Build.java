package dev.coderssh.sandbox.state;

import java.time.Instant;

/** One workspace build as the API shows it. */
public record Build(String id, int number, String transition, String status, String jobStatus, Instant createdAt) {
  public boolean active() {
    return "pending".equals(status) || "starting".equals(status) || "stopping".equals(status);
  }
}
