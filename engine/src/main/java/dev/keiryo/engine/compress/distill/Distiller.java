package dev.keiryo.engine.compress.distill;

import dev.keiryo.engine.api.compress.DistillMode;
import dev.keiryo.engine.api.run.CancellationToken;
import dev.keiryo.engine.api.run.EpochRecord;
import dev.keiryo.engine.api.run.TrainOutcome;
import dev.keiryo.engine.api.run.TrainResult;
import dev.keiryo.engine.api.run.TrainState;
import dev.keiryo.engine.api.run.TrainingEvent;
import dev.keiryo.engine.api.run.TrainingListener;
import dev.keiryo.engine.data.ArrayDataSetIterator;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.train.TrainSettings;
import dev.keiryo.engine.train.Trainer;
import dev.keiryo.engine.train.Validator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * Trains students of one architecture from scratch, by knowledge distillation, or with FitNets
 * hints followed by distillation, from the same seeded initialisation and data order per seed so
 * that the modes differ only in what the student learns from. The teacher is only run in inference
 * mode; its logits on the training set (and small hint activations) are computed once and reused by every student.
 */
public final class Distiller {
    private final Teacher teacher;
    private final Dataset train;
    private final Normalizer normalization;
    private final DistillSettings settings;
    private final TrainSettings base;
    private final Validator curve;
    private final TrainingListener listener;
    private final CancellationToken cancel;
    private TeacherOutputs.Cached cached;

    /** Hint activations up to this size are cached with the logits; larger ones are recomputed per batch. */
    static final long HINT_CACHE_BYTES = 512L << 20;

    /**
     * @param base optimizer, learning rate, batch size and data type of every student (its epochs
     *     and seed are replaced per student)
     * @param curve measures each student after every epoch for the learning curves, or null
     */
    public Distiller(
            Teacher teacher,
            Dataset train,
            Normalizer normalization,
            DistillSettings settings,
            TrainSettings base,
            Validator curve,
            TrainingListener listener,
            CancellationToken cancel) {
        this.teacher = teacher;
        this.train = train;
        this.normalization = normalization;
        this.settings = settings;
        this.base = base;
        this.curve = curve;
        this.listener = listener == null ? TrainingListener.NONE : listener;
        this.cancel = cancel == null ? new CancellationToken() : cancel;
    }

    /** The teacher's logits on the training set, computed on first use and then shared by all KD students. */
    public float[] teacherLogits() {
        return cached().logits();
    }

    /**
     * One inference pass of the teacher over the training set: its logits, and with hints its hint
     * layer's activations when they fit in {@link #HINT_CACHE_BYTES}.
     */
    private synchronized TeacherOutputs.Cached cached() {
        if (cached == null) {
            long start = System.nanoTime();
            int hintIndex = -1;
            int hintWidth = 0;
            if (settings.hints()) {
                int h = HintPlan.layerIndex(teacher.net(), settings.hintLayer(), "teacher", "distill: hint layer");
                long w = teacher.net()
                        .getConfiguration()
                        .getLayerActivationTypes(teacher.input().toInputType(teacher.imageShaped()))
                        .get(dev.keiryo.engine.model.Layers.names(teacher.net()).get(h))
                        .arrayElementsPerExample();
                if (w * train.size() * 4 <= HINT_CACHE_BYTES) {
                    hintIndex = h;
                    hintWidth = (int) w;
                }
            }
            cached = TeacherOutputs.cache(
                    teacher.net(), train, normalization, teacher.imageShaped(), 512, hintIndex, hintWidth);
            listener.onEvent(new TrainingEvent.Message(
                    0,
                    String.format(
                            Locale.ROOT,
                            "cached the teacher's logits%s for %,d training examples in %.1f s (one teacher pass for every student)",
                            hintIndex < 0
                                    ? ""
                                    : String.format(
                                            Locale.ROOT,
                                            " and layer '%s' (%,d values each, %.0f MB)",
                                            settings.hintLayer(),
                                            hintWidth,
                                            hintWidth * 4.0 * train.size() / (1 << 20)),
                            train.size(),
                            (System.nanoTime() - start) / 1e9)));
        }
        return cached;
    }

    public InputShape studentInput() {
        return new InputShape(train.channels(), train.height(), train.width());
    }

    /** The untrained student for {@code seed}: the same weights for every mode. */
    public ComputationGraph student(Architecture spec, long seed) {
        return ModelFactory.build(spec, studentInput(), train.numClasses(), base.withSeed(seed));
    }

    public HintPlan hintPlan(Architecture spec) {
        ComputationGraph s = student(spec, base.seed());
        return HintPlan.resolve(
                teacher.net(),
                teacher.input().toInputType(teacher.imageShaped()),
                settings.hintLayer(),
                s,
                studentInput().toInputType(spec.preset().convolutional()),
                settings.guidedLayer(),
                "distill: ");
    }

