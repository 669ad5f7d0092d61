package dev.coderssh.proxy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;

/**
 * ssh's stdout when it is only a stream (no launcher descriptor): flushed after every write, since
 * a byte left in a stream's buffer is a keystroke echo ssh waits for.
 */
final class FlushingChannel implements WritableByteChannel {
    private final OutputStream out;
    private final WritableByteChannel channel;

    FlushingChannel(OutputStream out) {
        this.out = out;
        this.channel = Channels.newChannel(out);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int n = channel.write(src);
        out.flush();
        return n;
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
