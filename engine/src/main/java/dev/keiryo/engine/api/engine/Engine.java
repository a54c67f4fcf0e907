package dev.keiryo.engine.api.engine;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.experiment.DataSpec;
import java.util.ServiceLoader;

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
    RunRecord openRun(java.nio.file.Path runDir);

    /**
     * Builds a preset, untrained, to look at: for images of {@code channels x height x width}
     * (height 1 and width 1 with channels = features for tabular data) and {@code classes} classes.
     */
    ModelInspection inspectPreset(
            dev.keiryo.engine.api.experiment.ModelSpec model, int channels, int height, int width, int classes);

    /**
     * Loads a saved model ({@code .zip}) or packed variant ({@code .kpack}) to look at.
     *
     * @throws KeiryoException naming the file when it is missing, damaged or not a Keiryo model
     */
    ModelInspection inspectFile(java.nio.file.Path file);

    /**
     * Loads the data {@code data} names, as a run would (same split for {@code seed}), and shows it:
     * its description, the first {@code examples} training images and the examples per class.
     *
     * @throws KeiryoException naming the file and the problem when the data cannot be read
     */
    DataPreview previewData(DataSpec data, long seed, int examples);

    // What the command line asks for; the workbench may use these as well.

    /** The versions of Keiryo, DL4J and Java, read without starting the native backend. */
    dev.keiryo.engine.api.backend.Versions versions();

    /** Readies the native backend (as {@link #prepare()}) and describes it, this installation and this computer. */
    dev.keiryo.engine.api.backend.SystemInfo systemInfo();

    /**
     * Trains {@code experiment} and runs its steps in a new run folder under {@code runsRoot}, reporting
     * progress to {@code listener} until done or until {@code cancel} asks it to stop.
     *
     * @return the result, also when cancelled or failed (then with the run folder's state)
     * @throws KeiryoException when the experiment, its data or its model cannot be used
     */
    dev.keiryo.engine.api.run.RunResult train(
            java.nio.file.Path runsRoot,
            dev.keiryo.engine.api.experiment.Experiment experiment,
            dev.keiryo.engine.api.run.TrainingListener listener,
            dev.keiryo.engine.api.run.CancellationToken cancel);

    /**
     * Continues a cancelled or killed run in its own folder: training from its last checkpoint, or the
     * steps that did not finish. {@code runDir} is a path, or a run folder's name under {@code runsRoot}.
     *
     * @throws KeiryoException naming the run when it is complete, has no checkpoint or is no run folder
     */
    dev.keiryo.engine.api.run.RunResult resumeTraining(
            java.nio.file.Path runsRoot,
            java.nio.file.Path runDir,
            dev.keiryo.engine.api.run.TrainingListener listener,
            dev.keiryo.engine.api.run.CancellationToken cancel);

    /**
     * The experiment a run folder holds; {@code runDir} is a path, or a run folder's name under {@code runsRoot}.
     *
     * @throws KeiryoException naming the folder when it is no run folder or its experiment is invalid
     */
    dev.keiryo.engine.api.experiment.Experiment runExperiment(java.nio.file.Path runsRoot, java.nio.file.Path runDir);

    /**
     * A saved model ({@code .zip}) or packed variant ({@code .kpack}): its file size, what it was trained
     * on and its layers.
     *
     * @throws KeiryoException naming the file when it is missing, damaged or not a model
     */
    dev.keiryo.engine.api.model.ModelDescription describeModel(java.nio.file.Path file);

    /**
     * Evaluates a saved model on a test set, with the normalisation it was trained with.
     *
     * @throws KeiryoException naming the file or data when either cannot be read, or when they do not fit
     */
    dev.keiryo.engine.api.run.EvalReport evaluate(
            java.nio.file.Path modelFile, dev.keiryo.engine.api.run.EvalRequest request);

    /**
     * Runs the benchmarks {@code request} asks for, handing each row to {@code rows} as soon as it is
     * measured and what the user should know about the numbers to {@code notes}.
     *
     * @throws KeiryoException when a preset name, data type, data folder or model file is unusable
     */
    void bench(
            dev.keiryo.engine.api.bench.BenchRequest request,
            java.util.function.Consumer<dev.keiryo.engine.api.bench.BenchRow> rows,
            java.util.function.Consumer<String> notes);
}
