package dev.keiryo.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.compress.ConnectionPruneSpec;
import dev.keiryo.engine.api.compress.PrunePreviewResult;
import dev.keiryo.engine.api.compress.PrunePreviewer;
import dev.keiryo.engine.api.compress.PruneSetting;
import dev.keiryo.engine.api.compress.QuantPreviewResult;
import dev.keiryo.engine.api.compress.QuantPreviewer;
import dev.keiryo.engine.api.compress.SensitivityPoint;
import dev.keiryo.engine.api.compress.UnitCriterion;
import dev.keiryo.engine.api.engine.DataShape;
import dev.keiryo.engine.api.engine.Engine;
import dev.keiryo.engine.api.engine.ModelInspection;
import dev.keiryo.engine.api.engine.Session;
import dev.keiryo.engine.api.experiment.DataSpec;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ModelSpec;
import dev.keiryo.engine.api.experiment.QuantizeStepSpec;
import dev.keiryo.engine.api.model.LayerStats;
import dev.keiryo.engine.api.run.RunInfo;
import dev.keiryo.engine.api.run.RunState;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.model.ModelIO;
import dev.keiryo.engine.train.TrainSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A session through the API alone: what the workbench asks of a trained model, answered in API types. */
class EngineSessionTest {
    @TempDir
    static Path runs;

    private static Session session;

    @BeforeAll
    static void train() {
        Experiment d = Experiment.defaults();
        Experiment quick = d.withName("api-session")
                .withSeed(7)
                .withData(d.data().withSource(DataSpec.Source.SAMPLE).withLimitTrain(600))
                .withModel(d.model().withPreset(ModelSpec.Preset.LENET300))
                .withTrain(d.train().withEpochs(1).withBatchSize(64))
                .withEval(d.eval().withLatency(false));
        session = Engine.local().start(runs, quick, null, null);
    }

    @Test
    void theSessionsRunIsListedWithItsMetricsAndItsData() {
        assertTrue(session.open());
        assertEquals(List.of("v0"), session.variants().stream().map(v -> v.id()).toList());
        List<RunInfo> listed = Engine.local().listRuns(runs);
        assertEquals(1, listed.size());
        assertEquals(session.runDir(), listed.get(0).dir());
        assertEquals(RunState.COMPLETED, listed.get(0).state());
        assertTrue(
                Engine.local().metrics(session.runDir()).stream()
                        .anyMatch(r -> r.name().equals("samples_per_second") && r.value() > 0),
                "the epoch's speed is logged");

        DataShape data = session.data();
        assertEquals(List.of(1, 28, 28), List.of(data.channels(), data.height(), data.width()));
        assertEquals(10, data.classes());
        assertEquals("T-shirt/top", data.classNames().get(0));
        assertEquals(60, data.choiceExamples(), "the validation tenth of 600 training examples");

        ModelInspection v0 = session.inspect("v0");
        assertEquals("lenet300", v0.preset());
        assertEquals(
                784 * 300 + 300 + 300 * 100 + 100 + 100 * 10 + 10, v0.stats().parameters());
    }

