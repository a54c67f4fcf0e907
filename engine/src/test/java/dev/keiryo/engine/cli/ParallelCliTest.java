package dev.keiryo.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data-parallel flags as a user meets them: bad combinations, devices, the CPU fallback. */
class ParallelCliTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Result train(String... args) {
        String[] all = Arrays.copyOf(new String[] {"train"}, 1 + args.length + 2);
        System.arraycopy(args, 0, all, 1, args.length);
        all[all.length - 2] = "--runs";
        all[all.length - 1] = dir.resolve("runs").toString();
        return keiryo(all);
    }

    private static Result keiryo(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = KeiryoCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    private void assertBadInput(Result r, String... fragments) throws IOException {
        assertEquals(ExitCode.BAD_INPUT, r.code(), r.toString());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), "stderr is one line:\n" + r.err());
        assertTrue(lines.get(0).startsWith("keiryo: ") && !lines.get(0).contains("internal error"), lines.get(0));
        for (String f : fragments) {
            assertTrue(lines.get(0).contains(f), "'" + f + "' missing from: " + lines.get(0));
        }
        Path runs = dir.resolve("runs");
        if (Files.exists(runs)) {
            try (Stream<Path> s = Files.list(runs)) {
                assertEquals(List.of(), s.toList(), "no run folder");
            }
        }
    }

    @Test
    void oneWorkerInAParallelMode() throws IOException {
        assertBadInput(train("--mode", "sync", "--workers", "1"), "train.workers must be >= 2 (was 1) in sync mode");
        assertBadInput(train("--mode", "async", "--workers", "0"), "train.workers must be >= 2 (was 0) in async mode");
    }

    @Test
    void averagingFrequencyBelowOne() throws IOException {
        assertBadInput(
                train("--workers", "2", "--averaging-frequency", "0"), "train.averagingFrequency must be >= 1 (was 0)");
    }

    @Test
    void anUnknownModeOrDevice() throws IOException {
        assertBadInput(train("--mode", "parallel"), "train.mode must be one of single, sync, async");
        assertBadInput(train("--workers", "2", "--devices", "tpu:0"), "train.devices[0] must be cpu, cuda or cuda:N");
    }

    @Test
    void aGpuWithoutCudaAndNoFallback() throws IOException {
        assertBadInput(
                train("--workers", "2", "--devices", "cuda:0", "--device-fallback", "fail"),
                "no usable CUDA GPU: this Keiryo was built without the CUDA backend (build it with ./mvnw -Pcuda)",
                "--device-fallback cpu");
    }

    @Test
    void experimentFileWithOneWorkerInSyncMode() throws IOException {
        Path f = Files.writeString(dir.resolve("exp.yaml"), "schemaVersion: 1\ntrain:\n  mode: sync\n  workers: 1\n");
        assertBadInput(train(f.toString()), "train.workers must be >= 2 (was 1) in sync mode");
    }

    @Test
    void gpusAskedForFallBackToCpuWithOneLineAndTrain() throws IOException {
        Result r = train(
                "--source",
                "sample",
                "--limit-train",
                "400",
                "--epochs",
                "1",
                "--model",
                "lenet300",
                "--batch",
                "32",
                "--devices",
                "cuda",
                "--workers",
                "2");
        assertEquals(ExitCode.OK, r.code(), r.toString());
        long notices =
                r.out().lines().filter(l -> l.contains("no usable CUDA GPU")).count();
        assertEquals(1, notices, r.out());
        assertTrue(r.out().contains("training on the CPU instead"), r.out());
        assertTrue(r.out().contains("sync data-parallel training: 2 workers on cpu"), r.out());
        assertFalse(r.err().contains("Exception"), r.err());
        Path run;
        try (Stream<Path> s = Files.list(dir.resolve("runs"))) {
            run = s.findFirst().orElseThrow();
        }
        String experiment = Files.readString(run.resolve("experiment.yaml"));
        assertTrue(experiment.contains("mode: sync") && experiment.contains("workers: 2"), experiment);
        assertTrue(Files.readString(run.resolve("status.json")).contains("completed"));
        assertTrue(Files.exists(run.resolve("checkpoints/last.zip")));
        assertTrue(Files.exists(run.resolve("summary.json")));
    }

    @Test
    void benchParallelPrintsOneRowPerMode() {
        Result r = keiryo(
                "bench",
                "--parallel",
                "--sample",
                "--models",
                "lenet300",
                "--rounds",
                "1",
                "--max-epochs",
                "1",
                "--target",
                "0.5");
        assertEquals(ExitCode.OK, r.code(), r.toString());
        List<String> rows = r.out().lines().filter(l -> l.startsWith("RESULT ")).toList();
        assertEquals(3, rows.size(), r.out());
        assertTrue(rows.get(0).contains("\"mode\":\"single\"") && rows.get(0).contains("\"workers\":1"), rows.get(0));
        assertTrue(rows.get(1).contains("\"mode\":\"sync\"") && rows.get(1).contains("\"workers\":2"), rows.get(1));
        assertTrue(rows.get(2).contains("\"mode\":\"async\""), rows.get(2));
        assertFalse(r.out().contains("NaN"), "valid JSON: " + r.out());
        assertTrue(rows.stream().allMatch(l -> !l.contains("\"samplesPerSecond\":0.0")), r.out());
    }

    @Test
    void infoListsTheDevices() {
        Result r = keiryo("info");
        assertEquals(ExitCode.OK, r.code(), r.toString());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("Devices     cpu")), r.out());
        assertTrue(r.out().contains("cuda     none: this Keiryo was built without the CUDA backend"), r.out());
    }
}
