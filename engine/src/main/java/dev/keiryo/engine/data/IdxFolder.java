package dev.keiryo.engine.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the four IDX files of an MNIST-style folder under any of the names they are distributed
 * with: train-/t10k- (or test-) prefixes, "-idx3-ubyte" or ".idx3-ubyte", raw or ".gz".
 */
public record IdxFolder(Path trainImages, Path trainLabels, Path testImages, Path testLabels) {
    private static final String[] TRAIN = {"train"};
    private static final String[] TEST = {"t10k", "test"};

    /** The files in {@code folder}, or the reason they are not all there. */
    static Result find(Path folder) {
        if (!Files.isDirectory(folder)) {
            return new Result(null, Files.exists(folder) ? "is not a folder" : "does not exist");
        }
        Path trI = first(folder, TRAIN, "images", "idx3");
        Path trL = first(folder, TRAIN, "labels", "idx1");
        Path teI = first(folder, TEST, "images", "idx3");
        Path teL = first(folder, TEST, "labels", "idx1");
        List<String> missing = new ArrayList<>();
        if (trI == null) {
            missing.add("train-images-idx3-ubyte[.gz]");
        }
        if (trL == null) {
            missing.add("train-labels-idx1-ubyte[.gz]");
        }
        if (teI == null) {
            missing.add("t10k-images-idx3-ubyte[.gz]");
        }
        if (teL == null) {
            missing.add("t10k-labels-idx1-ubyte[.gz]");
        }
        if (!missing.isEmpty()) {
            return new Result(null, "lacks " + String.join(", ", missing));
        }
        return new Result(new IdxFolder(trI, trL, teI, teL), null);
    }

    /** Either the files or, when {@code files} is null, why the folder does not qualify. */
    record Result(IdxFolder files, String problem) {}

    private static Path first(Path folder, String[] prefixes, String kind, String idx) {
        for (String prefix : prefixes) {
            for (String sep : new String[] {"-", "."}) {
                for (String gz : new String[] {"", ".gz"}) {
                    Path p = folder.resolve(prefix + "-" + kind + sep + idx + "-ubyte" + gz);
                    if (Files.isRegularFile(p)) {
                        return p;
                    }
                }
            }
        }
        return null;
    }
}
