package dev.keiryo.engine.api.experiment;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.compress.QuantSpec;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.train.ParallelSettings;
import dev.keiryo.engine.train.TrainSettings;
import dev.keiryo.engine.train.Updaters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values the experiment file's checks used to accept and the engine refused after training (or the
 * other way round), one case each: now the file refuses what the engine would, with one sentence,
 * before any work, and the engine accepts what the file does.
 */
class SettingsAgreementTest {
    @TempDir
    Path dir;

    private String problems(String yaml) throws IOException {
        Path f = dir.resolve("e.yaml");
        Files.writeString(f, "schemaVersion: 1\n" + yaml, StandardCharsets.UTF_8);
        try {
            ExperimentFile.read(f);
            return "";
        } catch (KeiryoException e) {
            return e.getMessage();
        }
    }

    @Test
    void fineTuneAndQatLearningRatesHaveTheTrainingRatesRange() throws IOException {
        assertTrue(problems("steps:\n  - prune: {mode: connection, sparsity: 0.5, fineTuneEpochs: 1,"
                        + " fineTuneLearningRate: 20}\n")
                .contains("steps[0].prune.fineTuneLearningRate must be > 0 and < 10 (was 20.0)"));
        assertTrue(problems("steps:\n  - quantize: {mode: affine, qatEpochs: 1, qatLearningRate: 20}\n")
                .contains("steps[0].quantize.qatLearningRate must be > 0 and < 10 (was 20.0)"));
    }

    @Test
    void zeroEpochsReachTheEngineUnclamped() {
        TrainSettings zero =
                assertDoesNotThrow(() -> new TrainSettings(Updaters.ADAM, 1e-3, 32, 0, TrainSettings.HALF, 0, 0, 1, 1));
        assertEquals(0, zero.epochs());
        assertEquals(
                "train.epochs must be >= 0 (was -1).",
                assertThrows(KeiryoException.class, () -> zero.withEpochs(-1)).getMessage());
    }

    @Test
    void widthHasOneRangeInTheFileTheStudentAndTheEngine() throws IOException {
        assertEquals("", problems("model:\n  width: 16\n"));
        assertEquals("", problems("steps:\n  - distill: {width: 16}\n"));
        assertDoesNotThrow(() -> new Architecture(ArchitecturePreset.LENET5, 16, null, 0));
        assertTrue(problems("model:\n  width: 16.5\n").contains("model.width must be > 0 and <= 16 (was 16.5)"));
        assertEquals(
                "model.width must be > 0 and <= 16 (was 16.5).",
                assertThrows(KeiryoException.class, () -> new Architecture(ArchitecturePreset.LENET5, 16.5, null, 0))
                        .getMessage());
    }

    @Test
    void distillationSeedsRangeIsTheDeclarationsEverywhere() throws IOException {
        assertEquals("", problems("steps:\n  - distill: {seeds: 100}\n"));
        assertTrue(problems("steps:\n  - distill: {seeds: 101}\n")
                .contains("steps[0].distill.seeds must be 1..100 (was 101)"));
        assertEquals(100, DistillationSettings.SEEDS.range().orElseThrow().max());
    }

    @Test
    void oneBitSymmetricAffineIsRefusedByTheFileAsByTheQuantizer() throws IOException {
        String file = problems("steps:\n  - quantize: {mode: affine, bits: 1}\n");
        assertTrue(file.contains("steps[0].quantize.bits must be 2..16 for symmetric affine codes (was 1)"), file);
        String engine = assertThrows(
                        KeiryoException.class,
                        () -> new QuantSpec(QuantSpec.Mode.AFFINE, 1, true, false, Set.of("W"), false, false))
                .getMessage();
        assertTrue(engine.contains("must be 2..16 for symmetric affine codes (was 1)"), engine);
        assertEquals("", problems("steps:\n  - quantize: {mode: affine, bits: 1, symmetric: false}\n"));
    }

    @Test
    void sparsityAndThresholdTogetherAreRefused() throws IOException {
        assertTrue(problems("steps:\n  - prune: {mode: connection, sparsity: 0.5, threshold: 0.01}\n")
                .contains("steps[0].prune sets both sparsity and threshold"));
    }

    @Test
    void aThresholdWithTheAgpScheduleIsRefusedBeforeTraining() throws IOException {
        assertTrue(problems("steps:\n  - prune: {mode: connection, threshold: 0.01, schedule: agp}\n")
                .contains("steps[0].prune.threshold works with schedule oneshot only"));
    }

    @Test
    void perLayerSharesNeedLayerScope() throws IOException {
        assertTrue(problems("steps:\n  - prune: {mode: connection, layers: {dense0: 0.5}}\n")
                .contains("steps[0].prune.layers gives each layer its own share, which needs scope: layer"));
        assertEquals("", problems("steps:\n  - prune: {mode: connection, scope: layer, layers: {dense0: 0.5}}\n"));
    }

    @Test
    void averagingFrequencyHasOneDefault() {
        int declared = DataParallelSettings.AVERAGING_FREQUENCY.defaultValue();
        assertEquals(declared, ParallelSpec.defaults().averagingFrequency());
        assertEquals(declared, ParallelSettings.single().averagingFrequency());
        assertEquals(declared, ParallelCompareSpec.defaults().averagingFrequency());
    }

    @Test
    void everyDeclarationHasHelpAndADefaultOrSaysItIsOptional() {
        for (var s : SettingsCatalog.all()) {
            assertTrue(s.help().endsWith("."), s.key() + ": help must be a sentence");
        }
        assertTrue(SettingsCatalog.all().size() > 60);
        assertEquals(
                List.of(),
                SettingsCatalog.all().stream()
                        .filter(s -> s.sheetLabel().isPresent() && s.sheetCategory() == null)
                        .toList());
    }
}
