package dev.keiryo.engine.api.run;

import dev.keiryo.engine.api.model.ModelStats;
import java.nio.file.Path;
import java.util.List;

/** What a training job produced; also written to the run folder as summary.json. */
public record RunResult(
        Path runDir,
        TrainResult training,
        EvalResult test,
        List<LatencyStats> latency,
        ModelStats model,
        Path modelFile,
        String data,
        List<Variant> variants) {}
