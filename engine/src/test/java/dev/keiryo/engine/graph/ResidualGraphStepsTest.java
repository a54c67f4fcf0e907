package dev.keiryo.engine.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.compress.ConnectionPruneSpec;
import dev.keiryo.engine.api.compress.DistillMode;
import dev.keiryo.engine.api.compress.QuantSpec;
import dev.keiryo.engine.api.model.ModelStats;
import dev.keiryo.engine.api.model.WeightHistogram;
import dev.keiryo.engine.api.run.EvalResult;
import dev.keiryo.engine.api.run.LatencyStats;
import dev.keiryo.engine.api.run.TrainOutcome;
import dev.keiryo.engine.api.run.TrainResult;
import dev.keiryo.engine.api.run.TrainState;
import dev.keiryo.engine.compress.distill.DistillSettings;
import dev.keiryo.engine.compress.distill.Distiller;
import dev.keiryo.engine.compress.distill.StudentRun;
import dev.keiryo.engine.compress.distill.Teacher;
import dev.keiryo.engine.compress.prune.connection.ConnectionPlan;
import dev.keiryo.engine.compress.prune.connection.ConnectionPruning;
import dev.keiryo.engine.compress.prune.connection.LayerMask;
import dev.keiryo.engine.compress.prune.connection.Masks;
import dev.keiryo.engine.compress.quant.Quantizer;
import dev.keiryo.engine.data.ArrayDataSetIterator;
import dev.keiryo.engine.data.DataSources;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.eval.Evaluator;
import dev.keiryo.engine.eval.Latency;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.Layers;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.model.ModelStatistics;
import dev.keiryo.engine.model.WeightHistograms;
import dev.keiryo.engine.train.ParallelSettings;
import dev.keiryo.engine.train.TrainSettings;
import dev.keiryo.engine.train.Trainer;
import dev.keiryo.engine.train.parallel.ParallelEpochs;
import java.util.List;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every step on a graph with residual sums and batch norm (a thin ResNet-20 on a slice of the
 * bundled sample): the same code paths as for chains, addressed by vertex name.
 */
class ResidualGraphStepsTest {
    private static final InputShape IN = new InputShape(1, 28, 28);
    private static final Architecture THIN = new Architecture(ArchitecturePreset.RESNET20, 0.25, null, 0);
    private static final TrainSettings SETTINGS = TrainSettings.defaults().withEpochs(1);
    private static Dataset train;
    private static Dataset test;
    private static Normalizer norm;

    @BeforeAll
    static void data() {
        var bundle = DataSources.load("sample", null);
        train = bundle.train().subset(IntStream.range(0, 256).toArray());
        test = bundle.test().subset(IntStream.range(0, 128).toArray());
        norm = Normalizer.fit("scale", train);
    }

    private static ComputationGraph net() {
        return ModelFactory.build(THIN, IN, 10, SETTINGS);
    }

    private static ArrayDataSetIterator iterator(Dataset d, boolean shuffle) {
        return ArrayDataSetIterator.builder(d)
                .normalization(norm)
                .batchSize(32)
                .shuffle(shuffle)
                .seed(1)
                .imageShaped(true)
                .build();
    }

    private static TrainResult fit(ComputationGraph net) {
        return new Trainer(net, SETTINGS, null, null)
                .fit(iterator(train, true), train.size(), null, null, TrainState.initial());
    }

    @Test
    void trainsEvaluatesAndMeasuresLatency() {
        ComputationGraph net = net();
        INDArray before = net.params().dup();
        TrainResult r = fit(net);
        assertEquals(TrainOutcome.COMPLETED, r.outcome(), r.message());
        assertNotEquals(before, net.params());
        EvalResult e = Evaluator.evaluate(net, iterator(test, false));
        assertTrue(e.accuracy() >= 0 && e.accuracy() <= 1 && Double.isFinite(e.loss()), e.toString());
        LatencyStats l = Latency.measure(net, iterator(test, false).next().getFeatures(), 8, 3);
        assertTrue(l.samplesPerSecond() > 0);
    }

