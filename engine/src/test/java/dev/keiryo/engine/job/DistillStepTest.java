package dev.keiryo.engine.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.experiment.DistillStepSpec;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ModelSpec;
import dev.keiryo.engine.api.experiment.QuantizeStepSpec;
import dev.keiryo.engine.api.experiment.StepSpec;
import dev.keiryo.engine.api.run.RunResult;
import dev.keiryo.engine.api.run.TrainingEvent;
import dev.keiryo.engine.api.run.Variant;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.experiment.RunStore;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.model.ModelIO;
import dev.keiryo.engine.model.ModelMeta;
import dev.keiryo.engine.train.TrainSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distill step inside a run: the comparison's variants, lineage and files, and bad settings before any run folder. */
class DistillStepTest {
    @TempDir
    Path runs;

    @TempDir
    Path dir;

    private static Experiment teacherRun(DistillStepSpec d) {
        Experiment e = TrainJobTest.quick("distill", ModelSpec.Preset.TEACHER, 1);
        return e.withModel(e.model().withWidth(0.25))
                .withData(e.data().withLimitTrain(400))
                .withSteps(List.of(StepSpec.of(d)));
    }

    private static DistillStepSpec spec(Double width, String hint, String guided, String teacherFile, int seeds) {
        return DistillStepSpec.builder()
                .teacher(teacherFile)
                .width(width)
                .temperature(4)
                .alpha(0.9)
                .epochs(1)
                .seeds(seeds)
                .compare(true)
                .hintLayer(hint)
                .guidedLayer(guided)
                .hintEpochs(2)
                .build();
    }

    @Test
    void compareMakesOneVariantPerStudentWithLineageAndTheSummary() throws Exception {
        List<TrainingEvent> events = new ArrayList<>();
        RunResult r = new TrainJob(new RunStore(runs), events::add, null)
                .run(teacherRun(spec(0.125, "relu2", "relu2", null, 2)));
        List<Variant> v = r.variants();
        assertEquals(1 + 2 * 3, v.size(), "the teacher, then scratch, kd and hints+kd for each of 2 seeds");
        for (Variant s : v.subList(1, v.size())) {
            assertTrue(s.step().startsWith("distill-"), s.step());
            if (s.step().equals("distill-scratch")) {
                assertNull(s.parent(), "a student from scratch owes nothing to the teacher");
            } else {
                assertEquals("v0", s.parent());
            }
            assertEquals(v.get(1).metrics().parameters(), s.metrics().parameters(), "the same student in every mode");
        }
        double ratio =
                (double) v.get(1).metrics().parameters() / v.get(0).metrics().parameters();
        assertEquals(ratio, (double) v.get(1).params().get("paramRatio"), 1e-12);
        // width multiplies the preset's sizes: 0.125 against the teacher's 0.25 is a half-width copy.
        assertTrue(ratio > 0.2 && ratio < 0.35, "a half-width copy has about a quarter of the parameters: " + ratio);

        List<String> summary = Files.readAllLines(r.runDir().resolve(DistillReport.SUMMARY));
        assertEquals(4, summary.size(), String.join("\n", summary));
        assertTrue(
                summary.get(1).startsWith("scratch,2,")
                        && summary.get(2).startsWith("kd,2,")
                        && summary.get(3).startsWith("hints+kd,2,"),
                String.join("\n", summary));
        assertEquals(
                7, Files.readAllLines(r.runDir().resolve(DistillReport.RUNS)).size());
        assertTrue(Files.size(r.runDir().resolve(DistillReport.CHART)) > 1000);
        long hintMessages = events.stream()
                .filter(e -> e instanceof TrainingEvent.Message m && m.text().startsWith("stage 1/2"))
                .count();
        assertEquals(2, hintMessages, "the hint stage announces itself once per seed");
        long cached = events.stream()
                .filter(e -> e instanceof TrainingEvent.Message m && m.text().startsWith("cached the teacher"))
                .count();
        assertEquals(1, cached, "the teacher's logits are computed once for the whole comparison");
        // Iteration losses stream through the listener for both stages (live curves).
        assertTrue(events.stream()
                        .filter(e -> e instanceof TrainingEvent.Iteration)
                        .count()
                >= 2 * (1 + 1 + 3) * 5);
    }

