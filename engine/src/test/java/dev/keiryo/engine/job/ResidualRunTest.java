package dev.keiryo.engine.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.experiment.DataSpec;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ModelSpec;
import dev.keiryo.engine.api.experiment.PruneMode;
import dev.keiryo.engine.api.experiment.PruneStepSpec;
import dev.keiryo.engine.api.experiment.QuantizeStepSpec;
import dev.keiryo.engine.api.experiment.SensitivitySpec;
import dev.keiryo.engine.api.experiment.StepSpec;
import dev.keiryo.engine.api.run.RunResult;
import dev.keiryo.engine.api.run.TrainOutcome;
import dev.keiryo.engine.api.run.Variant;
import dev.keiryo.engine.compress.pack.PackReader;
import dev.keiryo.engine.experiment.RunStore;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.Layers;
import dev.keiryo.engine.model.PresetParameters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Whole runs of graph presets: train, store, prune connections or units, quantize, read the files back. */
class ResidualRunTest {
    @TempDir
    Path runs;

    private static Experiment thinResnet() {
        Experiment e = TrainJobTest.quick("resnet20", ModelSpec.Preset.RESNET20, 1);
        return e.withModel(e.model().withWidth(0.25));
    }

    @Test
    void resnet20TrainsPrunesAndQuantizesIntoPackedVariants() {
        Experiment exp = thinResnet()
                .withSteps(List.of(
                        StepSpec.of(PruneStepSpec.connection(0.5, 0)),
                        StepSpec.of(new QuantizeStepSpec("affine", 8, true, true, true, false, "v0"))));
        RunResult r = new TrainJob(new RunStore(runs), null, null).run(exp);
        assertEquals(TrainOutcome.COMPLETED, r.training().outcome());
        List<Variant> v = r.variants();
        assertEquals(3, v.size());
        KeiryoModel pruned = PackReader.read(r.runDir().resolve(v.get(1).modelFile()));
        assertTrue(Layers.names(pruned.net()).contains("s3b3.conv2.bn"), "pruning keeps the batch norms");
        KeiryoModel quantized = PackReader.read(r.runDir().resolve(v.get(2).modelFile()));
        assertTrue(
                Layers.names(quantized.net()).stream().noneMatch(n -> n.endsWith(".bn")),
                "the quantized variant has its batch norms folded");
        assertTrue(v.get(2).metrics().fileBytes() < v.get(0).metrics().fileBytes() / 3);
        assertEquals(v.get(0).metrics().accuracy(), v.get(2).metrics().accuracy(), 0.05);
    }

    /** Colour 32x32 images (the bundled shapes) with both graph presets, augmentation on. */
    @ParameterizedTest
    @EnumSource(
            value = ModelSpec.Preset.class,
            names = {"RESNET20", "VGG_SMALL"})
    void graphPresetsTrainOnColourImages(ModelSpec.Preset preset) {
        Experiment d = Experiment.defaults();
        Experiment exp = d.withName(preset.id())
                .withSeed(3)
                .withData(d.data()
                        .withSource(DataSpec.Source.IMAGES)
                        .withPath(
                                Path.of("..", "assets", "data", "shapes-sample").toString()))
                .withModel(d.model().withPreset(preset).withWidth(0.25))
                .withTrain(d.train().withEpochs(1).withBatchSize(16))
                .withEval(d.eval().withLatency(false));
        RunResult r = new TrainJob(new RunStore(runs), null, null).run(exp);
        assertEquals(TrainOutcome.COMPLETED, r.training().outcome());
        KeiryoModel m = PackReader.read(r.runDir().resolve(r.variants().get(0).modelFile()));
        assertEquals(3, m.meta().input().channels());
        assertEquals(4, m.meta().numClasses());
    }

    /**
     * Half of every channel group of a thin ResNet-20 (three residual streams, nine free
     * convolutions) and of a VGG-small, in a whole run: the variant is really smaller, by exactly
     * the parameters of the kept channels, fine-tunes an epoch, its file reloads to that network,
     * and the unit sensitivity lists the groups.
     */
    @ParameterizedTest
    @EnumSource(
            value = ModelSpec.Preset.class,
            names = {"RESNET20", "VGG_SMALL"})
    void unitPruningHalvesEveryGroupOfAGraphPreset(ModelSpec.Preset preset) throws Exception {
        Experiment e = TrainJobTest.quick(preset.id(), preset, 1);
        boolean resnet = preset == ModelSpec.Preset.RESNET20;
        Experiment exp = e.withModel(e.model().withWidth(0.25))
                .withData(e.data().withLimitTrain(256))
                .withSteps(List.of(
                        StepSpec.of(new PruneStepSpec(
                                PruneMode.UNIT,
                                "global",
                                null,
                                null,
                                0.5,
                                Map.of(),
                                List.of(),
                                "l1",
                                "oneshot",
                                5,
                                1,
                                null,
                                null)),
                        StepSpec.of(new SensitivitySpec(PruneMode.UNIT, List.of(0.5), List.of(), "l1"))));
        RunResult r = new TrainJob(new RunStore(runs), null, null).run(exp);
        assertEquals(TrainOutcome.COMPLETED, r.training().outcome());
        Variant trained = r.variants().get(0);
        Variant small = r.variants().get(1);
        assertEquals("prune-unit", small.step());
        // width 0.25: ResNet-20 streams of 4, 8, 16 channels, VGG-small stages of 8, 16, 32; one input channel
        int[] widths = resnet ? new int[] {4, 8, 16} : new int[] {8, 16, 32};
        int[] halves = {widths[0] / 2, widths[1] / 2, widths[2] / 2};
        long before =
                resnet ? PresetParameters.resnet20(widths, widths, 1, 10) : PresetParameters.vggSmall(widths, 1, 10);
        long after =
                resnet ? PresetParameters.resnet20(halves, halves, 1, 10) : PresetParameters.vggSmall(halves, 1, 10);
        assertEquals(before, trained.metrics().parameters(), "the formula fits the unpruned network");
        assertEquals(after, small.metrics().parameters());
        // half the channels on both sides of nearly every convolution: about a quarter of the work
        assertTrue(
                small.metrics().flopsPerSample() < 0.3 * trained.metrics().flopsPerSample(),
                small.metrics().flopsPerSample() + " of " + trained.metrics().flopsPerSample() + " FLOPs");
        KeiryoModel back = PackReader.read(r.runDir().resolve(small.modelFile()));
        assertEquals(after, back.net().numParams());
        String first = resnet ? "stem" : "s1.conv1";
        assertEquals(halves[0], back.net().getLayer(first).getParam("W").size(0));

        List<String> curves = Files.readAllLines(r.runDir().resolve("sensitivity-unit.csv")).stream()
                .skip(1)
                .map(l -> l.substring(0, l.indexOf(',')))
                .toList();
        // each group once, named by its first layer: ResNet-20 has 3 residual streams and 9 free convolutions
        assertEquals(resnet ? 12 : 6, curves.size(), String.join("\n", curves));
        assertTrue(curves.contains(first), curves.toString());
        if (resnet) {
            assertTrue(curves.containsAll(List.of("s1b1.conv1", "s2b1.conv1", "s3b3.conv1")), curves.toString());
            assertFalse(curves.contains("s1b1.conv2"), "a stream's other layers are in the stem's group");
        }
    }
}
