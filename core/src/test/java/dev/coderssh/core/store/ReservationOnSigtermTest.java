package dev.coderssh.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.testing.Jvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A login ended by SIGTERM while it holds a space reservation leaves no 16 KiB file behind (issue 19). */
class ReservationOnSigtermTest {
    @TempDir
    Path dir;

    /** Takes a reservation for args[0], says so, and waits (as a login waits for the browser). */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            try (SpaceReservation r = SpaceReservation.take(Path.of(args[0]))) {
                System.out.print("ready\n");
                System.out.flush();
                Thread.sleep(60_000);
            }
        }
    }

    @Test
    void sigtermRemovesTheReservation() throws Exception {
        Path target = dir.resolve("x.json");
        Process p = Jvm.builder(List.of(), Holder.class, target.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertThat(new String(p.getInputStream().readNBytes(6))).isEqualTo("ready\n");
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(f -> f.getFileName().toString())).as("the reservation is in place").singleElement()
                    .asString().startsWith(".x.json.reserve-");
        }
        p.destroy(); // SIGTERM on POSIX
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(143);
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.toList()).isEmpty();
        }
    }
}
