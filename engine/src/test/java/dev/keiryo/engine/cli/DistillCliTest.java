package dev.keiryo.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keiryo distill}: a quick comparison end to end, and every bad setting as one sentence with exit 2 and no run folder. */
class DistillCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    private static Path teacher;

    @BeforeAll
    static void trainTeacher() throws IOException {
        Path runs = shared.resolve("teacher-runs");
        CliTest.Result r = CliTest.keiryo(
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
                runs.toString());
        assertEquals(ExitCode.OK, r.code(), r.toString());
        try (Stream<Path> s = Files.list(runs)) {
            teacher = s.findFirst().orElseThrow().resolve("models").resolve("model.zip");
        }
    }

    private CliTest.Result distill(String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "distill";
        all[1] = teacher.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        all[all.length - 2] = "--runs";
        all[all.length - 1] = dir.resolve("runs").toString();
        return CliTest.keiryo(all);
    }

    @Test
    void compareWithHintsWritesVariantsAndTheSummary() throws IOException {
        CliTest.Result r = distill(
                "--source",
                "sample",
                "--limit-train",
                "300",
                "--width",
                "0.25",
                "--epochs",
                "1",
                "--compare",
                "--seeds",
                "1",
                "--hint-layer",
                "dense1",
                "--guided-layer",
                "dense1",
                "--json");
        assertEquals(ExitCode.OK, r.code(), r.toString());
        List<String> lines = r.outLines();
        JsonNode result = JSON.readTree(lines.get(lines.size() - 1));
        assertEquals("result", result.get("event").asText());
        JsonNode variants = result.get("variants");
        assertEquals(4, variants.size(), "the teacher, then scratch, kd and hints+kd");
        assertEquals("distill-hints+kd", variants.get(3).get("step").asText());
        assertEquals("v0", variants.get(3).get("parent").asText());
        assertTrue(r.out().contains("\"text\":\"distill: teacher v0 (266,610 parameters"), "the ratio is announced");
        Path run = Path.of(result.get("run").asText());
        List<String> summary = Files.readAllLines(run.resolve("distill-summary.csv"));
        assertEquals(4, summary.size(), String.join("\n", summary));
        assertTrue(Files.isRegularFile(run.resolve("distill-curves.png")));
        assertTrue(Files.readString(run.resolve("experiment.yaml")).contains("distill:"), "the run records the step");
    }

    @Test
    void anImportedTeacherWithoutStudentGetsThePresetThatFitsItsData() throws Exception {
        StringBuilder b = new StringBuilder();
        for (int j = 0; j < 20; j++) {
            b.append('f').append(j).append(',');
        }
        b.append("label\n");
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 80; i++) {
            for (int j = 0; j < 20; j++) {
                b.append(String.format(java.util.Locale.ROOT, "%.3f,", random.nextGaussian()));
            }
            b.append("class").append(i % 10).append('\n');
        }
        Path csv = Files.writeString(dir.resolve("twenty.csv"), b);
        Path mlp = Path.of(DistillCliTest.class.getResource("/onnx/mlp.onnx").toURI());
        Path importRuns = dir.resolve("imports");
        CliTest.Result imported = CliTest.keiryo(
                "import",
                mlp.toString(),
                "--source",
                "csv",
                "--data",
                csv.toString(),
                "--normalization",
                "none",
                "--no-latency",
                "--json",
                "--runs",
                importRuns.toString());
        assertEquals(ExitCode.OK, imported.code(), imported.toString());
        Path teacherFile = Path.of(
                JSON.readTree(imported.outLines().get(imported.outLines().size() - 1))
                        .get("modelFile")
                        .asText());

        CliTest.Result r = CliTest.keiryo(
                "distill",
                teacherFile.toString(),
                "--source",
                "csv",
                "--data",
                csv.toString(),
                "--epochs",
                "1",
                "--json",
                "--runs",
                dir.resolve("runs").toString());
        assertEquals(ExitCode.OK, r.code(), r.toString());
        assertTrue(r.out().contains("-> student mlp x0.5"), "an imported tabular teacher gets the MLP: " + r.out());
    }

    @Test
    void badSettingsAreOneSentenceAndWriteNothing() throws IOException {
        assertBad(distill("--temperature", "0"), "distill.temperature must be > 0 (was 0.0)");
        assertBad(distill("--alpha", "1.5"), "distill.alpha must be ");
        assertBad(distill("--hint-layer", "dense1"), "--hint-layer needs --guided-layer");
        assertBad(
                distill("--width", "0.25", "--hint-layer", "conv9", "--guided-layer", "dense1"),
                "hint layer 'conv9' is not a hidden layer of the teacher; choose one of [dense1, dense2]");
        Path csv = dir.resolve("three.csv");
        Files.writeString(csv, "a,b,label\n1,2,0\n3,4,1\n5,6,2\n7,8,0\n9,1,1\n");
        assertBad(distill("--source", "csv", "--data", csv.toString()), "predicts 10 classes but the data has 3");
        CliTest.Result missing = CliTest.keiryo(
                "distill",
                dir.resolve("none.zip").toString(),
                "--runs",
                dir.resolve("runs").toString());
        assertBad(missing, "does not exist");
    }

    private void assertBad(CliTest.Result r, String fragment) throws IOException {
        assertEquals(ExitCode.BAD_INPUT, r.code(), r.toString());
        List<String> err = r.err().lines().toList();
        assertEquals(1, err.size(), r.toString());
        assertTrue(
                err.get(0).startsWith("keiryo: ") && err.get(0).contains(fragment),
                "'" + fragment + "' missing from: " + err.get(0));
        assertFalse(r.err().contains("\tat "), r.err());
        Path runs = dir.resolve("runs");
        if (Files.exists(runs)) {
            try (Stream<Path> s = Files.list(runs)) {
                assertEquals(List.of(), s.toList(), "no run folder");
            }
        }
    }
}
