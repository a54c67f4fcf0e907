package dev.keiryo.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code keiryo} command as a user meets it: exit codes, one-line error messages that name the
 * file and the problem, no stack traces, and no run folder left behind by bad input.
 */
class CliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @TempDir
    static Path shared;

    /** The result of the quick training run that the positive eval/inspect tests use. */
    private static Result trained;

    private static Path trainedRuns;

    record Result(int code, String out, String err) {
        List<String> outLines() {
            return out.lines().filter(l -> !l.isBlank()).toList();
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Result keiryo(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter o = new PrintWriter(out, true);
        PrintWriter e = new PrintWriter(err, true);
        int code = KeiryoCli.execute(o, e, args);
        o.flush();
        e.flush();
        return new Result(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void trainOnce() {
        trainedRuns = shared.resolve("runs");
        trained = keiryo(
                "train",
                "--source",
                "sample",
                "--limit-train",
                "500",
                "--epochs",
                "1",
                "--model",
                "lenet300",
                "--batch",
                "64",
                "--json",
                "--runs",
                trainedRuns.toString());
    }

    private Path runs() {
        return dir.resolve("runs");
    }

    /** Exit 2, one "keiryo: " line naming every fragment, no stack trace, no run folder. */
    private void assertBadInput(Result r, String... fragments) throws IOException {
        assertEquals(ExitCode.BAD_INPUT, r.code(), r.toString());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), "stderr is one line:\n" + r.err());
        String line = lines.get(0);
        assertTrue(line.startsWith("keiryo: "), line);
        assertFalse(line.startsWith("keiryo: internal error"), line);
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception:"), "no stack trace: " + r.err());
        for (String f : fragments) {
            assertTrue(line.contains(f), "'" + f + "' missing from: " + line);
        }
        assertEquals("", r.out(), "nothing on stdout");
        assertNoRunFolder();
    }

    private void assertNoRunFolder() throws IOException {
        if (Files.exists(runs())) {
            try (Stream<Path> s = Files.list(runs())) {
                assertEquals(List.of(), s.toList(), "no run folder");
            }
        }
    }

    private Result train(String... args) {
        String[] all = Arrays.copyOf(new String[] {"train"}, 1 + args.length + 2);
        System.arraycopy(args, 0, all, 1, args.length);
        all[all.length - 2] = "--runs";
        all[all.length - 1] = runs().toString();
        return keiryo(all);
    }

    // ---------------------------------------------------------------- experiment files

    @Test
    void missingExperimentFile() throws IOException {
        Path f = dir.resolve("missing.yaml");
        assertBadInput(train(f.toString()), f.toString(), "no such file");
    }

    @Test
    void experimentFileWithAnUnknownField() throws IOException {
        Path f = write("exp.yaml", "schemaVersion: 1\ntrain:\n  learningRat: 0.01\n");
        assertBadInput(
                train(f.toString()), f.toString(), "unknown field 'train.learningRat'", "did you mean 'learningRate'?");
    }

    @Test
    void experimentFileWithAWrongType() throws IOException {
        Path f = write("exp.yaml", "schemaVersion: 1\ntrain:\n  epochs: many\n");
        assertBadInput(train(f.toString()), f.toString(), "train.epochs must be an integer", "\"many\"");
    }

    @Test
    void experimentFileWithAnOutOfRangeValue() throws IOException {
        Path f = write("exp.json", "{\"schemaVersion\": 1, \"train\": {\"batchSize\": 0}}");
        assertBadInput(train(f.toString()), f.toString(), "train.batchSize must be 1..65536 (was 0)");
    }

    // ---------------------------------------------------------------- IDX data

    @Test
    void idxFolderWithATruncatedImagesFile() throws IOException {
        Path data = idxFolder();
        byte[] full = images(10);
        Files.write(data.resolve("train-images-idx3-ubyte"), Arrays.copyOf(full, full.length - 40));
        assertBadInput(
                train("--source", "idx", "--data", data.toString()),
                data.resolve("train-images-idx3-ubyte").toString(),
                "truncated");
    }

    @Test
    void idxFileWithTheWrongMagic() throws IOException {
        Path data = idxFolder();
        byte[] bad = images(10);
        ByteBuffer.wrap(bad).putInt(0x12345678);
        Files.write(data.resolve("train-images-idx3-ubyte"), bad);
        assertBadInput(
                train("--source", "idx", "--data", data.toString()),
                data.resolve("train-images-idx3-ubyte").toString(),
                "not an IDX file",
                "0x12345678");
    }

    @Test
    void idxFilesSwapped() throws IOException {
        Path data = idxFolder();
        Files.write(data.resolve("train-images-idx3-ubyte"), labels(10, -1, 0));
        assertBadInput(
                train("--source", "idx", "--data", data.toString()),
                data.resolve("train-images-idx3-ubyte").toString(),
                "swapped");
    }

    @Test
    void corruptGzipFile() throws IOException {
        Path data = idxFolder();
        Files.delete(data.resolve("train-images-idx3-ubyte"));
        byte[] gz = gzip(images(10));
        for (int i = 12; i < gz.length - 12; i++) {
            gz[i] ^= (byte) 0x5A; // damage the deflate stream, keep the gzip header and trailer
        }
        Path f = Files.write(data.resolve("train-images-idx3-ubyte.gz"), gz);
        assertBadInput(train("--source", "idx", "--data", data.toString()), f.toString(), "corrupt or truncated gzip");
    }

    @Test
    void truncatedGzipFile() throws IOException {
        Path data = idxFolder();
        Files.delete(data.resolve("train-images-idx3-ubyte"));
        byte[] gz = gzip(images(10));
        Path f = Files.write(data.resolve("train-images-idx3-ubyte.gz"), Arrays.copyOf(gz, gz.length / 2));
        assertBadInput(train("--source", "idx", "--data", data.toString()), f.toString(), "gzip");
    }

    @Test
    void labelOutOfRange() throws IOException {
        Path data = idxFolder();
        Path f = Files.write(data.resolve("train-labels-idx1-ubyte"), labels(10, 3, 10));
        assertBadInput(
                train("--source", "idx", "--data", data.toString()), f.toString(), "label at index 3 is 10", "0..9");
    }

    @Test
    void missingIdxFolder() throws IOException {
        Path data = dir.resolve("nowhere");
        assertBadInput(train("--source", "idx", "--data", data.toString()), data.toString(), "does not exist");
    }

    @Test
    void idxFolderMissingAFile() throws IOException {
        Path data = idxFolder();
        Files.delete(data.resolve("t10k-labels-idx1-ubyte"));
        assertBadInput(train("--source", "idx", "--data", data.toString()), data.toString(), "t10k-labels-idx1-ubyte");
    }

    // ---------------------------------------------------------------- CSV data

    @Test
    void raggedCsv() throws IOException {
        Path f = write("data.csv", "a,b,label\n1,2,0\n3,4,1\n5,1\n6,7,0\n");
        assertBadInput(
                train("--source", "csv", "--data", f.toString()), f.toString(), "line 4 has 2 fields, expected 3");
    }

    @Test
    void csvWithNaN() throws IOException {
        Path f = write("data.csv", "a,b,label\n1,2,0\n3,NaN,1\n5,6,0\n");
        assertBadInput(
                train("--source", "csv", "--data", f.toString()), f.toString(), "line 3", "'b'", "not a finite number");
    }

    @Test
    void csvWithText() throws IOException {
        Path f = write("data.csv", "a,b,label\n1,2,0\n3,x,1\n5,6,0\n");
        assertBadInput(train("--source", "csv", "--data", f.toString()), f.toString(), "line 3", "'x'", "not a number");
    }

    @Test
    void missingCsv() throws IOException {
        Path f = dir.resolve("none.csv");
        assertBadInput(train("--source", "csv", "--data", f.toString()), f.toString(), "not found");
    }

    // ---------------------------------------------------------------- model files

    @Test
    void evalOnAMissingModel() throws IOException {
        Path m = dir.resolve("nope.zip");
        assertBadInput(keiryo("eval", m.toString()), m.toString(), "does not exist");
    }

    @Test
    void inspectOnAMissingModel() throws IOException {
        Path m = dir.resolve("nope.zip");
        assertBadInput(keiryo("inspect", m.toString()), m.toString(), "does not exist");
    }

    @Test
    void evalAndInspectOnRandomBytes() throws IOException {
        byte[] junk = new byte[4096];
        new Random(1).nextBytes(junk);
        Path m = Files.write(dir.resolve("junk.zip"), junk);
        assertBadInput(keiryo("eval", m.toString()), m.toString(), "not a readable model");
        assertBadInput(keiryo("inspect", m.toString()), m.toString(), "not a readable model");
    }

    @Test
    void evalAndInspectOnAZipThatIsNotAModel() throws IOException {
        Path m = dir.resolve("other.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(m))) {
            z.putNextEntry(new ZipEntry("readme.txt"));
            z.write("not a model".getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        assertBadInput(keiryo("eval", m.toString()), m.toString(), "not a DL4J/Keiryo model", "configuration.json");
        assertBadInput(keiryo("inspect", m.toString()), m.toString(), "not a DL4J/Keiryo model", "configuration.json");
    }

    @Test
    void benchProfileWithoutAnOnnxModel() throws IOException {
        // Without the check the default speed bench would start and run for minutes, ignoring --profile.
        assertBadInput(keiryo("bench", "--profile", dir.resolve("traces").toString()), "--profile", "--onnx MODEL");
    }

    // ---------------------------------------------------------------- resume

    @Test
    void resumeOfAFolderThatIsNotARun() throws IOException {
        Path notARun = Files.createDirectories(dir.resolve("not-a-run"));
        assertBadInput(
                train("--resume", notARun.toString()),
                notARun.toString(),
                "experiment.yaml",
                "not a Keiryo run folder");
        Path missing = dir.resolve("no-such-run");
        assertBadInput(train("--resume", missing.toString()), missing.toString(), "no such run folder");
    }

    @Test
    void resumeOfACompletedRunIsRefused() throws IOException {
        Path runDir = trainedModel().getParent().getParent();
        Result r = keiryo("train", "--resume", runDir.toString(), "--runs", trainedRuns.toString());
        assertEquals(ExitCode.BAD_INPUT, r.code(), r.toString());
        assertTrue(r.err().startsWith("keiryo: ") && r.err().contains("already complete"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        try (Stream<Path> s = Files.list(trainedRuns)) {
            assertEquals(1, s.count(), "no new run folder");
        }
        assertEquals(
                "completed",
                JSON.readTree(runDir.resolve("status.json").toFile())
                        .get("state")
                        .asText(),
                "the completed run is left as it was");
    }

    // ---------------------------------------------------------------- picocli's own errors

    @Test
    void unknownOptionIsBadInput() throws IOException {
        Result r = train("--bogus");
        assertEquals(ExitCode.BAD_INPUT, r.code(), r.toString());
        assertTrue(r.err().startsWith("keiryo: ") && r.err().contains("--bogus"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertNoRunFolder();
    }

    @Test
    void badOptionValueIsBadInput() throws IOException {
        Result r = train("--epochs", "three");
        assertEquals(ExitCode.BAD_INPUT, r.code(), r.toString());
        assertTrue(r.err().startsWith("keiryo: ") && r.err().contains("three"), r.err());
        assertNoRunFolder();
    }

    @Test
    void badChoiceIsBadInput() throws IOException {
        assertBadInput(train("--model", "resnet"), "model.preset must be one of", "lenet300", "resnet");
    }

    // ---------------------------------------------------------------- positive cases

    @Test
    void infoJsonReportsTheOneDnnBuildWithHelpersOn() throws IOException {
        Result r = keiryo("info", "--json");
        assertEquals(ExitCode.OK, r.code(), r.toString());
        assertEquals(1, r.outLines().size(), "one JSON object: " + r.out());
        JsonNode info = JSON.readTree(r.outLines().get(0));
        assertEquals("true", info.at("/backend/helpersActive").asText(), info.toString());
        assertTrue(info.at("/backend/nativeBuild").asText().contains("onednn"), info.toString());
        assertEquals("CPU", info.at("/backend/backend").asText());
        assertFalse(info.get("dl4j").asText().isBlank());
        assertEquals("", r.err());
    }

    @Test
    void trainJsonEndsWithAResultLine() throws IOException {
        Result r = trained;
        assertEquals(ExitCode.OK, r.code(), r.toString());
        List<String> lines = r.outLines();
        for (String l : lines) {
            assertTrue(JSON.readTree(l).isObject(), "every stdout line is a JSON object: " + l);
        }
        JsonNode result = JSON.readTree(lines.get(lines.size() - 1));
        assertEquals("result", result.get("event").asText(), result.toString());
        assertEquals("COMPLETED", result.get("outcome").asText());
        assertTrue(result.get("testAccuracy").asDouble() > 0.3, result.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"event\":\"epoch\"")), "epoch events before the result");
        Path model = Path.of(result.get("modelFile").asText());
        assertTrue(Files.isRegularFile(model), model.toString());
        assertTrue(model.startsWith(trainedRuns), "the run is under --runs: " + model);
        Path runDir = Path.of(result.get("run").asText());
        assertEquals(
                "completed",
                JSON.readTree(runDir.resolve("status.json").toFile())
                        .get("state")
                        .asText());
    }

    @Test
    void inspectTheTrainedModel() throws IOException {
        Path model = trainedModel();
        Result r = keiryo("inspect", model.toString());
        assertEquals(ExitCode.OK, r.code(), r.toString());
        assertTrue(r.out().contains("preset lenet300"), r.out());
        assertTrue(r.out().contains("total"), r.out());
        assertTrue(r.out().contains("266,610"), "LeNet-300-100 has 266,610 parameters: " + r.out());

        Result j = keiryo("inspect", "--json", model.toString());
        assertEquals(ExitCode.OK, j.code(), j.toString());
        JsonNode n = JSON.readTree(j.outLines().get(0));
        assertEquals(266_610, n.at("/stats/parameters").asLong(), n.toString());
        assertEquals("lenet300", n.at("/meta/preset").asText());
        assertFalse(r.out().contains("branches join"), "a chain is its layer table: " + r.out());
        assertEquals(4, n.get("vertices").size(), "the input and three dense layers");
    }

    @Test
    void evalTheTrainedModel() throws IOException {
        Path model = trainedModel();
        Result r = keiryo("eval", model.toString());
        assertEquals(ExitCode.OK, r.code(), r.toString());
        assertTrue(r.out().contains("accuracy"), r.out());
        assertTrue(r.out().contains("2000 examples"), r.out());
        assertTrue(r.out().contains("latency batch 1"), r.out());
        double trainedAcc = JSON.readTree(
                        trained.outLines().get(trained.outLines().size() - 1))
                .get("testAccuracy")
                .asDouble();
        assertTrue(
                r.out().contains(String.format(java.util.Locale.ROOT, "accuracy %.4f", trainedAcc)),
                "eval reproduces the accuracy train reported (" + trainedAcc + "): " + r.out());
    }

    @Test
    void evalJsonWithoutLatency() throws IOException {
        Result r = keiryo("eval", "--json", "--no-latency", trainedModel().toString());
        assertEquals(ExitCode.OK, r.code(), r.toString());
        JsonNode n = JSON.readTree(r.outLines().get(0));
        assertTrue(n.at("/result/accuracy").asDouble() > 0.3, n.toString());
        assertEquals(0, n.get("latency").size(), "--no-latency skips the measurement: " + n);
    }

    @Test
    void evalOnACsvFileEvaluatesEveryRow() throws IOException {
        Path train = write("train.csv", csvRows(60, 1));
        Path test = write("test.csv", csvRows(37, 2));
        Result t = train(
                "--source",
                "csv",
                "--data",
                train.toString(),
                "--model",
                "mlp",
                "--hidden",
                "8",
                "--epochs",
                "1",
                "--batch",
                "16",
                "--json");
        assertEquals(ExitCode.OK, t.code(), t.toString());
        Path model = Path.of(JSON.readTree(t.outLines().get(t.outLines().size() - 1))
                .get("modelFile")
                .asText());

        Result r = keiryo("eval", "--source", "csv", "--data", test.toString(), "--no-latency", model.toString());
        assertEquals(ExitCode.OK, r.code(), r.toString());
        assertTrue(r.out().contains("(37 examples)"), "the whole file is the test set: " + r.out());
        Result j = keiryo(
                "eval", "--json", "--source", "csv", "--data", test.toString(), "--no-latency", model.toString());
        assertEquals(
                37, JSON.readTree(j.outLines().get(0)).at("/result/examples").asLong(), j.toString());
    }

    /** {@code n} rows of two features and a class name out of three, the classes far apart. */
    private static String csvRows(int n, long seed) {
        Random random = new Random(seed);
        List<String> names = List.of("cat", "dog", "emu");
        StringBuilder b = new StringBuilder("x,y,animal\n");
        for (int i = 0; i < n; i++) {
            int k = i % 3;
            b.append(String.format(
                    java.util.Locale.ROOT,
                    "%.3f,%.3f,%s%n",
                    10 * k + random.nextDouble(),
                    -10 * k + random.nextDouble(),
                    names.get(k)));
        }
        return b.toString();
    }

    @Test
    void quantizeSettingsThatCannotWorkAreRejectedBeforeARunExists() throws IOException {
        Path model = trainedModel();
        Path runs = dir.resolve("qruns");
        Result codebookQat = keiryo(
                "quantize",
                model.toString(),
                "--mode",
                "codebook",
                "--bits",
                "4",
                "--qat-epochs",
                "1",
                "--runs",
                runs.toString());
        assertEquals(ExitCode.BAD_INPUT, codebookQat.code(), codebookQat.toString());
        assertTrue(
                codebookQat.err().contains("qatEpochs") && codebookQat.err().contains("codebook"), codebookQat.err());
        Result badBits =
                keiryo("quantize", model.toString(), "--sweep", "--sweep-bits", "4,33", "--runs", runs.toString());
        assertEquals(ExitCode.BAD_INPUT, badBits.code(), badBits.toString());
        assertTrue(badBits.err().contains("bits[1] must be 1..16 (was 33)"), badBits.err());
        Result zero = keiryo("quantize", model.toString(), "--bits", "0", "--runs", runs.toString());
        assertEquals(ExitCode.BAD_INPUT, zero.code(), zero.toString());
        assertTrue(Files.notExists(runs) || TestFiles.isEmptyDir(runs), "no run folder for bad input");
    }

    @Test
    void halfPrecisionStorageHalvesTheFile() throws IOException {
        Result r = keiryo(
                "quantize",
                trainedModel().toString(),
                "--mode",
                "half",
                "--json",
                "--runs",
                dir.resolve("h").toString());
        assertEquals(ExitCode.OK, r.code(), r.toString());
        JsonNode result = JSON.readTree(r.outLines().get(r.outLines().size() - 1));
        JsonNode v = result.get("variants");
        double ratio = v.get(0).at("/metrics/fileBytes").asDouble()
                / v.get(1).at("/metrics/fileBytes").asDouble();
        assertTrue(ratio > 1.9 && ratio < 2.01, "16-bit storage is half of float32: " + ratio + " " + v);
        assertEquals(
                v.get(0).at("/metrics/accuracy").asDouble(),
                v.get(1).at("/metrics/accuracy").asDouble(),
                0.005);
    }

    @Test
    void version() {
        Result r = keiryo("--version");
        assertEquals(ExitCode.OK, r.code(), r.toString());
        assertTrue(r.out().startsWith("keiryo "), r.out());
        assertTrue(r.out().contains("DL4J"), r.out());
    }

    @Test
    void help() {
        Result r = keiryo("--help");
        assertEquals(ExitCode.OK, r.code(), r.toString());
        assertTrue(
                r.out().contains("train") && r.out().contains("eval") && r.out().contains("inspect"), r.out());
    }

    // ---------------------------------------------------------------- helpers

    private static Path trainedModel() throws IOException {
        assertEquals(ExitCode.OK, trained.code(), trained.toString());
        List<String> lines = trained.outLines();
        return Path.of(
                JSON.readTree(lines.get(lines.size() - 1)).get("modelFile").asText());
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    /** A valid MNIST-style folder of tiny 4x4 images, raw (not gzipped): 10 training and 10 test examples. */
    private Path idxFolder() throws IOException {
        Path data = Files.createDirectories(dir.resolve("idx"));
        Files.write(data.resolve("train-images-idx3-ubyte"), images(10));
        Files.write(data.resolve("train-labels-idx1-ubyte"), labels(10, -1, 0));
        Files.write(data.resolve("t10k-images-idx3-ubyte"), images(10));
        Files.write(data.resolve("t10k-labels-idx1-ubyte"), labels(10, -1, 0));
        return data;
    }

    private static byte[] images(int n) {
        ByteBuffer b = ByteBuffer.allocate(16 + n * 16);
        b.putInt(0x00000803).putInt(n).putInt(4).putInt(4);
        for (int i = 0; i < n * 16; i++) {
            b.put((byte) (i * 7));
        }
        return b.array();
    }

    /** n labels i % 10, except label {@code badValue} at {@code badIndex} (none when badIndex is -1). */
    private static byte[] labels(int n, int badIndex, int badValue) {
        ByteBuffer b = ByteBuffer.allocate(8 + n);
        b.putInt(0x00000801).putInt(n);
        for (int i = 0; i < n; i++) {
            b.put((byte) (i == badIndex ? badValue : i % 10));
        }
        return b.array();
    }

    private static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    // ---------------------------------------------------------------- prune

    private Result prune(String... args) throws IOException {
        String[] all = new String[args.length + 4];
        all[0] = "prune";
        all[1] = trainedModel().toString();
        System.arraycopy(args, 0, all, 2, args.length);
        all[all.length - 2] = "--runs";
        all[all.length - 1] = runs().toString();
        return keiryo(all);
    }

    @Test
    void pruneRejectsBadSettingsWithOneSentence() throws IOException {
        assertBadInput(
                prune("--mode", "unit", "--fraction", "1.0", "--limit-train", "300"),
                "prune.fraction must be >= 0 and < 1 (was 1.0)");
        assertBadInput(prune("--mode", "connection", "--sparsity", "-0.1"), "prune.sparsity must be");
        assertBadInput(prune("--mode", "pixels", "--sparsity", "0.5"), "prune.mode must be one of connection, unit");
        assertBadInput(
                prune("--mode", "connection", "--sparsity", "0.5", "--exclude", "conv9", "--limit-train", "300"),
                "conv9",
                "dense1");
        assertBadInput(prune("--mode", "unit", "--layers", "dense1=0.9999", "--limit-train", "300"), "dense1");
    }

    @Test
    void pruneMakesASparseVariantAndPrintsTheVariantTable() throws IOException {
        Result r = prune("--mode", "connection", "--sparsity", "0.8", "--limit-train", "300");
        assertEquals(ExitCode.OK, r.code(), r.toString());
        assertTrue(r.out().contains("prune-connection"), r.out());
        String v1 = r.outLines().stream()
                .filter(l -> l.startsWith("v1 "))
                .findFirst()
                .orElseThrow();
        // 80% of the weights; biases are not pruned, so slightly under 80% of all parameters
        assertTrue(v1.matches(".* 79\\.[5-9]% .*") && v1.endsWith("sparse"), v1);
    }
}
