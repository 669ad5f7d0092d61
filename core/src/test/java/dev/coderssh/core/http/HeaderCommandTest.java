package dev.coderssh.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** --header-command with real shells: its output, its bad lines, and its deadline. */
class HeaderCommandTest {
    @Test
    void linesBecomeHeaders() throws IOException {
        assertThat(new HeaderCommand("printf 'X-A=b\\nX-C=d=e\\n'").headers()).isEqualTo(Map.of("X-A", "b", "X-C", "d=e"));
    }

    @Test
    void aHeaderWithAControlByteIsRefused() {
        assertThatThrownBy(() -> new HeaderCommand("printf 'X-A=b\\001\\n'").headers())
                .hasMessageContaining("bad header").hasMessageContaining("control character");
    }

    @Test
    void aNonAsciiHeaderIsRefusedInWordsNotByTheHttpClient() {
        assertThatThrownBy(() -> new HeaderCommand("printf 'X-A=caf\\303\\251\\n'").headers())
                .isInstanceOf(IOException.class).hasMessageContaining("bad header").hasMessageContaining("non-ASCII");
    }

    @Test
    void aCommandThatNeverExitsFailsAtTheDeadline() {
        // Its output stays open (the old code read it to EOF before its wait, so it hung forever).
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(
                () -> new HeaderCommand("echo X-A=b; exec sleep 1000", 500).headers())
                .hasMessageContaining("did not finish"));
    }
}
