package dev.coderssh.core.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Response bodies as both transports buffer them. */
final class Bodies {
    /** A hostile or broken server must not exhaust memory. */
    static final long CAP = 4L * 1024 * 1024;

    private Bodies() {
    }

    /** Buffers at most {@link #CAP} bytes, else throws {@link ResponseTooLargeException}; closes {@code body}. */
    static byte[] readCapped(InputStream body) throws IOException {
        try (InputStream in = body) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > CAP) {
                    throw new ResponseTooLargeException(CAP);
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }
}
