package dev.keiryo.engine.compress.pack;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real file sizes for magnitude-pruned LeNet-300-100, beside the DL4J zip of the same network (whose
 * DEFLATE-shrunk size is not a model size). Published as JUnit report entries; with
 * {@code -Dkeiryo.pack.sizes=FILE} also appended to FILE, since Surefire drops report entries.
 */
class PackSizesTest {
    @TempDir
    Path dir;

    private static void publish(TestReporter report, String key, String value) throws Exception {
        report.publishEntry(key, value);
        String out = System.getProperty("keiryo.pack.sizes");
        if (out != null) {
            Files.writeString(
                    Path.of(out),
                    key + ": " + value + System.lineSeparator(),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
    }

    @Test
    void lenet300DenseVersusNinetyPercentPruned(TestReporter report) throws Exception {
        KeiryoModel dense = TestNets.model(ArchitecturePreset.LENET300);
        KeiryoModel pruned = TestNets.magnitudePruned(dense, 0.9);
        long denseFile = write(dense, "dense", EncodingChoice.DENSE, report);
        long autoFile = write(pruned, "pruned90-auto", EncodingChoice.AUTO, report);
        write(pruned, "pruned90-bitmask", EncodingChoice.SPARSE_BITMASK, report);
        write(pruned, "pruned90-relative", EncodingChoice.SPARSE_RELATIVE, report);
        write(pruned, "pruned90-dense", EncodingChoice.DENSE, report);
        Path zip = dir.resolve("pruned90.zip");
        ModelIO.save(pruned, zip, false, false);
        publish(report, "dl4j-zip pruned90", Files.size(zip) + " bytes");
        // The same weights with +0.0 for every pruned one (-0.0 + 0.0 is +0.0): only the zip changes.
        KeiryoModel positive = new KeiryoModel(pruned.net().clone(), pruned.meta());
        positive.net().params().addi(0.0);
        Path positiveZip = dir.resolve("pruned90-positive-zeros.zip");
        ModelIO.save(positive, positiveZip, false, false);
        publish(report, "dl4j-zip pruned90 +0.0", Files.size(positiveZip) + " bytes");
        Path denseZip = dir.resolve("dense.zip");
        ModelIO.save(dense, denseZip, false, false);
        publish(report, "dl4j-zip dense", Files.size(denseZip) + " bytes");
        assertTrue(autoFile < 0.25 * denseFile, autoFile + " vs " + denseFile);
    }

    private long write(KeiryoModel m, String name, EncodingChoice e, TestReporter report) throws Exception {
        Path f = dir.resolve(name + ".kpack");
        PackReport r = PackWriter.write(m, f, PackOptions.defaults().withEncoding(e));
        StringBuilder rows = new StringBuilder();
        for (TensorRow t : r.tensors()) {
            rows.append(String.format(
                    Locale.ROOT,
                    " %s %s %s%s %d B nz=%d;",
                    t.name(),
                    t.shapeText(),
                    t.encoding(),
                    t.detail().isEmpty() ? "" : " (" + t.detail() + ")",
                    t.bytes(),
                    t.nonZeros()));
        }
        publish(
                report,
                "kpack " + name,
                String.format(
                        Locale.ROOT,
                        "%d bytes (config %d, meta %d), %.2fx smaller than" + " float32 (%d bytes);%s",
                        Files.size(f),
                        r.configBytes(),
                        r.metaBytes(),
                        r.ratio(),
                        r.float32Bytes(),
                        rows));
        return Files.size(f);
    }
}
