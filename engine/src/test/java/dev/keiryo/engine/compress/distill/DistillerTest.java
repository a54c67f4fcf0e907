package dev.keiryo.engine.compress.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.compress.DistillMode;
import dev.keiryo.engine.api.run.EvalResult;
import dev.keiryo.engine.api.run.TrainOutcome;
import dev.keiryo.engine.api.run.TrainState;
import dev.keiryo.engine.data.ArrayDataSetIterator;
import dev.keiryo.engine.data.DataSources;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.eval.Evaluator;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.Layers;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.train.TrainSettings;
import dev.keiryo.engine.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Distillation on a slice of the bundled sample: a thin teacher trained briefly, thinner students, tiny epochs. */
class DistillerTest {
    private static Dataset train;
    private static Dataset test;
    private static Normalizer norm;
    private static Teacher teacher;
    private static final TrainSettings SETTINGS = TrainSettings.defaults().withEpochs(1);
    private static final Architecture STUDENT = new Architecture(ArchitecturePreset.TEACHER, 0.125, null, 0);

    @BeforeAll
    static void trainTeacher() {
        var bundle = DataSources.load("sample", null);
        train = bundle.train().subset(range(600));
        test = bundle.test().subset(range(300));
        norm = Normalizer.fit("scale", train);
        InputShape in = new InputShape(1, 28, 28);
        ComputationGraph net =
                ModelFactory.build(new Architecture(ArchitecturePreset.TEACHER, 0.25, null, 0), in, 10, SETTINGS);
        new Trainer(net, SETTINGS.withEpochs(2), null, null)
                .fit(iterator(train, true), train.size(), null, null, TrainState.initial());
        teacher = new Teacher(net, in, true);
    }

    @Test
    void cachedLogitsAreTheTeachersPreSoftmaxOutputsInDataOrder() {
        float[] cached = TeacherOutputs.cacheLogits(teacher.net(), train, norm, true, 128);
        DataSet first = iterator(train, false).next();
        INDArray probs = teacher.net().outputSingle(false, first.getFeatures());
        INDArray z = TeacherOutputs.logits(teacher.net(), first.getFeatures());
        assertTrue(Transforms.softmax(z, true).equalsWithEps(probs, 1e-5), "softmax(logits) is the teacher's output");
        for (int j = 0; j < 10; j++) {
            assertEquals(z.getFloat(3, j), cached[3 * 10 + j], 1e-4);
        }
    }

    @Test
    void cachedHintsAreTheHintsComputedPerBatch() {
        int relu2 = HintPlan.layerIndex(teacher.net(), "relu2", "teacher", "hint layer");
        TeacherOutputs.Cached c = TeacherOutputs.cache(teacher.net(), train, norm, true, 128, relu2, 8 * 28 * 28);
        ArrayDataSetIterator.Builder b = ArrayDataSetIterator.builder(train)
                .normalization(norm)
                .batchSize(50)
                .seed(3)
                .imageShaped(true);
        DataSet cached =
                new HintIterator(b.packedTargets(c.hints(), c.hintWidth()).build(), 10, new long[] {8, 28, 28}).next();
        DataSet live = new HintIterator(
                        ArrayDataSetIterator.builder(train)
                                .normalization(norm)
                                .batchSize(50)
                                .seed(3)
                                .imageShaped(true)
                                .build(),
                        teacher.net(),
                        relu2,
                        teacher.input(),
                        true,
                        false)
                .next();
        assertEquals(live.getFeatures(), cached.getFeatures(), "the same examples in the same order");
        assertTrue(live.getLabels().equalsWithEps(cached.getLabels(), 1e-5), "the same targets, shaped [N, C, H, W]");
        assertEquals(4, cached.getLabels().rank());
    }

    @Test
    void distillingLeavesTheTeacherUnchanged() {
        INDArray before = teacher.net().params().dup();
        INDArray updater = teacher.net().getUpdater().getStateViewArray().dup();
        Distiller d = distiller(new DistillSettings(4, 0.9, 1, "relu2", "relu2", 1), new ArrayList<>());
        d.train(DistillMode.KD, STUDENT, 1);
        d.train(DistillMode.HINTS_KD, STUDENT, 1);
        assertEquals(before, teacher.net().params(), "weights, biases and batch-norm statistics");
        assertEquals(updater, teacher.net().getUpdater().getStateViewArray());
    }

