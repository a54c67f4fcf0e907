package dev.keiryo.engine.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.run.RunInfo;
import dev.keiryo.engine.api.run.RunState;
import dev.keiryo.engine.cli.ExitCode;
import dev.keiryo.engine.cli.KeiryoCli;
import dev.keiryo.engine.experiment.RunStore;
import dev.keiryo.engine.io.AtomicWrite;
import dev.keiryo.engine.model.ModelIO;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where runs are written: a disk that fills up during training, checkpointing and packing, a
 * read-only runs folder, a runs folder whose path has spaces and non-ASCII letters, and several
 * processes writing to one runs folder at once.
 */
class DiskAndFoldersTest {
    private static final List<String> TRAIN = List.of(
            "train",
            "--source",
            "sample",
            "--limit-train",
            "400",
            "--epochs",
            "2",
            "--model",
            "mlp",
            "--hidden",
            "64",
            "--batch",
            "50",
            "--no-latency",
            "--seed",
            "5");

    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Result keiryo(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                KeiryoCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    private static Path onlyRun(Path runs) throws IOException {
        List<RunInfo> list = new RunStore(runs).list();
        assertEquals(1, list.size(), "one run folder in " + runs);
        return list.get(0).dir();
    }

    /** One line on standard error that names the file, the disk's reason and what to check; no stack trace. */
    private static void assertDiskSentence(Result r, String file) {
        assertEquals(ExitCode.BAD_INPUT, r.code(), r.toString());
        List<String> err = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, err.size(), r.toString());
        assertTrue(err.get(0).contains(file), r.toString());
        assertTrue(err.get(0).contains("No space left on device"), r.toString());
        assertTrue(err.get(0).contains("check free disk space"), r.toString());
    }

    private static void assertWholeAndClean(Path run) throws IOException {
        List<String> problems = new ArrayList<>();
        KillHarness.checkFiles(run, problems);
        assertEquals(List.of(), problems);
        try (Stream<Path> s = Files.walk(run)) {
            assertEquals(List.of(), s.filter(AtomicWrite::isTemporary).toList(), "no temporary files left");
        }
    }

    @Test
    void aDiskThatFillsDuringCheckpointingKeepsTheLastCheckpointAndTheRunResumesOnceThereIsRoom() throws Exception {
        Result ref = keiryo(TRAIN, "--runs", tmp.resolve("ref").toString());
        assertEquals(ExitCode.OK, ref.code(), ref.toString());
        Path refRun = onlyRun(tmp.resolve("ref"));
        long checkpoint = Files.size(refRun.resolve("checkpoints/last.zip"));

        try (Tmpfs disk = Tmpfs.mount(tmp.resolve("disk"), "8m")) {
            // Room for the first checkpoint and the small files, not for a second one beside it.
            Path ballast = disk.fillLeaving(checkpoint * 3 / 2 + 128 * 1024);
            Path runs = disk.dir().resolve("runs");
            Result full = keiryo(TRAIN, "--runs", runs.toString());
            assertDiskSentence(full, "last.zip");
            Path run = onlyRun(runs);
            RunInfo info = new RunStore(runs).list().get(0);
            assertEquals(RunState.FAILED, info.state());
            assertTrue(
                    info.status().message().contains("No space left on device"),
                    info.status().message());
            assertWholeAndClean(run);
            assertEquals(
                    1,
                    dev.keiryo.engine.job.CheckpointsProbe.epochs(run.resolve("checkpoints/last.zip")),
                    "the first epoch's checkpoint is kept");

            Files.delete(ballast);
            Result resumed = keiryo(List.of("train", "--resume", run.toString(), "--runs", runs.toString()));
            assertEquals(ExitCode.OK, resumed.code(), resumed.toString());
            assertWholeAndClean(run);
            INDArray a = ModelIO.load(refRun.resolve("models/model.zip")).net().params();
            INDArray b = ModelIO.load(run.resolve("models/model.zip")).net().params();
            assertTrue(a.sub(b).amaxNumber().doubleValue() <= 1e-5, "the same model as without the full disk");
        }
    }

