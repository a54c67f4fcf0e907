package dev.keiryo.engine.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.experiment.DataSpec;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ModelSpec;
import dev.keiryo.engine.api.experiment.PruneMode;
import dev.keiryo.engine.api.experiment.PruneStepSpec;
import dev.keiryo.engine.api.experiment.QuantizeStepSpec;
import dev.keiryo.engine.api.experiment.StepSpec;
import dev.keiryo.engine.api.run.RunResult;
import dev.keiryo.engine.api.run.TrainOutcome;
import dev.keiryo.engine.api.run.Variant;
import dev.keiryo.engine.compress.pack.PackReader;
import dev.keiryo.engine.experiment.RunStore;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.Layers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A whole run of a residual graph: train, store, prune connections, quantize, read the files back. */
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

    @Test
    void unitPruningOfAGraphWithBranchesIsRefusedBeforeTheRunStarts() {
        Experiment exp = thinResnet()
                .withSteps(List.of(StepSpec.of(new PruneStepSpec(
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
                        0,
                        null,
                        null))));
        KeiryoException e =
                assertThrows(KeiryoException.class, () -> new TrainJob(new RunStore(runs), null, null).run(exp));
        assertTrue(e.getMessage().contains("one path of layers"), e.getMessage());
    }
}