    @Test
    void hintStageLossDecreasesAndStudentsReportTrueAccuracy() {
        Distiller d = distiller(new DistillSettings(4, 0.9, 1, "relu2", "relu2", 3), null);
        StudentRun r = d.train(DistillMode.HINTS_KD, STUDENT, 5);
        assertEquals(TrainOutcome.COMPLETED, r.result().outcome());
        assertEquals(3, r.hintLosses().size());
        assertTrue(r.hintLosses().get(2) < r.hintLosses().get(0), "hint L2 loss per epoch: " + r.hintLosses());

        // Evaluating with packed labels [one-hot | teacher logits] still scores against the true labels.
        ArrayDataSetIterator packedIt = ArrayDataSetIterator.builder(train)
                .normalization(norm)
                .batchSize(100)
                .shuffle(false)
                .imageShaped(true)
                .packedTargets(d.teacherLogits(), 10)
                .build();
        assertEquals(20, packedIt.next().getLabels().size(1), "labels really are packed");
        EvalResult packed = Evaluator.evaluate(r.net(), packedIt);
        EvalResult plain = Evaluator.evaluate(r.net(), iterator(train, false));
        INDArray predicted = r.net()
                .outputSingle(iterator(train, false).next(600).getFeatures())
                .argMax(1);
        long correct = 0;
        for (int i = 0; i < train.size(); i++) {
            correct += predicted.getLong(i) == train.label(i) ? 1 : 0;
        }
        assertEquals((double) correct / train.size(), plain.accuracy(), 1e-12);
        assertEquals(plain.accuracy(), packed.accuracy(), 1e-12);
        assertEquals(plain.loss(), packed.loss(), 1e-9);
    }

    @Test
    void kdStudentIsSavedAsAPlainClassifierWithTheTrainedWeights() {
        List<Double> curve = new ArrayList<>();
        StudentRun r =
                distiller(new DistillSettings(3, 0.5, 2, null, null, 0), curve).train(DistillMode.KD, STUDENT, 2);
        assertTrue(
                ((org.deeplearning4j.nn.conf.layers.BaseOutputLayer) Layers.conf(r.net(), Layers.count(r.net()) - 1))
                                .getLossFn()
                        instanceof org.nd4j.linalg.lossfunctions.impl.LossMCXENT,
                "the KD loss is only for training; the saved student is a plain softmax classifier");
        assertEquals(2, r.curve().size());
        assertEquals(r.curve(), curve, "the curve is what the validator measured after each epoch");
        assertEquals(
                Evaluator.evaluate(r.net(), iterator(test, false)).accuracy(),
                r.curve().get(1),
                1e-12);
    }

    @Test
    void sameSeedGivesTheSameStartingStudentInEveryMode() {
        Distiller d = distiller(new DistillSettings(4, 0.9, 1, null, null, 0), null);
        assertEquals(d.student(STUDENT, 9).params(), d.student(STUDENT, 9).params());
    }

    /**
     * With alpha = 0 the KD loss is plain cross-entropy, so a KD student must retrace the scratch
     * student step for step: same initial weights, same batches in the same order, same optimizer
     * and, with dropout, the same masks. Any difference in how the two arms are set up (init, data
     * order, normalisation, loss swap, random state) would show here. An MLP, because with batch
     * norm Adam turns float rounding in near-zero gradients into visible (~lr) weight differences.
     */
    @Test
    void kdWithAlphaZeroTrainsExactlyLikeScratch() {
        Distiller d = new Distiller(
                teacher,
                train,
                norm,
                new DistillSettings(4, 0, 1, null, null, 0),
                SETTINGS.withSeed(1),
                null,
                null,
                null);
        Architecture mlp = new Architecture(ArchitecturePreset.LENET300, 0.25, null, 0.5);
        StudentRun scratch = d.train(DistillMode.SCRATCH, mlp, 7);
        StudentRun kd = d.train(DistillMode.KD, mlp, 7);
        INDArray moved = scratch.net().params().sub(d.student(mlp, 7).params());
        assertTrue(moved.amaxNumber().doubleValue() > 1e-3, "training moved the weights");
        assertTrue(
                scratch.net().params().equalsWithEps(kd.net().params(), 1e-5),
                "max difference "
                        + scratch.net().params().sub(kd.net().params()).amaxNumber());
    }

