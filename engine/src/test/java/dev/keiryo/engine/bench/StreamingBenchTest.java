package dev.keiryo.engine.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streaming benchmark at a tiny size: it writes its folder once and measures a streamed epoch. */
class StreamingBenchTest {
    @TempDir
    Path dir;

    @Test
    void writesTheFolderOnceAndStreamsAnEpochThroughIt() throws Exception {
        assertTrue(StreamingBench.generate(dir, 200, 32, 10, 4) > 0);
        try (Stream<Path> files = Files.walk(dir)) {
            assertEquals(200, files.filter(p -> p.toString().endsWith(".png")).count());
        }
        assertEquals(0, StreamingBench.generate(dir, 200, 32, 10, 4), "a complete folder is reused");
        List<String> notes = new ArrayList<>();
        StreamingBench.Result r = StreamingBench.run(dir, 0, 1, 16, 4, notes::add);
        assertEquals(160, r.trainImages());
        assertEquals(40, r.testImages());
        assertEquals(200L * 3 * 32 * 32 * 4, r.decodedBytes());
        assertEquals(160, r.stats().examples(), "one epoch of the training split");
        assertTrue(r.stats().streamed());
        assertTrue(r.stats().largestWindow() <= r.stats().prefetch());
        assertTrue(r.trainWaitShare() >= 0 && r.trainWaitShare() <= 1, "share " + r.trainWaitShare());
        assertTrue(r.peakHeapBytes() > 0);
        assertTrue(notes.get(notes.size() - 1).contains("waited"), notes.toString());
    }
}