    @Test
    void aDiskThatIsFullFromTheStartGivesASentence() throws Exception {
        try (Tmpfs disk = Tmpfs.mount(tmp.resolve("disk"), "2m")) {
            disk.fillLeaving(0);
            Path runs = disk.dir().resolve("runs");
            Result full = keiryo(TRAIN, "--runs", runs.toString());
            assertEquals(ExitCode.BAD_INPUT, full.code(), full.toString());
            assertTrue(full.err().contains("No space left on device"), full.toString());
            assertFalse(full.err().contains("internal error"), full.toString());
            assertEquals(1, full.err().lines().filter(l -> !l.isBlank()).count(), full.toString());
        }
    }

    @Test
    void aDiskThatFillsDuringPackingKeepsTheVariantsBeforeAndResumes() throws Exception {
        List<String> wide = new ArrayList<>(TRAIN);
        wide.set(wide.indexOf("64"), "256");
        Result teacher = keiryo(wide, "--runs", tmp.resolve("teacher").toString());
        assertEquals(ExitCode.OK, teacher.code(), teacher.toString());
        Path model = onlyRun(tmp.resolve("teacher")).resolve("models/model.zip");
        List<String> prune = List.of(
                "prune",
                model.toString(),
                "--mode",
                "connection",
                "--table",
                "--levels",
                // v1 is small (a tenth kept), v2 large: the disk is made to fill during v2.
                "0.9,0.3",
                "--fine-tune-epochs",
                "0",
                "--source",
                "sample",
                "--limit-train",
                "400");
        Result ref = keiryo(prune, "--runs", tmp.resolve("ref").toString());
        assertEquals(ExitCode.OK, ref.code(), ref.toString());
        Path refRun = onlyRun(tmp.resolve("ref"));
        long before = 0;
        for (String f : List.of("models/model.zip", "variants/v0.kpack", "variants/v1.kpack")) {
            before += Files.size(refRun.resolve(f));
        }
        long v2 = Files.size(refRun.resolve("variants/v2.kpack"));

        try (Tmpfs disk = Tmpfs.mount(tmp.resolve("disk"), "8m")) {
            Path ballast = disk.fillLeaving(before + v2 / 2 + 128 * 1024);
            Path runs = disk.dir().resolve("runs");
            Result full = keiryo(prune, "--runs", runs.toString());
            assertDiskSentence(full, ".kpack");
            Path run = onlyRun(runs);
            assertEquals(RunState.FAILED, new RunStore(runs).list().get(0).state());
            assertWholeAndClean(run);
            assertTrue(Files.isRegularFile(run.resolve("variants/v1.kpack")), "the variants before are kept");

            Files.delete(ballast);
            Result resumed = keiryo(List.of("train", "--resume", run.toString(), "--runs", runs.toString()));
            assertEquals(ExitCode.OK, resumed.code(), resumed.toString());
            assertWholeAndClean(run);
            assertTrue(
                    KillHarness.madeAll(KillHarness.variantSteps(run), KillHarness.variantSteps(refRun)),
                    "every variant an uninterrupted run makes");
        }
    }

    @Test
    void aReadOnlyRunsFolderGivesASentenceAndItsRunsStillRead() throws Exception {
        try (Tmpfs disk = Tmpfs.mount(tmp.resolve("disk"), "8m")) {
            Path runs = disk.dir().resolve("runs");
            Result made = keiryo(TRAIN, "--runs", runs.toString());
            assertEquals(ExitCode.OK, made.code(), made.toString());
            Path run = onlyRun(runs);
            disk.readOnly();

            Result again = keiryo(TRAIN, "--runs", runs.toString());
            assertEquals(ExitCode.BAD_INPUT, again.code(), again.toString());
            assertTrue(again.err().contains("Read-only file system"), again.toString());
            assertEquals(1, again.err().lines().filter(l -> !l.isBlank()).count(), again.toString());

            Result resume = keiryo(List.of("train", "--resume", run.toString(), "--runs", runs.toString()));
            assertEquals(ExitCode.BAD_INPUT, resume.code(), resume.toString());
            assertTrue(resume.err().contains("check that it is writable"), resume.toString());

            assertEquals(RunState.COMPLETED, new RunStore(runs).list().get(0).state(), "still reads as completed");
            Result eval = keiryo(
                    List.of("eval", run.resolve("models/model.zip").toString(), "--source", "sample", "--no-latency"));
            assertEquals(ExitCode.OK, eval.code(), eval.toString());
        }
    }