    @Test
    void inspectionIsKeyedByVertexName() {
        ComputationGraph net = net();
        ModelStats s = ModelStatistics.of(net, IN.toInputType(true));
        assertEquals(Layers.names(net), s.layers().stream().map(l -> l.name()).toList());
        assertEquals(net.numParams(), s.parameters());
        int proj = Layers.indexOf(net, "s2b1.proj");
        WeightHistogram h = WeightHistograms.of(net, proj, 10);
        assertEquals("s2b1.proj", h.layer());
        assertEquals(
                net.getParam("s2b1.proj_W").length(),
                java.util.Arrays.stream(h.counts()).sum() + h.zeros());
    }

    @Test
    void connectionPruningMasksEveryLayerVertexAndTheMasksHoldWhileTraining() {
        ComputationGraph net = net();
        ConnectionPlan plan = ConnectionPruning.plan(net, ConnectionPruneSpec.perLayer(0.5));
        ComputationGraph pruned = ConnectionPruning.apply(net, plan);
        List<LayerMask> masks = Masks.of(pruned);
        assertTrue(masks.stream().anyMatch(m -> m.key().equals("s2b1.proj_W")), masks.toString());
        assertTrue(masks.stream().noneMatch(m -> m.layerName().endsWith(".bn")), "batch norm is not pruned by default");
        fit(pruned);
        for (LayerMask m : masks) {
            INDArray w = pruned.getParam(m.key());
            assertEquals(0.0, w.mul(m.mask().rsub(1)).amaxNumber().doubleValue(), 0.0, m.key());
        }
    }

    @Test
    void quantizationFoldsBatchNormAndQuantizesEveryLayerVertex() {
        ComputationGraph net = net();
        fit(net);
        ComputationGraph q = Quantizer.quantize(net, QuantSpec.affine(8).withPerChannel(true));
        assertTrue(Layers.names(q).stream().noneMatch(n -> n.endsWith(".bn")));
        assertEquals(
                Layers.names(net).stream().filter(n -> n.endsWith(".relu")).toList(),
                Layers.names(q).stream().filter(n -> n.endsWith(".relu")).toList());
        INDArray x = iterator(test, false).next().getFeatures();
        INDArray a = net.outputSingle(false, x);
        INDArray b = q.outputSingle(false, x);
        assertTrue(a.sub(b).amaxNumber().doubleValue() < 0.05, "8-bit outputs stay close");
    }

    @Test
    void dataParallelTrainingOfAGraph() {
        ComputationGraph net = net();
        INDArray before = net.params().dup();
        TrainResult r = new Trainer(
                        net, SETTINGS, null, null, new ParallelEpochs(net, ParallelSettings.sync(2, 1), train.size()))
                .fit(iterator(train, true), train.size(), null, null, TrainState.initial());
        assertEquals(TrainOutcome.COMPLETED, r.outcome(), r.message());
        assertNotEquals(before, net.params());
    }

    @Test
    void distillationWithHintsFromANamedVertexBetweenTwoResidualGraphs() {
        ComputationGraph teacherNet = net();
        fit(teacherNet);
        Teacher teacher = new Teacher(teacherNet, IN, true);
        Distiller d = new Distiller(
                teacher,
                train,
                norm,
                new DistillSettings(2, 0.5, 1, "s1b3.relu", "s1b2.relu", 1),
                SETTINGS.withSeed(1),
                n -> Evaluator.evaluate(n, iterator(test, false)),
                null,
                null);
        Architecture student = new Architecture(ArchitecturePreset.RESNET20, 0.125, null, 0);
        assertEquals("conv 1x1 2->4", d.hintPlan(student).regressor());
        StudentRun r = d.train(DistillMode.HINTS_KD, student, 1);
        assertEquals(TrainOutcome.COMPLETED, r.result().outcome(), r.result().message());
        assertEquals(1, r.hintLosses().size());
        assertEquals(Layers.names(ModelFactory.build(student, IN, 10, SETTINGS)), Layers.names(r.net()));
    }
}
