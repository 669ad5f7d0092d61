package dev.coderssh.core.http;

import java.io.IOException;

/** A response body over the transport's cap; treated like a network failure, never buffered. */
public final class ResponseTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    public ResponseTooLargeException(long cap) {
        super("response body larger than " + (cap / 1024 / 1024) + " MiB");
    }
}
