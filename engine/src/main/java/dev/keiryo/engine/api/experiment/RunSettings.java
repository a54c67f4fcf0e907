package dev.keiryo.engine.api.experiment;

import dev.keiryo.engine.api.settings.Setting;

/** The experiment's own settings: its name, its seed, and what evaluation measures. */
public final class RunSettings {
    private RunSettings() {}

    /** Also the rule for run folder names, which embed the experiment name. */
    public static final Setting<String> NAME = Setting.text("name")
            .defaultValue("experiment")
            .accepts(n -> ExperimentChecks.NAME.matcher(n).matches(), "1 to 64 letters, digits, '.', '_' or '-'")
            .help("Names the run; part of the run folder's name.")
            .cli("--name")
            .sheet("Run", "Name")
            .build();

    public static final Setting<Long> SEED = Setting.whole("seed")
            .defaultValue(42L)
            .help("Seeds initialisation, splits, subsets and shuffling: the same seed gives the same run.")
            .cli("--seed")
            .sheet("Run", "Seed")
            .build();

    public static final Setting<Boolean> LATENCY = Setting.flag("eval.latency")
            .defaultValue(true)
            .help("Times inference of every variant (batch 1 and the throughput batch); off makes runs quicker.")
            .sheet("Evaluation", "Measure latency")
            .cli("--no-latency")
            .build();
}
