package dev.keiryo.engine.api.engine;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.experiment.DataSpec;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.run.CancellationToken;
import dev.keiryo.engine.api.run.MetricRow;
import dev.keiryo.engine.api.run.RunInfo;
import dev.keiryo.engine.api.run.TrainingListener;
import java.nio.file.Path;
import java.util.List;
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
}