    @Test
    void unmappableLayersFailBeforeTheRunFolderExists() {
        assertBadSettings(
                teacherRun(spec(0.5, "relu2", "dense1", null, 1)),
                "hint layer 'relu2' is convolutional",
                "guided layer 'dense1' is flat");
        assertBadSettings(
                teacherRun(spec(0.5, "relu2", "nope", null, 1)),
                "guided layer 'nope' is not a hidden layer of the student");
    }

    @Test
    void badFieldsNameTheField() {
        DistillStepSpec hot = DistillStepSpec.builder()
                .width(0.5)
                .temperature(0)
                .alpha(0.9)
                .epochs(1)
                .seeds(1)
                .build();
        assertBadSettings(teacherRun(hot), "steps[0].distill.temperature must be > 0 (was 0.0)");
        DistillStepSpec mix = DistillStepSpec.builder()
                .width(0.5)
                .temperature(2)
                .alpha(-0.1)
                .epochs(1)
                .seeds(1)
                .build();
        assertBadSettings(teacherRun(mix), "steps[0].distill.alpha must be >= 0 and <= 1 (was -0.1)");
    }

    /**
     * A teacher that an earlier step makes (here v1, the quantized v0) is checked before the run
     * folder exists like v0 is: bad settings and layers it cannot map are refused before any
     * training, not after the teacher and its variant were made.
     */
    @Test
    void aTeacherVariantOfAnEarlierStepIsCheckedBeforeTheRunFolderExists() {
        StepSpec quantize = StepSpec.of(new QuantizeStepSpec("affine", 8, true, true, true, false, "v0"));
        DistillStepSpec cold =
                new DistillStepSpec("v1", null, null, 0.5, null, null, 0, 0.9, 1, null, 1, false, null, null, 1);
        Experiment e = teacherRun(cold);
        assertBadSettings(
                e.withSteps(List.of(quantize, StepSpec.of(cold))),
                "steps[1].distill.temperature must be > 0 (was 0.0)");
        DistillStepSpec unmappable =
                new DistillStepSpec("v1", null, null, 0.5, null, null, 4, 0.9, 1, null, 1, false, "relu2", "nope", 1);
        assertBadSettings(
                e.withSteps(List.of(quantize, StepSpec.of(unmappable))),
                "guided layer 'nope' is not a hidden layer of the student");
    }

    @Test
    void aTeacherForOtherClassesIsRejected() throws Exception {
        InputShape in = new InputShape(1, 28, 28);
        TrainSettings s = TrainSettings.defaults();
        var net = ModelFactory.build(dev.keiryo.engine.model.Architecture.of(ArchitecturePreset.LENET300), in, 3, s);
        Path file = dir.resolve("three-classes.zip");
        ModelIO.save(
                new KeiryoModel(
                        net,
                        new ModelMeta(
                                ModelMeta.FORMAT_VERSION,
                                "lenet300",
                                in,
                                false,
                                3,
                                List.of("a", "b", "c"),
                                Normalizer.none())),
                file,
                false,
                false);
        assertBadSettings(
                teacherRun(spec(0.5, null, null, file.toString(), 1)),
                "the teacher predicts 3 classes but the data has 10");
        assertBadSettings(
                teacherRun(spec(0.5, null, null, dir.resolve("none.zip").toString(), 1)), "does not exist");
    }

    private void assertBadSettings(Experiment e, String... fragments) {
        KeiryoException ex =
                assertThrows(KeiryoException.class, () -> new TrainJob(new RunStore(runs), null, null).run(e));
        for (String f : fragments) {
            assertTrue(ex.getMessage().contains(f), "'" + f + "' missing from: " + ex.getMessage());
        }
        try (Stream<Path> s = Files.list(runs)) {
            assertEquals(List.of(), s.toList(), "no run folder");
        } catch (java.io.IOException io) {
            throw new java.io.UncheckedIOException(io);
        }
    }
}
