package dev.keiryo.engine.api.engine;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.backend.SystemInfo;
import dev.keiryo.engine.api.backend.Versions;
import dev.keiryo.engine.api.bench.BenchRequest;
import dev.keiryo.engine.api.bench.BenchRow;
import dev.keiryo.engine.api.bench.OnnxBenchRequest;
import dev.keiryo.engine.api.experiment.DataSpec;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ModelSpec;
import dev.keiryo.engine.api.model.ExportRequest;
import dev.keiryo.engine.api.model.ExportResult;
import dev.keiryo.engine.api.model.ModelDescription;
import dev.keiryo.engine.api.run.CancellationToken;
import dev.keiryo.engine.api.run.EvalReport;
import dev.keiryo.engine.api.run.EvalRequest;
import dev.keiryo.engine.api.run.ImportRequest;
import dev.keiryo.engine.api.run.MetricRow;
import dev.keiryo.engine.api.run.RunInfo;
import dev.keiryo.engine.api.run.RunResult;
import dev.keiryo.engine.api.run.TrainingListener;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * The engine as the workbench and the command line see it: what they ask of it, in the types of the
 * API and nothing deeper. The implementation is found at run time ({@link ServiceLoader}), so the API
 * never depends on the engine's internals, which depend on the API.
 */
public interface Engine {

    /**
     * The engine on the class path.
     *
     * @throws KeiryoException when none is: the engine jar is missing from the installation
     */
    static Engine local() {
        Engine found = LocalEngineHolder.ENGINE;
        if (found == null) {
            throw new KeiryoException("no Keiryo engine is on the class path; reinstall Keiryo,"
                    + " or add keiryo-engine to the class path.");
        }
        return found;
    }

    /**
     * Readies the native backend (the fast build, thread and memory settings) before any other
     * call; a front end calls it once, first thing. Calling it again does nothing.
     */
    void prepare();

    /**
     * Reads an earlier run's experiment and variants from its folder.
     *
     * @throws KeiryoException naming the folder when it is no run folder or cannot be read
     */
    RunRecord openRun(Path runDir);

    /**
     * Builds a preset, untrained, to look at: for images of {@code channels x height x width}
     * (height 1 and width 1 with channels = features for tabular data) and {@code classes} classes.
     */
    ModelInspection inspectPreset(ModelSpec model, int channels, int height, int width, int classes);

    /**
     * Loads a saved model ({@code .zip}) or packed variant ({@code .kpack}) to look at.
     *
     * @throws KeiryoException naming the file when it is missing, damaged or not a Keiryo model
     */
    ModelInspection inspectFile(Path file);

    /**
     * Loads the data {@code data} names, as a run would (same split for {@code seed}), and shows it:
     * its description, the first {@code examples} training images and the examples per class.
     *
     * @throws KeiryoException naming the file and the problem when the data cannot be read
     */
    DataPreview previewData(DataSpec data, long seed, int examples);

    /**
     * Runs {@code experiment} (its own steps included) into a new run folder under {@code runsRoot},
     * exactly as {@code keiryo train} would, and keeps it open for more steps. When training was
     * cancelled or diverged the session is not {@link Session#open() open}: it has a run folder that
     * says so and no variants.
     *
     * @param listener may be null
     * @param cancel may be null
     */
    Session start(Path runsRoot, Experiment experiment, TrainingListener listener, CancellationToken cancel);

    /**
     * Continues a cancelled or killed run from its last checkpoint, in its own folder, as
     * {@code keiryo train --resume} does.
     *
     * @throws KeiryoException naming the folder when it is no run folder or has nothing to resume
     */
    Session resume(Path runsRoot, Path runDir, TrainingListener listener, CancellationToken cancel);

    /** The run folders under {@code runsRoot}, oldest first, with their states; empty if it does not exist. */
    List<RunInfo> listRuns(Path runsRoot);

