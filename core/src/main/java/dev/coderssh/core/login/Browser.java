package dev.coderssh.core.login;

import java.io.IOException;

/** Opens a URL for the user; tests substitute one that follows the redirect itself. */
public interface Browser {
    /** Starts opening {@code url} and returns without waiting for the user. */
    void open(String url) throws IOException;
}
