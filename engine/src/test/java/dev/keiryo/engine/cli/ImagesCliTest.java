package dev.keiryo.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keiryo.engine.data.Cifar;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.data.TestCifar;
import dev.keiryo.engine.experiment.Run;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelIO;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code keiryo train} on colour images: the bundled shapes folder, bad images, a ResNet-20 on CIFAR
 * binary files, CIFAR not found.
 */
class ImagesCliTest {
    private static final Path SHAPES = Path.of("..", "assets", "data", "shapes-sample");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private CliTest.Result train(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("train"));
        all.addAll(List.of(args));
        all.addAll(List.of(
                "--epochs",
                "1",
                "--batch",
                "16",
                "--no-latency",
                "--runs",
                dir.resolve("runs").toString()));
        return CliTest.keiryo(all.toArray(String[]::new));
    }

    private Path onlyRun() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("runs"))) {
            List<Path> runs = s.toList();
            assertEquals(1, runs.size(), runs.toString());
            return runs.get(0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet5", "mlp"})
    void trainsOnTheBundledShapes(String preset) throws Exception {
        CliTest.Result r = train("--source", "images", "--data", SHAPES.toString(), "--model", preset);
        assertEquals(ExitCode.OK, r.code(), r.toString());
        Path run = onlyRun();
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        assertEquals("COMPLETED", summary.get("outcome").asText(), summary.toString());
        assertTrue(
                summary.get("data").asText().contains("64 training and 20 test images of 4 classes"),
                summary.toString());
        String experiment = Files.readString(run.resolve("experiment.yaml"), StandardCharsets.UTF_8);
        assertTrue(experiment.contains("source: \"images\"") || experiment.contains("source: images"), experiment);
        assertTrue(experiment.contains("augment:"), experiment);
        KeiryoModel model = ModelIO.load(run.resolve("models/model.zip"));
        assertEquals(3, model.meta().input().channels());
        assertEquals(32, model.meta().input().height());
        assertEquals(Normalizer.Kind.PER_CHANNEL, model.meta().normalization().kind());
        assertEquals(3, model.meta().normalization().mean().length);
        assertEquals(
                List.of("circle", "cross", "square", "triangle"), model.meta().classNames());

        CliTest.Result eval = CliTest.keiryo(
                "eval",
                run.resolve("models/model.zip").toString(),
                "--source",
                "images",
                "--data",
                SHAPES.toString(),
                "--no-latency",
                "--json");
        assertEquals(ExitCode.OK, eval.code(), eval.toString());
        assertTrue(eval.out().contains("shapes-sample-test"), eval.out());
    }

    @Test
    void aLoadedModelOfAnotherImageSizeIsNamedWithTheFix() throws IOException {
        CliTest.Result first =
                train("--source", "images", "--data", SHAPES.toString(), "--model", "mlp", "--image-size", "16");
        assertEquals(ExitCode.OK, first.code(), first.toString());
        Path model = onlyRun().resolve("models/model.zip");
        CliTest.Result again = CliTest.keiryo(
                "train",
                "--source",
                "images",
                "--data",
                SHAPES.toString(),
                "--load",
                model.toString(),
                "--epochs",
                "0",
                "--runs",
                dir.resolve("runs2").toString());
        assertEquals(ExitCode.BAD_INPUT, again.code(), again.toString());
        assertTrue(again.err().contains("takes 3x16x16 input but the data is 3x32x32"), again.err());
        assertTrue(again.err().contains("(--image-size 16)"), again.err());
    }

    /** A copy of two shapes classes with one zero-byte image. */
    private Path withEmptyImage() throws IOException {
        Path root = dir.resolve("shapes");
        for (String c : List.of("circle", "square")) {
            Path to = Files.createDirectories(root.resolve(c));
            try (Stream<Path> s = Files.list(SHAPES.resolve("train").resolve(c))) {
                for (Path p : s.toList()) {
                    Files.copy(p, to.resolve(p.getFileName()));
                }
            }
        }
        Files.write(root.resolve("square/broken.png"), new byte[0]);
        return root;
    }

    @Test
    void badImageStopsWithOneSentenceOrIsSkippedAndCounted() throws IOException {
        Path root = withEmptyImage();
        Path broken = root.resolve("square/broken.png");
        CliTest.Result bad = train("--source", "images", "--data", root.toString(), "--model", "mlp");
        assertEquals(ExitCode.BAD_INPUT, bad.code(), bad.toString());
        List<String> lines = bad.err().lines().toList();
        assertEquals(1, lines.size(), bad.err());
        assertTrue(lines.get(0).contains(broken + " is empty (0 bytes)"), lines.get(0));
        assertTrue(lines.get(0).contains("--skip-bad-images"), lines.get(0));

        CliTest.Result ok =
                train("--source", "images", "--data", root.toString(), "--model", "mlp", "--skip-bad-images");
        assertEquals(ExitCode.OK, ok.code(), ok.toString());
        JsonNode summary = JSON.readTree(onlyRun().resolve("summary.json").toFile());
        assertTrue(
                summary.get("data").asText().contains("skipped 1 unreadable file (" + broken + ")"),
                summary.toString());
        String experiment = Files.readString(onlyRun().resolve("experiment.yaml"), StandardCharsets.UTF_8);
        assertTrue(experiment.contains("skipBadImages: true"), experiment);
    }

    @Test
    void trainsAThinResNet20OnCifarBinaryFiles() throws Exception {
        Path cifar = TestCifar.folder(dir.resolve("cifar"), Cifar.Kind.CIFAR10, 8);
        CliTest.Result r =
                train("--model", "resnet20", "--width", "0.25", "--source", "cifar10", "--data", cifar.toString());
        assertEquals(ExitCode.OK, r.code(), r.toString());
        Path run = onlyRun();
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        assertEquals("COMPLETED", summary.get("outcome").asText(), summary.toString());
        assertTrue(summary.get("data").asText().contains("40 training and 2 test images, 3x32x32"), summary.toString());
        assertTrue(Files.readString(run.resolve(Run.STATUS_FILE)).contains("completed"));
        assertTrue(Files.isRegularFile(run.resolve("variants/v0.kpack")));
        String experiment = Files.readString(run.resolve("experiment.yaml"), StandardCharsets.UTF_8);
        assertTrue(experiment.contains("resnet20") && experiment.contains("cifar10"), experiment);
        KeiryoModel model = ModelIO.load(run.resolve("models/model.zip"));
        assertEquals("resnet20", model.meta().preset());
        assertEquals(
                List.of(3, 32, 32),
                List.of(
                        model.meta().input().channels(),
                        model.meta().input().height(),
                        model.meta().input().width()));
        assertEquals(10, model.meta().numClasses());
        assertTrue(
                model.net().getConfiguration().getVertices().get("s1b1.add") instanceof ElementWiseVertex,
                "a residual graph");
        assertEquals(4, model.net().getLayer("stem").getParam("W").size(0), "a quarter of 16 filters");
        assertTrue(Files.isRegularFile(run.resolve("metrics.csv")));

        CliTest.Result inspect =
                CliTest.keiryo("inspect", run.resolve("models/model.zip").toString());
        assertEquals(ExitCode.OK, inspect.code(), inspect.toString());
        assertTrue(inspect.out().contains("branches join at 9 vertices:"), inspect.out());
        assertTrue(inspect.out().contains("add(s1b1.conv2.bn, stem.relu)"), inspect.out());
        assertTrue(inspect.out().contains("add(s2b1.conv2.bn, s2b1.proj.bn)"), inspect.out());
        CliTest.Result json = CliTest.keiryo(
                "inspect", "--json", run.resolve("models/model.zip").toString());
        JsonNode vertices = JSON.readTree(json.outLines().get(0)).get("vertices");
        assertEquals(
                model.net().getConfiguration().getVertices().size() + 1, vertices.size(), "every vertex and the input");
    }

    @Test
    void cifarNotFoundSaysWhereToGetIt() {
        Path missing = dir.resolve("no-cifar");
        CliTest.Result r = train("--source", "cifar10", "--data", missing.toString());
        assertEquals(ExitCode.BAD_INPUT, r.code(), r.toString());
        assertTrue(r.err().contains(missing + " (the folder given) does not exist"), r.err());
        assertTrue(r.err().contains("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"), r.err());
        assertFalse(Files.exists(dir.resolve("runs"))
                && dir.resolve("runs").toFile().list().length > 0);
    }
}
