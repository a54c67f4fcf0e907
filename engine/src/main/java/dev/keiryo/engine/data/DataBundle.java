package dev.keiryo.engine.data;

import java.util.Objects;

/**
 * A training set and a test set, with a sentence saying where they came from for logs and run
 * records.
 */
public record DataBundle(Dataset train, Dataset test, String description) {
    public DataBundle {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(description, "description");
        if (train.featureCount() != test.featureCount() || train.numClasses() != test.numClasses()) {
            throw new IllegalArgumentException("train " + train + " and test " + test + " do not match");
        }
    }
}
