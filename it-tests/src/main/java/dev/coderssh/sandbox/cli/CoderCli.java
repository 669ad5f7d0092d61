package dev.coderssh.sandbox.cli;

/** placeholder */
public final class CoderCli {
  public static void main(String[] args) {
  }
}
