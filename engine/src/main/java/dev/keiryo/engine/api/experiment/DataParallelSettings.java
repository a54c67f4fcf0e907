package dev.keiryo.engine.api.experiment;

import dev.keiryo.engine.api.settings.Range;
import dev.keiryo.engine.api.settings.Setting;
import java.util.Locale;
import java.util.regex.Pattern;

/** The {@code train:} section's data-parallel settings. */
public final class DataParallelSettings {
    private DataParallelSettings() {}

    private static final Pattern DEVICE = Pattern.compile("cpu|(?:cuda|gpu)(?::\\d+)?");

    public static final Setting<ParallelSpec.TrainMode> MODE = Setting.choice(
                    "train.mode", ParallelSpec.TrainMode.class)
            .defaultValue(ParallelSpec.TrainMode.SINGLE)
            .help("single: one model; sync: workers average their parameters; async: workers share"
                    + " threshold-encoded updates without waiting for each other.")
            .cli("--mode")
            .sheet("Data parallel", "Mode")
            .build();

    public static final Setting<Integer> WORKERS = Setting.integer("train.workers")
            .optional()
            .range(Range.atLeast(2))
            .help("sync and async: the workers, each training its own minibatches (the global batch is workers"
                    + " x batch size); automatic when left out: 2 on the CPU, one per GPU.")
            .cli("--workers")
            .sheet("Data parallel", "Workers")
            .build();

    public static final Setting<Integer> AVERAGING_FREQUENCY = Setting.integer("train.averagingFrequency")
            .defaultValue(1)
            .range(Range.atLeast(1))
            .help("sync: average the parameters every this many iterations.")
            .cli("--averaging-frequency")
            .sheet("Data parallel", "Averaging frequency")
            .build();

    public static final Setting<Boolean> AVERAGE_UPDATERS = Setting.flag("train.averageUpdaters")
            .defaultValue(true)
            .help("sync: also average the optimizer's state (Adam's moments).")
            .sheet("Data parallel", "Average optimizer state")
            .cli("--no-average-updaters")
            .build();

    public static final Setting<Integer> PREFETCH = Setting.integer("train.prefetch")
            .defaultValue(2)
            .range(Range.atLeast(0))
            .help("Minibatches prepared ahead on a background thread; 0 = off.")
            .cli("--prefetch")
            .build();

    public static final Setting<String> DEVICE_NAME = Setting.text("train.devices")
            .accepts(d -> DEVICE.matcher(d.trim().toLowerCase(Locale.ROOT)).matches(), "cpu, cuda or cuda:N")
            .list("[] (automatic)")
            .help("The devices to train on: cpu, cuda (every GPU) or cuda:N; the GPUs of a CUDA build, else the"
                    + " CPU, when left out.")
            .cli("--devices")
            .build();

    public static final Setting<ParallelSpec.DeviceFallback> DEVICE_FALLBACK = Setting.choice(
                    "train.deviceFallback", ParallelSpec.DeviceFallback.class)
            .defaultValue(ParallelSpec.DeviceFallback.CPU)
            .help("When GPUs are asked for and none is usable: train on the CPU, or fail.")
            .cli("--device-fallback")
            .build();

    public static final Setting<ParallelSpec.ThresholdAlgorithm> THRESHOLD_ALGORITHM = Setting.choice(
                    "train.thresholdAlgorithm", ParallelSpec.ThresholdAlgorithm.class)
            .defaultValue(ParallelSpec.ThresholdAlgorithm.ADAPTIVE)
            .help("async: adaptive tunes the update threshold to send about maxSparsity of the entries; fixed"
                    + " keeps it.")
            .cli("--threshold-algorithm")
            .build();

    public static final Setting<Double> THRESHOLD = Setting.real("train.threshold")
            .optional()
            .range(Range.open(0, 1))
            .help("async: the initial (adaptive) or fixed threshold of the update encoding; DL4J's 1e-4 when"
                    + " left out.")
            .cli("--threshold")
            .build();

    public static final Setting<Double> MAX_SPARSITY = Setting.real("train.maxSparsity")
            .defaultValue(0.01)
            .range(Range.openClosed(0, 1))
            .help("async, adaptive: the largest share of update entries sent per iteration.")
            .cli("--max-sparsity")
            .sheet("Data parallel", "Largest share sent")
            .build();

    public static final Setting<Double> RESIDUAL_CLIP = Setting.real("train.residualClip")
            .defaultValue(5.0)
            .range(Range.atLeast(0))
            .help("async: clip the unsent residual to this many thresholds; 0 = off.")
            .cli("--residual-clip")
            .sheet("Data parallel", "Residual clip")
            .build();

    public static final Setting<Integer> STALL_SECONDS = Setting.integer("train.stallSeconds")
            .defaultValue(120)
            .range(Range.atLeast(1))
            .help("The hang watchdog: fail a data-parallel run when no minibatch finishes for this long"
                    + " (paused time does not count).")
            .cli("--stall-seconds")
            .build();
}
