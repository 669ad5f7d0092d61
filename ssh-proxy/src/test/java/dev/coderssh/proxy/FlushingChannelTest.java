package dev.coderssh.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** ssh's stdout as a plain stream: a keystroke's echo must not wait in the stream's buffer. */
class FlushingChannelTest {
    @Test
    void aSingleByteReachesTheStreamBeneathABufferAtOnce() throws Exception {
        ByteArrayOutputStream ssh = new ByteArrayOutputStream();
        FlushingChannel stdout = new FlushingChannel(new BufferedOutputStream(ssh, 8192));
        assertThat(stdout.write(ByteBuffer.wrap("l".getBytes(StandardCharsets.US_ASCII)))).isEqualTo(1);
        assertThat(ssh.toString(StandardCharsets.US_ASCII)).isEqualTo("l");
        stdout.close();
        assertThat(stdout.isOpen()).isFalse();
    }
}