    /** After shuffling, each row's packed soft targets are the teacher's logits for that row's own image. */
    @Test
    void packedTeacherLogitsStayWithTheirExamplesWhenShuffled() {
        Distiller d = distiller(new DistillSettings(4, 0.5, 1, null, null, 0), null);
        ArrayDataSetIterator it = ArrayDataSetIterator.builder(train)
                .normalization(norm)
                .batchSize(64)
                .seed(11)
                .shuffle(true)
                .imageShaped(true)
                .packedTargets(d.teacherLogits(), 10)
                .build();
        it.reset();
        it.next();
        DataSet second = it.next();
        INDArray live = TeacherOutputs.logits(teacher.net(), second.getFeatures());
        INDArray packed = second.getLabels()
                .get(
                        org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(10, 20));
        assertTrue(live.equalsWithEps(packed, 1e-4), "teacher logits of the batch's images vs the packed ones");
        INDArray firstRows = TeacherOutputs.logits(
                teacher.net(), iterator(train, false).next().getFeatures());
        assertTrue(
                !firstRows
                        .get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 64))
                        .equalsWithEps(packed, 1e-4),
                "the batch really is shuffled");
    }

    @Test
    void unmappableHintLayersAreRejectedWithTheLayerNames() {
        Distiller flat = distiller(new DistillSettings(4, 0.9, 1, "relu2", "dense1", 1), null);
        String m = assertThrows(KeiryoException.class, () -> flat.hintPlan(STUDENT))
                .getMessage();
        assertTrue(m.contains("'relu2' is convolutional (8x28x28)") && m.contains("'dense1' is flat (32)"), m);
        Distiller smaller = distiller(new DistillSettings(4, 0.9, 1, "relu2", "pool2", 1), null);
        m = assertThrows(KeiryoException.class, () -> smaller.hintPlan(STUDENT)).getMessage();
        assertTrue(m.contains("smaller than hint layer 'relu2'"), m);
        Distiller unknown = distiller(new DistillSettings(4, 0.9, 1, "conv9", "relu2", 1), null);
        m = assertThrows(KeiryoException.class, () -> unknown.hintPlan(STUDENT)).getMessage();
        assertTrue(m.contains("hint layer 'conv9' is not a hidden layer of the teacher; choose one of [conv1, bn1"), m);
        assertEquals(
                "conv 1x1 4->8",
                distiller(new DistillSettings(4, 0.9, 1, "relu2", "relu2", 1), null)
                        .hintPlan(STUDENT)
                        .regressor());
        assertEquals(
                "conv 15x15 4->16",
                distiller(new DistillSettings(4, 0.9, 1, "relu4", "relu2", 1), null)
                        .hintPlan(STUDENT)
                        .regressor());
        assertEquals(
                "dense 32->64",
                distiller(new DistillSettings(4, 0.9, 1, "dense1", "dense1", 1), null)
                        .hintPlan(STUDENT)
                        .regressor());
    }

    @Test
    void badSettingsAreOneSentence() {
        assertTrue(assertThrows(KeiryoException.class, () -> new DistillSettings(0, 0.5, 1, null, null, 0))
                .getMessage()
                .contains("temperature must be > 0 (was 0.0)"));
        assertTrue(assertThrows(KeiryoException.class, () -> new DistillSettings(2, 1.5, 1, null, null, 0))
                .getMessage()
                .contains("alpha must be >= 0 and <= 1 (was 1.5)"));
        assertTrue(assertThrows(KeiryoException.class, () -> new DistillSettings(2, 0.5, 1, "relu2", null, 1))
                .getMessage()
                .contains("needs both"));
    }

    private static Distiller distiller(DistillSettings s, List<Double> curve) {
        return new Distiller(
                teacher,
                train,
                norm,
                s,
                SETTINGS.withSeed(1),
                n -> {
                    EvalResult e = Evaluator.evaluate(n, iterator(test, false));
                    if (curve != null) {
                        curve.add(e.accuracy());
                    }
                    return e;
                },
                null,
                null);
    }

    private static ArrayDataSetIterator iterator(Dataset d, boolean shuffle) {
        return ArrayDataSetIterator.builder(d)
                .normalization(norm)
                .batchSize(100)
                .shuffle(shuffle)
                .seed(1)
                .imageShaped(true)
                .build();
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
