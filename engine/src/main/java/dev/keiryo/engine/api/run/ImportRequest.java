package dev.keiryo.engine.api.run;

import dev.keiryo.engine.api.experiment.Experiment;
import java.nio.file.Path;

/**
 * A model from another framework to import into a run folder.
 *
 * @param model the file: an ONNX classifier ({@code .onnx}); its extension says which importer reads it
 * @param experiment the run's name, seed, data (which gives the model its class names and the
 *     normalisation its inputs get, fitted on the training split) and evaluation; {@code train.epochs}
 *     above 0 fine-tunes the imported model on that data before it is evaluated, its model and steps
 *     are ignored
 */
public record ImportRequest(Path model, Experiment experiment) {}
