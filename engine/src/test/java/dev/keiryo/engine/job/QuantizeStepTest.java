package dev.keiryo.engine.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ModelSpec;
import dev.keiryo.engine.api.experiment.PruneStepSpec;
import dev.keiryo.engine.api.experiment.QuantSweepSpec;
import dev.keiryo.engine.api.experiment.QuantizeStepSpec;
import dev.keiryo.engine.api.experiment.StepSpec;
import dev.keiryo.engine.api.run.RunResult;
import dev.keiryo.engine.api.run.Variant;
import dev.keiryo.engine.compress.pack.PackReader;
import dev.keiryo.engine.experiment.RunStore;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.variant.VariantStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Quantize steps make variants whose files really are smaller and decode to the measured model. */
class QuantizeStepTest {
    @TempDir
    Path runs;

    @Test
    void eightBitAndPrunedCodebookVariants() throws Exception {
        PruneStepSpec prune = PruneStepSpec.connection(0.9, 0);
        Experiment exp = TrainJobTest.quick("quantize", ModelSpec.Preset.LENET300, 1)
                .withSteps(List.of(
                        StepSpec.of(new QuantizeStepSpec("affine", 8, true, true, true, false, null)),
                        StepSpec.of(prune),
                        StepSpec.of(new QuantizeStepSpec("codebook", 5, true, true, true, true, null))));
        RunResult r = new TrainJob(new RunStore(runs), null, null).run(exp);
        List<Variant> v = r.variants();
        assertEquals(4, v.size());
        Variant q8 = v.get(1);
        assertEquals("quantize", q8.step());
        assertEquals("v0", q8.parent());
        assertEquals(8.0, q8.metrics().bits());
        assertEquals("quantized", q8.metrics().fileEncoding());
        double ratio8 = (double) v.get(0).metrics().fileBytes() / q8.metrics().fileBytes();
        assertTrue(ratio8 > 3.5 && ratio8 < 4.1, "8-bit codes are about 4x smaller than float32: " + ratio8);
        assertEquals(v.get(0).metrics().accuracy(), q8.metrics().accuracy(), 0.02, "8 bits cost little accuracy");

        Variant dc = v.get(3);
        assertEquals("v2", dc.parent(), "the codebook step quantizes the pruned variant");
        assertTrue(
                dc.metrics().compressionVsFloat32() > 25,
                "prune + 5-bit codebook + Huffman: " + dc.metrics().compressionVsFloat32());
        assertEquals(
                Files.size(r.runDir().resolve(dc.modelFile())), dc.metrics().fileBytes());

        KeiryoModel back = PackReader.read(r.runDir().resolve(q8.modelFile()));
        INDArray x = Nd4j.rand(4, 784);
        KeiryoModel again = PackReader.read(r.runDir().resolve(q8.modelFile()));
        assertEquals(back.net().outputSingle(x), again.net().outputSingle(x));
    }

    /**
     * Binary, ternary and half ignore the bits setting: the lineage and the metrics record the bits
     * each stored weight takes in the packed file (1-bit signs, 2-bit ternary codes, 16-bit halves),
     * not the setting's default of 8.
     */
    @Test
    void binaryTernaryAndHalfRecordTheBitsTheirFilesStore() throws Exception {
        Experiment exp = TrainJobTest.quick("bits", ModelSpec.Preset.LENET300, 1)
                .withSteps(List.of(
                        StepSpec.of(new QuantizeStepSpec("binary", 8, true, true, true, false, "v0")),
                        StepSpec.of(new QuantizeStepSpec("ternary", 8, true, true, true, false, "v0")),
                        StepSpec.of(new QuantizeStepSpec("half", 8, true, true, true, false, "v0"))));
        RunResult r = new TrainJob(new RunStore(runs), null, null).run(exp);
        List<Variant> onDisk = VariantStore.read(new RunStore(runs).open(r.runDir()));
        Map<String, Integer> expected = Map.of("binary", 1, "ternary", 2, "half", 16);
        for (Variant v : onDisk.subList(1, 4)) {
            int bits = expected.get((String) v.params().get("mode"));
            assertEquals(bits, v.params().get("bits"), v.id() + " lineage");
            assertEquals(bits, v.metrics().bits(), v.id() + " metrics");
        }
        double weights = onDisk.get(0).metrics().fileBytes();
        for (Variant v : onDisk.subList(1, 4)) {
            double ratio = weights / v.metrics().fileBytes();
            double perWeight = 32.0 / ((Number) v.params().get("bits")).doubleValue();
            assertTrue(
                    ratio > perWeight * 0.7 && ratio <= perWeight * 1.05,
                    v.params().get("mode") + ": the file shrinks by about 32 / bits, was " + ratio);
        }
    }

    @Test
    void quantizationAwareTrainingBeatsPostTrainingAtTwoBits() throws Exception {
        Experiment exp = TrainJobTest.quick("qat", ModelSpec.Preset.LENET300, 1)
                .withSteps(List.of(
                        StepSpec.of(new QuantizeStepSpec("affine", 2, true, true, true, false, null)),
                        StepSpec.of(new QuantizeStepSpec("affine", 2, true, true, true, false, 1, null, "v0"))));
        RunResult r = new TrainJob(new RunStore(runs), null, null).run(exp);
        Variant ptq = r.variants().get(1);
        Variant qat = r.variants().get(2);
        assertEquals("qat", qat.step());
        assertEquals("v0", qat.parent());
        assertEquals(
                (float) ptq.metrics().fileBytes(),
                (float) qat.metrics().fileBytes(),
                64,
                "the same codes, so about the same file");
        assertTrue(
                qat.metrics().accuracy() > ptq.metrics().accuracy(),
                "QAT " + qat.metrics().accuracy() + " vs PTQ " + ptq.metrics().accuracy());
        KeiryoModel back = PackReader.read(r.runDir().resolve(qat.modelFile()));
        assertTrue(
                !dev.keiryo.engine.compress.quant.Qat.attached(back.net()),
                "the stored variant carries no training hook");
    }

    @Test
    void theSweepMakesAVariantPerPointAndACurve() throws Exception {
        QuantSweepSpec sweep =
                new QuantSweepSpec(List.of(1, 2, 8), List.of("perChannel", "perTensor"), 0, null, true, 60, null);
        Experiment exp =
                TrainJobTest.quick("sweep", ModelSpec.Preset.LENET300, 1).withSteps(List.of(StepSpec.of(sweep)));
        RunResult r = new TrainJob(new RunStore(runs), null, null).run(exp);
        assertEquals(1 + 6, r.variants().size());
        List<String> rows = Files.readAllLines(r.runDir().resolve("quant-sweep.csv"));
        assertEquals(1 + 6 + 4, rows.size(), String.join("\n", rows));
        assertTrue(rows.get(1).startsWith("PTQ,perChannel,1,binary,"), rows.get(1));
        assertTrue(rows.stream().anyMatch(l -> l.startsWith("format,-,16,half,")));
        assertTrue(rows.stream().anyMatch(l -> l.startsWith("format,-,16,bfloat16,")));
        double eightBit = r.variants().get(3).metrics().accuracy();
        assertEquals(r.variants().get(0).metrics().accuracy(), eightBit, 0.02, "8 bits per channel cost little");
        assertTrue(
                r.variants().get(3).metrics().fileBytes()
                        > r.variants().get(2).metrics().fileBytes(),
                "8-bit > 2-bit files");
        assertTrue(Files.size(r.runDir().resolve("quant-sweep.png")) > 10_000);
    }
}
