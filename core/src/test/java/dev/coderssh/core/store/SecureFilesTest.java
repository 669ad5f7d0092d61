package dev.coderssh.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecureFilesTest {
    @TempDir
    Path dir;

    /** A SIGKILL between creating the temp file and the rename leaves it behind, full of secrets. */
    @Test
    void staleTempFilesOfAKilledWriterAreRemovedOnTheNextWrite() throws Exception {
        Path target = dir.resolve("x.json");
        Path stale = Files.writeString(dir.resolve(".x.json.tmp-dead"), "secret");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minusSeconds(600)));
        Path inProgress = Files.writeString(dir.resolve(".x.json.tmp-live"), "another writer");
        Path otherFile = Files.writeString(dir.resolve(".y.json.tmp-old"), "not ours");
        Files.setLastModifiedTime(otherFile, FileTime.from(Instant.now().minusSeconds(600)));
        SecureFiles.writeAtomic(target, "{}".getBytes());
        assertThat(Files.readString(target)).isEqualTo("{}");
        assertThat(stale).doesNotExist();
        assertThat(inProgress).exists();
        assertThat(otherFile).exists();
    }
}
