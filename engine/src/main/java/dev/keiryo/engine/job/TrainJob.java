package dev.keiryo.engine.job;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.experiment.AtomicFiles;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.model.ModelStats;
import dev.keiryo.engine.api.run.CancellationToken;
import dev.keiryo.engine.api.run.EvalResult;
import dev.keiryo.engine.api.run.LatencyStats;
import dev.keiryo.engine.api.run.RunResult;
import dev.keiryo.engine.api.run.TrainOutcome;
import dev.keiryo.engine.api.run.TrainResult;
import dev.keiryo.engine.api.run.TrainState;
import dev.keiryo.engine.api.run.TrainingEvent;
import dev.keiryo.engine.api.run.TrainingListener;
import dev.keiryo.engine.api.run.Variant;
import dev.keiryo.engine.backend.BackendInfo;
import dev.keiryo.engine.backend.DeviceSelection;
import dev.keiryo.engine.backend.NativeSetup;
import dev.keiryo.engine.data.ArrayDataSetIterator;
import dev.keiryo.engine.eval.Evaluator;
import dev.keiryo.engine.experiment.Provenance;
import dev.keiryo.engine.experiment.Run;
import dev.keiryo.engine.experiment.RunStore;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelIO;
import dev.keiryo.engine.model.ModelStatistics;
import dev.keiryo.engine.report.LearningCurves;
import dev.keiryo.engine.train.ParallelMode;
import dev.keiryo.engine.train.ParallelSettings;
import dev.keiryo.engine.train.TrainSettings;
import dev.keiryo.engine.train.Trainer;
import dev.keiryo.engine.train.parallel.ParallelEpochs;
import dev.keiryo.engine.variant.VariantStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One experiment from data to a finished run folder: load and split the data, build the model,
 * train with checkpoints, evaluate on the test set, measure latency, save the model and the
 * learning curves. Bad input is rejected before the run folder exists; once it exists, every way
 * out (success, divergence, cancellation, error) leaves a status.json that says which.
 */
public final class TrainJob {
    static final String CHECKPOINT = "last.zip";
    static final String MODEL = "model.zip";

    private final RunStore store;
    private final TrainingListener listener;
    private final CancellationToken cancel;
    private java.util.function.Consumer<StepContext> afterSteps = ctx -> {};

    public TrainJob(RunStore store, TrainingListener listener, CancellationToken cancel) {
        this.store = store;
        this.listener = listener == null ? TrainingListener.NONE : listener;
        this.cancel = cancel == null ? new CancellationToken() : cancel;
    }

    /** Hands the finished job's step context to {@link LocalSession}, which keeps applying steps to the same run. */
    TrainJob afterSteps(java.util.function.Consumer<StepContext> consumer) {
        this.afterSteps = consumer;
        return this;
    }

    public RunResult run(Experiment experiment) {
        Experiment exp = experiment.validate();
        TrainSettings settings = Conversions.train(exp);
        BackendInfo backend = NativeSetup.initialize();
        DeviceSelection devices = Conversions.devices(exp, backend, "train.devices");
        ParallelSettings parallel = Conversions.parallel(exp, devices);
        JobData data = JobData.prepare(exp);
        KeiryoModel model = JobModels.start(exp, data, settings);
        data = data.feeding(model);
        Steps.check(model, data, settings, exp.steps());
        Run run = store.create(exp.name());
        run.writeExperiment(exp);
        run.writeJson(Run.PROVENANCE_FILE, Provenance.capture(exp.seed(), backend.asMap()));
        announce(devices, parallel, 0);
        return execute(run, exp, settings, parallel, data, model, TrainState.initial(), null, null);
    }

    /**
     * Continues a run that was cancelled or killed, in the same folder: from its last checkpoint if
     * it stopped while training, or, if it stopped during its steps, with the trained model and the
     * steps that did not finish (see {@link RunProgress}).
     */
    public RunResult resume(Path runDir) {
        Run run = store.open(runDir);
        Experiment exp = run.experiment().validate();
        run.claim();
        try {
            return resume(run, runDir, exp);
        } finally {
            run.close(); // already closed when it ran; a failure before that must let go of the run too
        }
    }

