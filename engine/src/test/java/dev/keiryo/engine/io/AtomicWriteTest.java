package dev.keiryo.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a killed writer leaves beside a file goes with the next write of that file, and only that. */
class AtomicWriteTest {
    @TempDir
    Path dir;

    @Test
    void theNextWriteOfAFileRemovesItsKilledWritersLeftoversButNoOneElses() throws Exception {
        Path target = dir.resolve("model.onnx");
        Path stale = leftover("model.onnx", 120);
        Path live = leftover("model.onnx", 0);
        Path other = leftover("other.onnx", 120);

        AtomicWrite.write(target, new byte[] {1, 2, 3}, false);

        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target));
        assertFalse(Files.exists(stale), "untouched for two minutes: its writer is gone");
        assertTrue(Files.exists(live), "touched just now: a writer may still be at work");
        assertTrue(Files.exists(other), "another file's leftovers are that file's business");
    }

    private Path leftover(String name, int secondsAgo) throws Exception {
        Path p = AtomicWrite.temporary(dir.resolve(name).toAbsolutePath());
        Files.write(p, new byte[] {9});
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().minusSeconds(secondsAgo)));
        assertTrue(AtomicWrite.isTemporary(p));
        return p;
    }
}
