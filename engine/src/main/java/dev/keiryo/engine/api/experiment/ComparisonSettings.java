package dev.keiryo.engine.api.experiment;

import dev.keiryo.engine.api.settings.Range;
import dev.keiryo.engine.api.settings.Setting;

/** The fields of the {@code parallelCompare} step. */
public final class ComparisonSettings {
    private ComparisonSettings() {}

    public static final Setting<String> MODE = Setting.text("parallelCompare.modes")
            .oneOf("single", "sync", "async")
            .list("[single, sync, async]")
            .help("The training modes to compare on the same data, each from the same initial weights.")
            .build();

    public static final Setting<Integer> EPOCHS = Setting.integer("parallelCompare.epochs")
            .optional()
            .range(Range.atLeast(1))
            .help("Epochs of each mode; the training's epochs when left out.")
            .build();

    public static final Setting<Integer> WORKERS = Setting.integer("parallelCompare.workers")
            .defaultValue(2)
            .range(Range.atLeast(2))
            .help("The workers of the sync and async runs.")
            .cli("--workers")
            .build();

    public static final Setting<Integer> AVERAGING_FREQUENCY = Setting.integer("parallelCompare.averagingFrequency")
            .defaultValue(1)
            .range(Range.atLeast(1))
            .help("The sync run's averaging frequency.")
            .cli("--averaging-frequency")
            .build();
}
