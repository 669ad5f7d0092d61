package dev.coderssh.proxy.launcher;

/** Loads the classes named in its arguments, for LauncherJarIT to see where the JVM found them. */
public final class CdsProbe {
    private CdsProbe() {
    }

    public static void main(String[] names) throws Exception {
        for (String name : names) {
            Class.forName(name, false, CdsProbe.class.getClassLoader());
        }
    }
}
