package dev.keiryo.engine.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ModelSpec;
import dev.keiryo.engine.api.experiment.PruneMode;
import dev.keiryo.engine.api.experiment.PruneStepSpec;
import dev.keiryo.engine.api.experiment.PruneTableSpec;
import dev.keiryo.engine.api.experiment.SensitivitySpec;
import dev.keiryo.engine.api.experiment.StepSpec;
import dev.keiryo.engine.api.run.RunResult;
import dev.keiryo.engine.api.run.Variant;
import dev.keiryo.engine.compress.pack.PackReader;
import dev.keiryo.engine.experiment.RunStore;
import dev.keiryo.engine.model.KeiryoModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The prune, pruneTable and sensitivity steps end to end on a small LeNet-300-100. */
class PruneStepsTest {
    @TempDir
    Path runs;

    private static PruneStepSpec connection(double sparsity, int fineTune) {
        return PruneStepSpec.connection(sparsity, fineTune);
    }

    private static PruneStepSpec unit(double fraction, String from) {
        return new PruneStepSpec(
                PruneMode.UNIT, "global", null, null, fraction, Map.of(), List.of(), "l1", "oneshot", 5, 0, null, from);
    }

    @Test
    void stepsMakeVariantsWithLineageAndRealFiles() throws Exception {
        Experiment exp = TrainJobTest.quick("prune", ModelSpec.Preset.LENET300, 1)
                .withSteps(List.of(
                        StepSpec.of(connection(0.9, 1)),
                        StepSpec.of(unit(0.5, "v0")),
                        StepSpec.of(new PruneTableSpec(PruneMode.UNIT, List.of(0.3, 0.6), "l1", "global", 0, null)),
                        StepSpec.of(new SensitivitySpec(PruneMode.CONNECTION, List.of(0.5, 0.9), List.of(), "l1"))));
        RunResult r = new TrainJob(new RunStore(runs), null, null).run(exp);
        List<Variant> v = r.variants();
        assertEquals(5, v.size(), "v0 trained, v1 connection, v2 unit, v3-v4 table points");
        assertEquals("train", v.get(0).step());
        assertNull(v.get(0).parent());

        Variant conn = v.get(1);
        assertEquals("v0", conn.parent());
        assertEquals("prune-connection", conn.step());
        assertEquals(0.9, conn.params().get("sparsity"));
        assertTrue(
                conn.metrics().sparsity() > 0.85,
                "sparsity after fine-tuning " + conn.metrics().sparsity());
        assertEquals("sparse", conn.metrics().fileEncoding());
        assertTrue(conn.metrics().fileBytes() < v.get(0).metrics().fileBytes() / 4, "a 90% sparse file is far smaller");
        assertEquals(
                Files.size(r.runDir().resolve(conn.modelFile())), conn.metrics().fileBytes(), "size = bytes on disk");

        Variant small = v.get(2);
        assertEquals("v0", small.parent(), "a step may start from any earlier variant");
        assertTrue(
                small.metrics().parameters() < v.get(0).metrics().parameters() * 0.55, "unit pruning really shrinks");
        KeiryoModel back = PackReader.read(r.runDir().resolve(small.modelFile()));
        assertEquals(small.metrics().parameters(), back.net().numParams());

        assertEquals("v2", v.get(3).parent(), "the table prunes the latest variant");
        String table = Files.readString(r.runDir().resolve("prune-table-unit.csv"));
        assertEquals(3, table.lines().count(), table);
        assertTrue(Files.size(r.runDir().resolve("prune-table-unit.png")) > 5000);
        String sens = Files.readString(r.runDir().resolve("sensitivity-connection.csv"));
        assertEquals(1 + 3 * 2, sens.lines().count(), "3 weight layers x 2 levels:\n" + sens);
        assertTrue(Files.readString(r.runDir().resolve("variants.csv")).lines().count() == 6);
    }

    @Test
    void pruningEveryUnitOfALayerIsRejectedBeforeTheRunStarts() throws Exception {
        PruneStepSpec all = new PruneStepSpec(
                PruneMode.UNIT,
                "global",
                null,
                null,
                null,
                Map.of("dense1", 0.9999),
                List.of(),
                "l1",
                "oneshot",
                5,
                0,
                null,
                null);
        Experiment exp =
                TrainJobTest.quick("prune-all", ModelSpec.Preset.LENET300, 1).withSteps(List.of(StepSpec.of(all)));
        KeiryoException e =
                assertThrows(KeiryoException.class, () -> new TrainJob(new RunStore(runs), null, null).run(exp));
        assertTrue(e.getMessage().contains("dense1"), e.getMessage());
        try (var folders = Files.list(runs)) {
            assertEquals(0, folders.count(), "no run folder for bad input");
        }
    }

    @Test
    void anUnknownLayerIsNamedWithTheKnownOnes() {
        PruneStepSpec bad = new PruneStepSpec(
                PruneMode.CONNECTION,
                "layer",
                0.5,
                null,
                null,
                Map.of("conv9", 0.5),
                List.of(),
                "l1",
                "oneshot",
                5,
                0,
                null,
                null);
        Experiment exp =
                TrainJobTest.quick("prune-bad", ModelSpec.Preset.LENET300, 1).withSteps(List.of(StepSpec.of(bad)));
        KeiryoException e =
                assertThrows(KeiryoException.class, () -> new TrainJob(new RunStore(runs), null, null).run(exp));
        assertTrue(e.getMessage().contains("conv9") && e.getMessage().contains("dense1"), e.getMessage());
    }
}
