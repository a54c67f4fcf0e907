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
        return ServiceLoader.load(Engine.class)
                .findFirst()
                .orElseThrow(() -> new KeiryoException("no Keiryo engine is on the class path; reinstall Keiryo,"
                        + " or add keiryo-engine to the class path."));
    }

    /**
     * Loads the data {@code data} names, as a run would (same split for {@code seed}), and shows it:
     * its description, the first {@code examples} training images and the examples per class.
     *
     * @throws KeiryoException naming the file and the problem when the data cannot be read
     */
    DataPreview previewData(DataSpec data, long seed, int examples);
}