    @Test
    void aRunsFolderWithSpacesAndNonAsciiLettersWorksEndToEnd() throws Exception {
        Path runs = tmp.resolve("Läufe mit Leerzeichen").resolve("実験 runs");
        Result train = keiryo(TRAIN, "--runs", runs.toString(), "--name", "größe");
        // "größe" is not a run name Keiryo allows; the folder may be odd, the name must stay portable.
        assertEquals(ExitCode.BAD_INPUT, train.code(), train.toString());
        train = keiryo(TRAIN, "--runs", runs.toString());
        assertEquals(ExitCode.OK, train.code(), train.toString());
        Path run = onlyRun(runs);
        assertWholeAndClean(run);
        Result prune = keiryo(List.of(
                "prune",
                run.resolve("models/model.zip").toString(),
                "--mode",
                "connection",
                "--sparsity",
                "0.5",
                "--source",
                "sample",
                "--limit-train",
                "400",
                "--runs",
                runs.toString()));
        assertEquals(ExitCode.OK, prune.code(), prune.toString());
        for (RunInfo r : new RunStore(runs).list()) {
            assertEquals(RunState.COMPLETED, r.state(), r.id());
            assertWholeAndClean(r.dir());
        }
        Path onnx = tmp.resolve("Ausgabe ä").resolve("modèle.onnx");
        Files.createDirectories(onnx.getParent());
        Result export = keiryo(List.of("export", run.resolve("models/model.zip").toString(), "--out", onnx.toString()));
        assertEquals(ExitCode.OK, export.code(), export.toString());
        assertTrue(Files.size(onnx) > 0);
    }

    @Test
    void underAnAsciiOnlyLocaleANonAsciiPathGetsASentenceThatSaysWhatToDo() throws Exception {
        Path log = tmp.resolve("c-locale.txt");
        Process p = KillHarness.keiryo(
                log,
                List.of("train", "--runs", tmp.resolve("Läufe").toString()),
                java.util.Map.of("LC_ALL", "C", "LANG", "C"));
        assertEquals(ExitCode.BAD_INPUT, p.waitFor(), Files.readString(log));
        String err = Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(err.contains("start keiryo with a UTF-8 locale, e.g. LANG=C.UTF-8"), err);
        assertFalse(err.contains("Exception"), err);
    }

    @Test
    void processesWritingToOneRunsFolderAtOnceGetARunFolderEach() throws Exception {
        Path runs = tmp.resolve("runs");
        List<Process> ps = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<String> args = new ArrayList<>(TRAIN);
            args.addAll(List.of("--name", "same", "--runs", runs.toString(), "--json"));
            ps.add(KillHarness.keiryo(tmp.resolve("out" + i + ".txt"), args));
        }
        Set<String> reported = new HashSet<>();
        for (int i = 0; i < ps.size(); i++) {
            assertEquals(0, ps.get(i).waitFor(), Files.readString(tmp.resolve("out" + i + ".txt")));
            List<String> lines = Files.readAllLines(tmp.resolve("out" + i + ".txt"));
            String result = lines.stream()
                    .filter(l -> l.startsWith("{\"event\":\"result\""))
                    .findFirst()
                    .orElseThrow();
            reported.add(result.replaceAll(".*\"run\":\"([^\"]+)\".*", "$1"));
        }
        List<RunInfo> list = new RunStore(runs).list();
        assertEquals(3, list.size(), "one folder per process");
        assertEquals(3, reported.size(), "each process reports its own folder");
        Set<Long> writers = new HashSet<>();
        for (RunInfo r : list) {
            assertEquals(RunState.COMPLETED, r.state(), r.id());
            assertTrue(r.id().matches("\\d{8}-\\d{6}-same(-\\d+)?"), r.id());
            assertTrue(reported.contains(r.dir().toString()), r.dir() + " in " + reported);
            assertWholeAndClean(r.dir());
            writers.add(r.status().pid());
        }
        assertEquals(3, writers.size(), "each folder's status was written by the process that ran it, and only by it");
    }
}
