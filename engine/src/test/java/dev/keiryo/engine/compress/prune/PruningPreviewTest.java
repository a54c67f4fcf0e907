package dev.keiryo.engine.compress.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.compress.ConnectionPruneSpec;
import dev.keiryo.engine.api.compress.UnitCriterion;
import dev.keiryo.engine.compress.pack.PackOptions;
import dev.keiryo.engine.compress.pack.PackWriter;
import dev.keiryo.engine.compress.prune.connection.ConnectionPruning;
import dev.keiryo.engine.compress.prune.unit.UnitPruneSpec;
import dev.keiryo.engine.compress.prune.unit.UnitPruning;
import dev.keiryo.engine.data.DataBundle;
import dev.keiryo.engine.data.DataSources;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.model.ModelMeta;
import dev.keiryo.engine.model.PresetParameters;
import dev.keiryo.engine.preview.PreviewSubset;
import dev.keiryo.engine.train.TrainSettings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class PruningPreviewTest {
    private static DataBundle data;
    private static KeiryoModel model;

    @BeforeAll
    static void setUp() {
        data = DataSources.sample();
        InputShape in = new InputShape(1, 28, 28);
        ComputationGraph net =
                ModelFactory.build(Architecture.of(ArchitecturePreset.LENET300), in, 10, TrainSettings.defaults());
        model = new KeiryoModel(
                net,
                new ModelMeta(
                        1, "lenet300", in, false, 10, List.of(), Normalizer.fit(Normalizer.Kind.SCALE, data.train())));
    }

    @Test
    void previewMatchesReallyApplyingTheSettingAndLeavesTheModelAlone() {
        INDArray before = model.net().params().dup();
        PreviewSubset subset = new PreviewSubset(data.test(), model.meta(), 500);
        try (PruningPreview preview = new PruningPreview(model, data.test(), 500)) {
            ConnectionPruneSpec spec = ConnectionPruneSpec.global(0.8);
            PreviewResult r = preview.evaluate(PruneRequest.of(spec), () -> false);
            ComputationGraph applied = ConnectionPruning.apply(model.net(), ConnectionPruning.plan(model.net(), spec));
            assertEquals(subset.accuracy(applied, () -> false), r.accuracy(), 1e-12);
            assertEquals(0.8, r.sparsity(), 0.01);
            long real = PackWriter.measure(new KeiryoModel(applied, model.meta()), PackOptions.defaults())
                    .totalBytes();
            assertTrue(
                    r.fileBytes() >= real && r.fileBytes() < real * 1.15, "estimate " + r.fileBytes() + " vs " + real);

            UnitPruneSpec units = UnitPruneSpec.allHidden(0.5, UnitCriterion.L1);
            PreviewResult u = preview.evaluate(PruneRequest.of(units), () -> false);
            ComputationGraph small = UnitPruning.shrink(model.net(), UnitPruning.plan(model.net(), units, null));
            // Silenced units compute the same function up to float rounding: at most a near-tie may flip.
            assertEquals(subset.accuracy(small, () -> false), u.accuracy(), 2.0 / 500);
            assertEquals(small.numParams(), u.parameters());
        }
        assertEquals(before, model.net().params(), "the model itself is never changed");
    }

    @Test
    void unitPreviewOfAResnetShrinksWholeChannelGroups() {
        InputShape in = new InputShape(1, 28, 28);
        ComputationGraph net = ModelFactory.build(
                new Architecture(ArchitecturePreset.RESNET20, 0.25, null, 0.0), in, 10, TrainSettings.defaults());
        KeiryoModel resnet = new KeiryoModel(
                net,
                new ModelMeta(
                        1, "resnet20", in, true, 10, List.of(), Normalizer.fit(Normalizer.Kind.SCALE, data.train())));
        PreviewSubset subset = new PreviewSubset(data.test(), resnet.meta(), 200);
        try (PruningPreview preview = new PruningPreview(resnet, data.test(), 200)) {
            for (double f : new double[] {0.5, 0.25}) {
                UnitPruneSpec units = UnitPruneSpec.allHidden(f, UnitCriterion.L2);
                PreviewResult u = preview.evaluate(PruneRequest.of(units), () -> false);
                ComputationGraph small = UnitPruning.shrink(net, UnitPruning.plan(net, units, null));
                assertEquals(small.numParams(), u.parameters());
                assertEquals(subset.accuracy(small, () -> false), u.accuracy(), 1e-12);
            }
            int[] half = {2, 4, 8};
            assertEquals(
                    PresetParameters.resnet20(half, half, 1, 10),
                    preview.evaluate(PruneRequest.of(UnitPruneSpec.allHidden(0.5, UnitCriterion.L2)), () -> false)
                            .parameters());
        }
    }

    @Test
    void aSupersededRequestReturnsNothing() {
        try (PruningPreview preview = new PruningPreview(model, data.test(), 500)) {
            assertNull(preview.evaluate(PruneRequest.of(ConnectionPruneSpec.global(0.5)), () -> true));
        }
    }

    @Test
    void whileTheSliderMovesOnlyTheNewestSettingIsDelivered() throws Exception {
        List<Double> delivered = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch last = new CountDownLatch(1);
        try (PruningPreview preview = new PruningPreview(model, data.test(), 1000)) {
            for (int i = 1; i <= 20; i++) {
                double s = i / 21.0;
                preview.submit(
                        PruneRequest.of(ConnectionPruneSpec.global(s)),
                        r -> {
                            delivered.add(r.request().connection().sparsity());
                            if (r.request().connection().sparsity() == 20 / 21.0) {
                                last.countDown();
                            }
                        },
                        Throwable::printStackTrace);
            }
            assertTrue(last.await(60, TimeUnit.SECONDS), "the newest request is always answered");
        }
        assertTrue(delivered.size() < 20, "superseded requests are skipped: " + delivered);
        assertEquals(20 / 21.0, delivered.get(delivered.size() - 1), 1e-12);
    }
}
