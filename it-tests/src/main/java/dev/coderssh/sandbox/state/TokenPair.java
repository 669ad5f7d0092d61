package dev.coderssh.sandbox.state;

/** What a successful token request mints. */
public record TokenPair(ApiKey accessKey, RefreshGrant refresh) {
  @Override
  public String toString() {
    return "TokenPair[" + accessKey + "]";
  }
}
