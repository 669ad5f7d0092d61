package dev.coderssh.it.e2e;

/** The baseline of {@link FastPathClassBudgetIT}: a JVM that starts and exits. */
public final class EmptyMainForBudget {
  private EmptyMainForBudget() {
  }

  public static void main(String[] args) {
    // nothing: the classes the JVM loads on its own
  }
}
