package dev.keiryo.engine.bench;

import dev.keiryo.engine.api.bench.ParallelRow;
import dev.keiryo.engine.api.run.EpochRecord;
import dev.keiryo.engine.api.run.TrainOutcome;
import dev.keiryo.engine.api.run.TrainResult;
import dev.keiryo.engine.api.run.TrainState;
import dev.keiryo.engine.backend.BackendInfo;
import dev.keiryo.engine.backend.NativeSetup;
import dev.keiryo.engine.data.ArrayDataSetIterator;
import dev.keiryo.engine.data.DataBundle;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.eval.Evaluator;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.train.ParallelSettings;
import dev.keiryo.engine.train.TrainSettings;
import dev.keiryo.engine.train.Trainer;
import dev.keiryo.engine.train.Updaters;
import dev.keiryo.engine.train.parallel.ParallelEpochs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Data-parallel rows of {@code keiryo bench}: for one worker and for 2+ workers in sync and async
 * mode, training samples/s and the training time until the test accuracy first reaches a target,
 * epoch by epoch from the same initial weights; medians over rounds, the modes alternating within
 * each round so drift on a shared machine spreads over all of them.
 */
public final class ParallelBench {

    private record Round(double samplesPerSecond, double secondsToTarget, double finalAccuracy) {}

    private ParallelBench() {}

    public static List<ParallelRow> run(
            ArchitecturePreset preset,
            DataBundle data,
            int rounds,
            double target,
            int maxEpochs,
            int workers,
            int averagingFrequency,
            long seed,
            Consumer<String> progress) {
        BackendInfo backend = NativeSetup.initialize();
        List<ParallelSettings> configs = List.of(
                ParallelSettings.single(),
                ParallelSettings.sync(workers, averagingFrequency),
                ParallelSettings.async(workers));
        Map<ParallelSettings, List<Round>> results = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            for (ParallelSettings p : configs) {
                Round round = once(preset, data, p, target, maxEpochs, seed);
                results.computeIfAbsent(p, k -> new ArrayList<>()).add(round);
                progress.accept(String.format(
                        java.util.Locale.ROOT,
                        "round %d/%d %s: %.0f samples/s, %s to %.2f, final %.4f",
                        r + 1,
                        rounds,
                        p.mode().id(),
                        round.samplesPerSecond(),
                        Double.isNaN(round.secondsToTarget())
                                ? "not reached"
                                : String.format(java.util.Locale.ROOT, "%.1f s", round.secondsToTarget()),
                        target,
                        round.finalAccuracy()));
            }
        }
        List<ParallelRow> rows = new ArrayList<>();
        results.forEach((p, rs) -> {
            double[] reached = rs.stream()
                    .mapToDouble(Round::secondsToTarget)
                    .filter(Double::isFinite)
                    .toArray();
            rows.add(ParallelRow.builder()
                    .impl("keiryo")
                    .model(preset.id())
                    .mode(p.mode().id())
                    .workers(p.workers())
                    .averagingFrequency(p.averagingFrequency())
                    .rounds(rs.size())
                    .samplesPerSecond(round1(median(
                            rs.stream().mapToDouble(Round::samplesPerSecond).toArray())))
                    .secondsToTarget(reached.length == 0 ? null : Double.valueOf(round1(median(reached))))
                    .roundsReachingTarget(reached.length)
                    .targetAccuracy(target)
                    .finalAccuracy(Math.round(median(rs.stream()
                                            .mapToDouble(Round::finalAccuracy)
                                            .toArray())
                                    * 1e4)
                            / 1e4)
                    .maxEpochs(maxEpochs)
                    .batch(SpeedBench.BATCH)
                    .data(data.description())
                    .nativeBuild(backend.nativeBuild())
                    .cpuCores(backend.cpuCores())
                    .build());
        });
        return rows;
    }

    private static Round once(
            ArchitecturePreset preset, DataBundle data, ParallelSettings p, double target, int maxEpochs, long seed) {
        TrainSettings s = new TrainSettings(Updaters.ADAM, 1e-3, SpeedBench.BATCH, 1, DataType.FLOAT, 0, 0, 0, seed);
        InputShape input = new InputShape(
                data.train().channels(), data.train().height(), data.train().width());
        MultiLayerNetwork net =
                ModelFactory.build(Architecture.of(preset), input, data.train().numClasses(), s);
        Normalizer norm = Normalizer.fit(Normalizer.Kind.SCALE, data.train());
        ArrayDataSetIterator train = ArrayDataSetIterator.builder(data.train())
                .normalization(norm)
                .batchSize(SpeedBench.BATCH)
                .seed(seed)
                .imageShaped(preset.convolutional())
                .build();
        ArrayDataSetIterator test = ArrayDataSetIterator.builder(data.test())
                .normalization(norm)
                .batchSize(512)
                .shuffle(false)
                .imageShaped(preset.convolutional())
                .build();
        long n = data.train().size();
        TrainState state = TrainState.initial();
        double toTarget = Double.NaN;
        for (int e = 1; e <= maxEpochs && Double.isNaN(toTarget); e++) {
            Trainer t = p.parallel()
                    ? new Trainer(net, s.withEpochs(e), null, null, new ParallelEpochs(net, p, n))
                    : new Trainer(net, s.withEpochs(e), null, null);
            TrainResult r = t.fit(train, n, x -> Evaluator.evaluate(x, test), null, state);
            if (r.outcome() != TrainOutcome.COMPLETED) {
                break;
            }
            state = r.state();
            if (state.history().get(state.history().size() - 1).validationAccuracy() >= target) {
                toTarget = state.history().stream()
                        .mapToDouble(EpochRecord::seconds)
                        .sum();
            }
        }
        double seconds =
                state.history().stream().mapToDouble(EpochRecord::seconds).sum();
        double acc = state.history().isEmpty()
                ? Double.NaN
                : state.history().get(state.history().size() - 1).validationAccuracy();
        return new Round(state.history().size() * n / seconds, toTarget, acc);
    }

    static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