    public StudentRun train(DistillMode mode, Architecture spec, long seed) {
        ComputationGraph student = student(spec, seed);
        boolean image = spec.preset().convolutional();
        List<Double> hintLosses = new ArrayList<>();
        if (mode == DistillMode.HINTS_KD) {
            TrainResult stage1 = hintStage(student, seed, image);
            stage1.state().history().forEach(r -> hintLosses.add(r.trainLoss()));
            if (stage1.outcome() != TrainOutcome.COMPLETED) {
                return new StudentRun(mode, seed, student, stage1, hintLosses, List.of());
            }
        }
        ComputationGraph net = mode == DistillMode.SCRATCH
                ? student
                : StudentNets.withLoss(student, new KdLoss(settings.temperature(), settings.alpha()));
        ArrayDataSetIterator.Builder it = ArrayDataSetIterator.builder(train)
                .normalization(normalization)
                .batchSize(base.batchSize())
                .seed(seed)
                .shuffle(true)
                .imageShaped(image);
        if (mode.usesTeacher()) {
            it.packedTargets(teacherLogits(), train.numClasses());
        }
        listener.onEvent(new TrainingEvent.Message(
                0,
                mode == DistillMode.SCRATCH
                        ? "training the student from scratch (labels only), seed " + seed
                        : String.format(
                                Locale.ROOT,
                                "%sdistilling the student (T=%s, alpha=%s), seed %d",
                                mode == DistillMode.HINTS_KD ? "stage 2/2: " : "",
                                num(settings.temperature()),
                                num(settings.alpha()),
                                seed)));
        TrainSettings ts = studentSettings(seed, settings.epochs());
        TrainResult r =
                new Trainer(net, ts, listener, cancel).fit(it.build(), train.size(), curve, null, TrainState.initial());
        List<Double> acc = r.state().history().stream()
                .map(EpochRecord::validationAccuracy)
                .toList();
        ComputationGraph plain = mode == DistillMode.SCRATCH ? net : StudentNets.withLoss(net, new LossMCXENT());
        return new StudentRun(mode, seed, plain, r, hintLosses, acc);
    }

    private TrainResult hintStage(ComputationGraph student, long seed, boolean image) {
        InputType studentType = studentInput().toInputType(image);
        HintPlan plan = HintPlan.resolve(
                teacher.net(),
                teacher.input().toInputType(teacher.imageShaped()),
                settings.hintLayer(),
                student,
                studentType,
                settings.guidedLayer(),
                "");
        TrainSettings ts = studentSettings(seed, settings.hintEpochs());
        ComputationGraph stage1 = plan.stageOne(student, studentType, ts);
        ArrayDataSetIterator.Builder source = ArrayDataSetIterator.builder(train)
                .normalization(normalization)
                .batchSize(base.batchSize())
                .seed(seed ^ 0x5EED)
                .shuffle(true)
                .imageShaped(image);
        TeacherOutputs.Cached c = cached();
        HintIterator it;
        if (c.hints() != null) {
            long[] shape = plan.hintType() instanceof InputType.InputTypeConvolutional hc
                    ? new long[] {hc.getChannels(), hc.getHeight(), hc.getWidth()}
                    : new long[] {c.hintWidth()};
            it = new HintIterator(source.packedTargets(c.hints(), c.hintWidth()).build(), train.numClasses(), shape);
        } else {
            it = new HintIterator(
                    source.build(),
                    teacher.net(),
                    plan.hintIndex(),
                    teacher.input(),
                    teacher.imageShaped(),
                    !(plan.hintType() instanceof InputType.InputTypeConvolutional));
        }
        listener.onEvent(new TrainingEvent.Message(
                0,
                "stage 1/2: hint training, student layers up to '" + plan.guidedLayer()
                        + "' + regressor (" + plan.regressor() + ") on teacher layer '" + plan.hintLayer() + "' (L2), "
                        + settings.hintEpochs() + " epoch(s), seed " + seed));
        TrainResult r =
                new Trainer(stage1, ts, listener, cancel).fit(it, train.size(), null, null, TrainState.initial());
        if (r.outcome() == TrainOutcome.COMPLETED) {
            HintPlan.copyLayers(stage1, student);
        }
        return r;
    }

    private TrainSettings studentSettings(long seed, int epochs) {
        return new TrainSettings(
                base.optimizer(),
                base.learningRate(),
                base.batchSize(),
                epochs,
                base.dataType(),
                base.weightDecay(),
                0,
                0,
                seed,
                base.lrSchedule());
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