    private RunResult resume(Run run, Path runDir, Experiment exp) {
        if (run.status()
                .map(s -> s.state() == dev.keiryo.engine.api.run.RunState.COMPLETED)
                .orElse(false)) {
            throw new KeiryoException(
                    "run " + runDir + " is already complete; start a new run instead of resuming it.");
        }
        Path cp = run.checkpoints().resolve(CHECKPOINT);
        // model.zip is written once training is over, so with it the run stopped during its steps:
        // it continues with them, on the model it trained, instead of training again.
        Path trained = run.models().resolve(MODEL);
        boolean stepsOnly = Files.isRegularFile(trained);
        BackendInfo backend = NativeSetup.initialize();
        DeviceSelection devices = Conversions.devices(exp, backend, "train.devices");
        ParallelSettings parallel = Conversions.parallel(exp, devices);
        TrainSettings settings = Conversions.train(exp);
        JobData data = JobData.prepare(exp);
        if (!stepsOnly && !Files.isRegularFile(cp)) {
            // Stopped before its first checkpoint: nothing was kept, so it starts over in its own
            // folder, from the same seed and so with the same first weights as the first attempt.
            KeiryoModel fresh = JobModels.start(exp, data, settings);
            if (!Files.isRegularFile(run.file(Run.PROVENANCE_FILE))) {
                run.writeJson(Run.PROVENANCE_FILE, Provenance.capture(exp.seed(), backend.asMap()));
            }
            listener.onEvent(new TrainingEvent.Message(
                    0, "resuming " + run.id() + " from the start: it stopped before its first checkpoint"));
            announce(devices, parallel, 0);
            return execute(run, exp, settings, parallel, data.feeding(fresh), fresh, TrainState.initial(), null, null);
        }
        KeiryoModel model = ModelIO.load(stepsOnly ? trained : cp);
        // The model's own normalisation, as in run(): a loaded model keeps the one it was trained
        // with, which refitting on this run's data would silently replace.
        data = data.feeding(model);
        if (stepsOnly) {
            RunProgress progress = RunProgress.read(run)
                    .orElseGet(() -> new RunProgress(
                            new TrainResult(
                                    TrainOutcome.COMPLETED,
                                    Files.isRegularFile(cp) ? Checkpoints.readState(cp) : TrainState.initial(),
                                    null),
                            0,
                            null));
            int epochs = progress.training().state().epochsCompleted();
            listener.onEvent(new TrainingEvent.Message(
                    epochs,
                    "resuming " + run.id() + " after step " + progress.stepsCompleted() + " of "
                            + exp.steps().size() + "; training is done"));
            return execute(
                    run,
                    exp,
                    settings,
                    parallel,
                    data,
                    model,
                    progress.training().state(),
                    null,
                    progress);
        }
        TrainState state = Checkpoints.readState(cp);
        INDArray best = Checkpoints.readBest(cp, model.net().numParams());
        listener.onEvent(new TrainingEvent.Message(
                state.epochsCompleted(), "resuming " + run.id() + " after epoch " + state.epochsCompleted()));
        announce(devices, parallel, state.epochsCompleted());
        return execute(run, exp, settings, parallel, data, model, state, best, null);
    }

    /** Says which devices train, and why not the GPUs asked for, before the first epoch. */
    private void announce(DeviceSelection devices, ParallelSettings parallel, int epoch) {
        if (devices.notice() != null) {
            listener.onEvent(new TrainingEvent.Message(epoch, devices.notice()));
        }
        if (parallel.parallel()) {
            listener.onEvent(new TrainingEvent.Message(
                    epoch,
                    parallel.mode().id() + " data-parallel training: "
                            + parallel.workers() + " workers on "
                            + devices.devices().stream()
                                    .map(d -> d.id())
                                    .collect(java.util.stream.Collectors.joining(", "))
                            + (parallel.mode() == ParallelMode.SYNC
                                    ? ", averaging every " + parallel.averagingFrequency() + " iteration(s)"
                                    : ", threshold-encoded gradient sharing")));
        }
    }

    private RunResult execute(
            Run run,
            Experiment exp,
            TrainSettings settings,
            ParallelSettings parallel,
            JobData data,
            KeiryoModel model,
            TrainState state,
            INDArray best,
            RunProgress progress) {
        run.markRunning();
        try {
            run.writeJson("normalization.json", data.normalization());
            return trainAndReport(run, exp, settings, parallel, data, model, state, best, progress);
        } catch (RuntimeException | Error e) {
            try {
                run.markFailed(e instanceof KeiryoException ? e.getMessage() : e.toString());
            } catch (RuntimeException recording) {
                // A full disk can refuse the status too; the first failure is the one to report.
                e.addSuppressed(recording);
            }
            throw e;
        } finally {
            run.close();
        }
    }

