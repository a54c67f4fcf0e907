package dev.keiryo.engine.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.experiment.AtomicFiles;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.Mappers;
import dev.keiryo.engine.api.run.RunInfo;
import dev.keiryo.engine.api.run.RunState;
import dev.keiryo.engine.api.run.RunStatus;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStoreTest {

    private static final Clock FIXED = Clock.fixed(Instant.parse("2024-05-06T07:08:09Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    private RunStore store() {
        return new RunStore(tmp.resolve("runs"), FIXED);
    }

    @Test
    void sameNameInSameSecondGetsNewFolders() throws IOException {
        RunStore store = store();
        Run a = store.create("lenet5");
        a.writeText("marker.txt", "a");
        Run b = store.create("lenet5");
        Run c = store.create("lenet5");
        assertEquals("20240506-070809-lenet5", a.id());
        assertEquals("20240506-070809-lenet5-2", b.id());
        assertEquals("20240506-070809-lenet5-3", c.id());
        assertEquals("a", Files.readString(a.dir().resolve("marker.txt")));
        try (Stream<Path> files = Files.list(b.dir())) {
            assertEquals(0, files.count(), "a new run folder is empty");
        }
    }

    @Test
    void rejectsNamesThatCouldEscapeOrBreakTheFolderName() {
        for (String bad : new String[] {"", "a/b", "..\\x", "has space", "x".repeat(65)}) {
            assertThrows(KeiryoException.class, () -> store().create(bad), bad);
        }
    }

    @Test
    void writesReplaceWholeFilesAndLeaveNoTemporaryFiles() throws IOException {
        Run run = store().create("w");
        run.writeJson("a.json", Map.of("k", 1));
        run.writeJson("a.json", Map.of("k", 2));
        run.writeYaml("b.yaml", Map.of("k", "v"));
        run.writeText("c.txt", "hello");
        run.writeExperiment(Experiment.defaults());
        run.markRunning();
        run.writeText("sub/d.txt", "nested");
        try (Stream<Path> all = Files.walk(run.dir())) {
            List<String> names = all.filter(Files::isRegularFile)
                    .map(p -> run.dir().relativize(p).toString())
                    .sorted()
                    .toList();
            assertEquals(
                    List.of(RunLock.FILE, "a.json", "b.yaml", "c.txt", "experiment.yaml", "status.json", "sub/d.txt"),
                    names,
                    "the files written, and the lock of the process running it");
        }
        assertEquals(
                2,
                Mappers.json()
                        .readTree(run.dir().resolve("a.json").toFile())
                        .get("k")
                        .asInt());
        assertEquals("k: v\n", Files.readString(run.dir().resolve("b.yaml")));
        assertEquals(Experiment.defaults(), run.experiment());
    }

    @Test
    void aWriteThatFailsHalfwayKeepsTheOldFileAndLeavesNoPartialFile() throws IOException {
        Run run = store().create("w");
        run.writeJson("a.json", Map.of("k", 1));
        byte[] before = Files.readAllBytes(run.file("a.json"));
        byte[] next = ("{\"k\":\"" + "x".repeat(100_000) + "\"}").getBytes(StandardCharsets.UTF_8);

        KeiryoException replace = assertThrows(
                KeiryoException.class,
                () -> AtomicFiles.write(run.file("a.json"), next, out -> failAfter(out, 50_000)));
        assertTrue(replace.getMessage().contains("a.json"), replace.getMessage());
        assertArrayEquals(before, Files.readAllBytes(run.file("a.json")), "the old content is intact");

        assertThrows(
                KeiryoException.class,
                () -> AtomicFiles.write(run.file("b.json"), next, out -> failAfter(out, 50_000)));
        try (Stream<Path> files = Files.list(run.dir())) {
            assertEquals(
                    List.of("a.json"),
                    files.map(p -> p.getFileName().toString()).toList(),
                    "no half-written new file and no temporary file");
        }
    }

    /** A stream that passes {@code limit} bytes on, then fails like a full disk. */
    private static OutputStream failAfter(OutputStream out, int limit) {
        return new FilterOutputStream(out) {
            private int written;

            @Override
            public void write(int b) throws IOException {
                if (written++ >= limit) {
                    throw new IOException("No space left on device (simulated)");
                }
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                int now = Math.min(len, Math.max(0, limit - written));
                out.write(b, off, now);
                written += now;
                if (now < len) {
                    throw new IOException("No space left on device (simulated)");
                }
            }
        };
    }

    @Test
    void filesCannotBeWrittenOutsideTheRun() {
        Run run = store().create("w");
        assertThrows(IllegalArgumentException.class, () -> run.writeText("../escape.txt", "x"));
        assertThrows(
                IllegalArgumentException.class,
                () -> run.writeText(tmp.resolve("abs.txt").toString(), "x"));
        assertFalse(Files.exists(tmp.resolve("runs/escape.txt")));
    }

    @Test
    void statusTransitions() {
        Run run = store().create("s");
        assertEquals(RunState.INCOMPLETE, run.state());
        assertTrue(run.markRunning());
        RunStatus running = run.status().orElseThrow();
        assertEquals(RunState.RUNNING, running.state());
        assertEquals("2024-05-06T07:08:09Z", running.startedAt());
        assertNull(running.endedAt());
        assertEquals(ProcessHandle.current().pid(), running.pid());

        assertTrue(run.markCompleted(Map.of("accuracy", 0.91)));
        RunStatus done = run.status().orElseThrow();
        assertEquals(RunState.COMPLETED, done.state());
        assertEquals("2024-05-06T07:08:09Z", done.startedAt());
        assertEquals("2024-05-06T07:08:09Z", done.endedAt());
        assertEquals(0.91, done.summary().get("accuracy").asDouble());

        assertFalse(run.markCancelled(), "a late shutdown hook must not undo completion");
        assertFalse(run.markFailed("late"));
        assertEquals(RunState.COMPLETED, run.state());
    }

    @Test
    void failedAndCancelledRecordWhy() {
        Run failed = store().create("f");
        failed.markRunning();
        assertTrue(failed.markFailed("out of memory"));
        assertEquals(RunState.FAILED, failed.state());
        assertEquals("out of memory", failed.status().orElseThrow().message());

        Run cancelled = store().create("c");
        cancelled.markRunning();
        assertTrue(cancelled.markCancelled());
        assertEquals(RunState.CANCELLED, cancelled.state());
        assertNotEquals(null, cancelled.status().orElseThrow().endedAt());

        assertTrue(failed.markRunning(), "a failed run can be resumed");
        assertEquals(RunState.RUNNING, failed.state());
        assertNull(failed.status().orElseThrow().message());
    }

    @Test
    void statusJsonUsesLowercaseStates() throws IOException {
        Run run = store().create("j");
        run.markRunning();
        JsonNode json =
                Mappers.json().readTree(run.dir().resolve(Run.STATUS_FILE).toFile());
        assertEquals("running", json.get("state").asText());
    }

    @Test
    void listDistinguishesStates() throws IOException {
        RunStore store = store();
        Run completed = store.create("a");
        completed.markRunning();
        completed.markCompleted(null);
        Run failed = store.create("b");
        failed.markRunning();
        failed.markFailed("boom");
        Run running = store.create("c");
        running.markRunning();
        store.create("d");
        Files.writeString(store.root().resolve("not-a-run.txt"), "ignored");

        List<RunInfo> runs = store.list();
        assertEquals(
                List.of("20240506-070809-a", "20240506-070809-b", "20240506-070809-c", "20240506-070809-d"),
                runs.stream().map(RunInfo::id).toList());
        assertEquals(
                List.of(RunState.COMPLETED, RunState.FAILED, RunState.RUNNING, RunState.INCOMPLETE),
                runs.stream().map(RunInfo::state).toList());
        assertEquals(
                List.of(true, false, false, false),
                runs.stream().map(RunInfo::completed).toList());
        assertNull(runs.get(3).status());
    }

    @Test
    void listOfMissingRootIsEmpty() {
        assertEquals(List.of(), new RunStore(tmp.resolve("nothing-here")).list());
    }

    @Test
    void openReadsExperimentAndStatusByPathOrId() {
        RunStore store = store();
        Run run = store.create("r");
        Experiment e = Experiment.defaults().withName("r").withSeed(3);
        run.writeExperiment(e);
        run.markRunning();
        run.markFailed("crash");

        Run byPath = store.open(run.dir());
        assertEquals(e, byPath.experiment());
        assertEquals(RunState.FAILED, byPath.state());
        assertEquals(run.dir(), store.open(Path.of(run.id())).dir());
    }

    @Test
    void openRejectsFoldersThatAreNotRunsAndRunsStoppedBeforeTheyRecordedTheirExperiment() throws IOException {
        RunStore store = store();
        Run empty = store.create("empty");
        String m = assertThrows(KeiryoException.class, () -> store.open(empty.dir()))
                .getMessage();
        assertTrue(
                m.contains("stopped before it recorded its experiment.yaml") && m.contains("start the run again"), m);
        Path photos = Files.createDirectories(empty.dir().getParent().resolve("photos"));
        String other =
                assertThrows(KeiryoException.class, () -> store.open(photos)).getMessage();
        assertTrue(other.contains("has no experiment.yaml, so it is not a Keiryo run folder"), other);
        String missing = assertThrows(KeiryoException.class, () -> store.open(Path.of("no-such-run")))
                .getMessage();
        assertTrue(missing.contains("no-such-run: no such run folder"), missing);
    }

    @Test
    void modelAndCheckpointFoldersAreCreatedOnDemand() {
        Run run = store().create("m");
        assertEquals(run.dir().resolve("models"), run.models());
        assertEquals(run.dir().resolve("checkpoints"), run.checkpoints());
        assertTrue(Files.isDirectory(run.models()) && Files.isDirectory(run.checkpoints()));
    }
}
