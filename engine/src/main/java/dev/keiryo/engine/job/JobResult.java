package dev.keiryo.engine.job;

import dev.keiryo.engine.api.model.ModelStats;
import dev.keiryo.engine.api.run.EvalResult;
import dev.keiryo.engine.api.run.Variant;
import dev.keiryo.engine.eval.LatencyStats;
import dev.keiryo.engine.train.TrainResult;
import java.nio.file.Path;
import java.util.List;

/** What a training job produced; also written to the run folder as summary.json. */
public record JobResult(
        Path runDir,
        TrainResult training,
        EvalResult test,
        List<LatencyStats> latency,
        ModelStats model,
        Path modelFile,
        String data,
        List<Variant> variants) {}
