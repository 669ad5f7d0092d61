package dev.coderssh.proxy;

/** The baseline the fast path is compared with: a JVM that starts and exits. */
public final class EmptyMain {
    private EmptyMain() {
    }

    public static void main(String[] args) {
        // nothing: the cost of the JVM alone
    }
}
