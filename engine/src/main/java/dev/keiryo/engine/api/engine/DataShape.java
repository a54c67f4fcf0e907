package dev.keiryo.engine.api.engine;

import java.util.List;

/**
 * The shape of a session's data: what a model for it takes in and tells apart. Tabular data has
 * height and width 1 and one channel per feature.
 *
 * @param classNames one per class, the class's index as its name when the data names none
 * @param choiceExamples how many examples previews and choices are measured on: the validation
 *     split, or without one a seeded part of the training set; never the test set
 */
public record DataShape(int channels, int height, int width, List<String> classNames, int choiceExamples) {
    public DataShape {
        classNames = List.copyOf(classNames);
    }

    public int classes() {
        return classNames.size();
    }
}
