package dev.coderssh.app;

/** The version stamped into the jar's manifest by Maven. */
final class Version {
    private Version() {
    }

    static String current() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-dev";
    }
}