    private RunResult trainAndReport(
            Run run,
            Experiment exp,
            TrainSettings settings,
            ParallelSettings parallel,
            JobData data,
            KeiryoModel model,
            TrainState state,
            INDArray best,
            RunProgress progress) {
        ComputationGraph net = model.net();
        LearningCurves curves = new LearningCurves();
        state.history().forEach(r -> curves.epoch(r.epoch(), r.validationLoss(), r.validationAccuracy()));
        RunRecorder recorder = new RunRecorder(run.metrics(), curves, listener);
        boolean trains = exp.train().epochs() > 0;
        TrainResult result;
        if (progress != null) {
            result = progress.training();
        } else {
            ArrayDataSetIterator trainIt =
                    data.trainingIterator(settings.batchSize(), exp.seed(), state.epochsCompleted());
            ArrayDataSetIterator valIt =
                    data.validation() == null ? null : data.iterator(data.validation(), 512, false, exp.seed(), 0);
            result = !trains
                    ? new TrainResult(TrainOutcome.COMPLETED, state, null)
                    : trainer(net, settings, parallel, data.train().size(), recorder)
                            .fit(
                                    trainIt,
                                    data.train().size(),
                                    valIt == null ? null : n -> Evaluator.evaluate(n, valIt),
                                    (n, s, b) -> Checkpoints.save(run, new KeiryoModel(n, model.meta()), s, b),
                                    state,
                                    best);
            if (trains) {
                writeCurves(run, curves, exp);
            }
            if (trains && data.train().streamed()) {
                double seconds = result.state().history().stream()
                        .filter(r -> r.epoch() > state.epochsCompleted())
                        .mapToDouble(r -> r.seconds())
                        .sum();
                listener.onEvent(new TrainingEvent.Message(
                        result.state().epochsCompleted(), trainIt.streamStats().describe(seconds)));
            }
        }
        if (result.outcome() == TrainOutcome.CANCELLED) {
            run.markCancelled();
            return new RunResult(run.dir(), result, null, List.of(), null, null, data.description(), List.of());
        }
        if (result.outcome() == TrainOutcome.DIVERGED || result.outcome() == TrainOutcome.STALLED) {
            run.markFailed(result.message());
            return new RunResult(run.dir(), result, null, List.of(), null, null, data.description(), List.of());
        }
        EvalResult test = Evaluator.evaluate(net, data.iterator(data.test(), 512, false, exp.seed(), 0));
        List<LatencyStats> latency = exp.eval().latency() ? EvalJob.latency(model, data.test()) : List.of();
        ModelStats stats = ModelStatistics.of(
                net, model.meta().input().toInputType(model.meta().imageShaped()));
        Path modelFile = run.models().resolve(MODEL);
        if (progress == null) {
            try {
                ModelIO.save(model, modelFile, false, false);
            } catch (IOException e) {
                throw AtomicFiles.failure(modelFile, e);
            }
            run.metrics()
                    .log(
                            result.state().epochsCompleted(),
                            result.state().iterations(),
                            "test",
                            "accuracy",
                            test.accuracy());
            run.metrics()
                    .log(result.state().epochsCompleted(), result.state().iterations(), "test", "loss", test.loss());
        }
        // On a resume the store holds the variants made before, and new ids continue after them.
        VariantStore variants = new VariantStore(
                run, new VariantMeasurer(data.test(), exp.eval().latency()));
        StepContext ctx = new StepContext(run, exp, data, settings, variants, recorder, cancel);
        if (variants.variants().isEmpty()) {
            ctx.add(
                    model,
                    null,
                    trains ? "train" : "load",
                    trains
                            ? Map.of(
                                    "preset",
                                    exp.model().preset().id(),
                                    "epochs",
                                    result.state().epochsCompleted())
                            : Map.of("file", String.valueOf(exp.model().load())));
        } else {
            Variant root = variants.variants().get(0);
            ctx.resumeAt(model, root, progress == null || progress.latest() == null ? root.id() : progress.latest());
        }
        int done = progress == null ? 0 : progress.stepsCompleted();
        TrainResult trained = result;
        new RunProgress(trained, done, ctx.latest().id()).write(run);
        Steps.run(
                ctx,
                exp.steps(),
                done,
                n -> new RunProgress(trained, n, ctx.latest().id()).write(run));
        afterSteps.accept(ctx);
        RunResult job = new RunResult(
                run.dir(), result, test, latency, stats, modelFile, data.description(), variants.variants());
        run.writeJson("summary.json", Summary.of(job, data.test().classNames()));
        if (cancel.isCancelled()) {
            run.markCancelled();
        } else {
            run.markCompleted(Summary.brief(job));
        }
        return job;
    }

    private Trainer trainer(
            ComputationGraph net,
            TrainSettings settings,
            ParallelSettings parallel,
            long examples,
            TrainingListener events) {
        return parallel.parallel()
                ? new Trainer(net, settings, events, cancel, new ParallelEpochs(net, parallel, examples))
                : new Trainer(net, settings, events, cancel);
    }

    private static void writeCurves(Run run, LearningCurves curves, Experiment exp) {
        try {
            curves.writePng(
                    run.file("learning-curves.png"),
                    exp.name() + " (" + exp.model().preset().id() + ")",
                    900,
                    600);
        } catch (IOException e) {
            throw AtomicFiles.failure(run.file("learning-curves.png"), e);
        }
    }
}
