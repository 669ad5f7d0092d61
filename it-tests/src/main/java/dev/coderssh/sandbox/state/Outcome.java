package dev.coderssh.sandbox.state;

/** Result of a token operation: minted tokens, or an RFC 6749 error code with its description. */
public sealed interface Outcome {
  record Minted(TokenPair tokens) implements Outcome {
  }

  record Refused(String error, String description) implements Outcome {
  }
}