    /**
     * The metrics a run logged, in order, skipping a last line cut short by a crash; empty if it
     * logged none.
     */
    List<MetricRow> metrics(Path runDir);

    // What the command line asks for; the workbench may use these as well.

    /** The versions of Keiryo, DL4J and Java, read without starting the native backend. */
    Versions versions();

    /** Readies the native backend (as {@link #prepare()}) and describes it, this installation and this computer. */
    SystemInfo systemInfo();

    /**
     * Trains {@code experiment} and runs its steps in a new run folder under {@code runsRoot}, reporting
     * progress to {@code listener} until done or until {@code cancel} asks it to stop.
     *
     * @return the result, also when cancelled or failed (then with the run folder's state)
     * @throws KeiryoException when the experiment, its data or its model cannot be used
     */
    RunResult train(Path runsRoot, Experiment experiment, TrainingListener listener, CancellationToken cancel);

    /**
     * Imports a model made by another framework (an ONNX classifier) into a new run folder under
     * {@code runsRoot}, as {@code keiryo import} does: the model as imported (or fine-tuned, when the
     * request's experiment trains) is saved as the run's model and evaluated on the test set, so every
     * later step can start from it.
     *
     * @return the run's result, as {@link #train} returns it
     * @throws KeiryoException naming the file (and node) when it cannot be imported, or the data when it does
     *     not fit the model; no run folder is left behind then
     */
    RunResult importModel(Path runsRoot, ImportRequest request, TrainingListener listener, CancellationToken cancel);

    /**
     * Continues a cancelled or killed run in its own folder: training from its last checkpoint, or the
     * steps that did not finish. {@code runDir} is a path, or a run folder's name under {@code runsRoot}.
     *
     * @throws KeiryoException naming the run when it is complete, has no checkpoint or is no run folder
     */
    RunResult resumeTraining(Path runsRoot, Path runDir, TrainingListener listener, CancellationToken cancel);

    /**
     * The experiment a run folder holds; {@code runDir} is a path, or a run folder's name under {@code runsRoot}.
     *
     * @throws KeiryoException naming the folder when it is no run folder or its experiment is invalid
     */
    Experiment runExperiment(Path runsRoot, Path runDir);

    /**
     * A saved model ({@code .zip}) or packed variant ({@code .kpack}): its file size, what it was trained
     * on and its layers.
     *
     * @throws KeiryoException naming the file when it is missing, damaged or not a model
     */
    ModelDescription describeModel(Path file);

    /**
     * Evaluates a saved model on a test set, with the normalisation it was trained with.
     *
     * @throws KeiryoException naming the file or data when either cannot be read, or when they do not fit
     */
    EvalReport evaluate(Path modelFile, EvalRequest request);

    /**
     * Exports a saved model ({@code .zip}) or packed variant ({@code .kpack}) to an ONNX file, float32
     * or int8 (calibrated on training examples), written whole or not at all.
     *
     * @throws KeiryoException naming the file when the output exists, the model cannot be read, has a
     *     layer kind ONNX export does not support, or the calibration data does not fit it
     */
    ExportResult export(ExportRequest request);

    /**
     * Runs the benchmarks {@code request} asks for, handing each row to {@code rows} as soon as it is
     * measured and what the user should know about the numbers to {@code notes}.
     *
     * @throws KeiryoException when a preset name, data type, data folder or model file is unusable
     */
    void bench(BenchRequest request, Consumer<BenchRow> rows, Consumer<String> notes);

    /**
     * Exports {@code request}'s model as float32 and int8 ONNX files and times both in ONNX Runtime at
     * batch 1 and 256, taking turns in every round, handing each row to {@code rows} and what the
     * user should know about the numbers (the int8 kernels that run) to {@code notes}.
     *
     * @throws KeiryoException when the model cannot be exported or the data does not fit it
     */
    void benchOnnx(OnnxBenchRequest request, Consumer<BenchRow> rows, Consumer<String> notes);
}
