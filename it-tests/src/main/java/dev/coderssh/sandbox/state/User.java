package dev.coderssh.sandbox.state;

import java.util.List;

/** A deployment user; the password is only for the sandbox's login page. */
public record User(String id, String username, String email, String name, String password, List<String> roles) {
  public User {
    roles = List.copyOf(roles);
  }

  @Override
  public String toString() {
    return "User[" + username + "]";
  }
}