    @Test
    void prunePreviewsMeasureTheSettingOnTheChoiceExamplesWithoutChangingTheVariant() throws Exception {
        long parameters = session.inspect("v0").stats().parameters();
        try (PrunePreviewer p = session.prunePreviewer("v0", 1000)) {
            PrunePreviewResult half = p.preview(PruneSetting.of(ConnectionPruneSpec.global(0.5)));
            assertEquals(60, half.examples(), "at most the choice examples there are");
            assertEquals(parameters, half.parameters());
            long weights = 784 * 300 + 300 * 100 + 100 * 10;
            assertNear(parameters - weights / 2, half.nonZeros(), 1, "half of the weights, no bias");
            assertTrue(half.accuracy() > 0.3 && half.accuracy() <= 1, "accuracy " + half.accuracy());

            double cut = p.cutoff(0.5);
            assertTrue(cut > 0 && cut < p.largestMagnitude(), cut + " within (0, " + p.largestMagnitude() + ")");
            PrunePreviewResult below = p.preview(PruneSetting.of(ConnectionPruneSpec.belowThreshold(cut)));
            assertNear(half.nonZeros(), below.nonZeros(), 10, "the global cut-off of 50% removes the same weights");

            PrunePreviewResult units = p.preview(PruneSetting.units(0.5, UnitCriterion.L1));
            assertEquals(784 * 150 + 150 + 150 * 50 + 50 + 50 * 10 + 10, units.parameters(), "half the units removed");
            assertEquals(units.parameters(), units.nonZeros(), "a shrunk network is dense");

            CompletableFuture<PrunePreviewResult> later = new CompletableFuture<>();
            p.submit(PruneSetting.of(ConnectionPruneSpec.global(0.5)), later::complete, later::completeExceptionally);
            assertEquals(half.nonZeros(), later.get(60, TimeUnit.SECONDS).nonZeros());

            assertEquals(weights, p.histogram(40).total(), "every weight is in the histogram");
            Map<String, List<SensitivityPoint>> curves = p.connectionSensitivity(List.of(0.5, 0.9), null);
            assertEquals(3, curves.size(), curves.keySet().toString());
            for (List<SensitivityPoint> c : curves.values()) {
                assertEquals(
                        List.of(0.5, 0.9),
                        c.stream().map(SensitivityPoint::level).toList());
                assertTrue(c.get(1).nonZeros() < c.get(0).nonZeros(), c.toString());
            }
            assertEquals(
                    2, p.unitSensitivity(List.of(0.5), UnitCriterion.L1, null).size(), "two hidden layers");
        }
        assertNear(parameters, session.inspect("v0").stats().nonZeros(), 50, "the previews left the variant unpruned");
    }

    @Test
    void quantPreviewsGiveTheFileSizeOfEachBitWidth() {
        try (QuantPreviewer q = session.quantPreviewer("v0", 1000)) {
            QuantPreviewResult eight = q.preview(new QuantizeStepSpec("affine", 8, true, true, true, false, "v0"));
            QuantPreviewResult four = q.preview(new QuantizeStepSpec("affine", 4, true, true, true, false, "v0"));
            assertEquals(60, eight.examples());
            assertTrue(eight.ratio() > 3.5 && eight.ratio() < 4.1, "8 bits instead of 32: " + eight.ratio());
            assertTrue(four.fileBytes() < eight.fileBytes(), four + " vs " + eight);
            assertThrows(
                    KeiryoException.class,
                    () -> q.submit(new QuantizeStepSpec("affine", 0, true, true, true, false, "v0"), r -> {}, e -> {}));
        }
    }

    @Test
    void aTeachersHiddenLayersAndAStudentsSizeComeFromInspections(@TempDir Path dir) throws Exception {
        List<LayerStats> layers = session.inspect("v0").stats().layers();
        assertEquals(
                List.of(235_500L, 30_100L, 1_010L),
                layers.stream().map(LayerStats::parameters).toList());
        ModelInspection student = Engine.local()
                .inspectPreset(
                        ModelSpec.defaults()
                                .withPreset(ModelSpec.Preset.LENET300)
                                .withWidth(0.5),
                        1,
                        28,
                        28,
                        10);
        assertEquals("lenet300", student.preset());
        assertEquals(
                784 * 150 + 150 + 150 * 50 + 50 + 50 * 10 + 10, student.stats().parameters());

        Path bare = dir.resolve("bare.zip");
        ModelIO.save(
                new KeiryoModel(
                        ModelFactory.build(
                                Architecture.of(ArchitecturePreset.LENET300),
                                new InputShape(1, 28, 28),
                                10,
                                TrainSettings.defaults()),
                        null),
                bare,
                false,
                true);
        KeiryoException e =
                assertThrows(KeiryoException.class, () -> Engine.local().inspectFile(bare));
        assertTrue(
                e.getMessage().contains("bare.zip") && e.getMessage().contains("no Keiryo metadata"), e.getMessage());
    }

    private static void assertNear(long expected, long actual, long tolerance, String what) {
        assertTrue(Math.abs(expected - actual) <= tolerance, what + ": " + actual + ", expected " + expected);
    }
}
