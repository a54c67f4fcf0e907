package dev.keiryo.engine.model;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.train.TrainSettings;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ModelIOTest {
    @TempDir
    Path dir;

    private KeiryoModel model() {
        InputShape in = new InputShape(1, 28, 28);
        ComputationGraph net =
                ModelFactory.build(Architecture.of(ArchitecturePreset.LENET5), in, 10, TrainSettings.defaults());
        return new KeiryoModel(
                net,
                new ModelMeta(
                        ModelMeta.FORMAT_VERSION, "lenet5", in, true, 10, List.of("a", "b"), Normalizer.scale(255f)));
    }

    @Test
    void roundTripKeepsOutputsAndMetadata() throws Exception {
        KeiryoModel m = model();
        Path f = dir.resolve("m.zip");
        ModelIO.save(m, f, false, false);
        KeiryoModel back = ModelIO.load(f);
        INDArray x = Nd4j.rand(4, 1, 28, 28);
        assertEquals(m.net().outputSingle(x), back.net().outputSingle(x));
        assertEquals(m.meta().input(), back.meta().input());
        assertEquals(255f, back.meta().normalization().divisor());
        assertEquals(List.of("a", "b"), back.meta().classNames());
    }

    @Test
    void neverOverwritesAnExistingFileUnlessAsked() throws Exception {
        Path f = dir.resolve("m.zip");
        Files.writeString(f, "earlier result");
        assertThrows(FileAlreadyExistsException.class, () -> ModelIO.save(model(), f, false, false));
        assertEquals("earlier result", Files.readString(f));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temp file left behind");
        }
    }

    @Test
    void missingDamagedAndForeignFilesGiveOneClearSentence() throws Exception {
        KeiryoException missing = assertThrows(KeiryoException.class, () -> ModelIO.load(dir.resolve("nope.zip")));
        assertTrue(missing.getMessage().contains("nope.zip")
                && missing.getMessage().contains("does not exist"));

        Path junk = dir.resolve("junk.zip");
        Files.write(junk, new byte[] {1, 2, 3, 4, 5});
        KeiryoException damaged = assertThrows(KeiryoException.class, () -> ModelIO.load(junk));
        assertTrue(damaged.getMessage().contains("junk.zip"), damaged.getMessage());

        Path foreign = dir.resolve("foreign.zip");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(foreign))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("hello.txt"));
            zip.write("hi".getBytes(UTF_8));
        }
        KeiryoException notModel = assertThrows(KeiryoException.class, () -> ModelIO.load(foreign));
        assertTrue(notModel.getMessage().contains("not a DL4J/Keiryo model"), notModel.getMessage());
    }
}
