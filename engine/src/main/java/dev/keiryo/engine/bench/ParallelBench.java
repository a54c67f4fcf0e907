package dev.keiryo.engine.bench;

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
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Data-parallel rows of {@code keiryo bench}: for one worker and for 2+ workers in sync and async
 * mode, training samples/s and the training time until the test accuracy first reaches a target,
 * epoch by epoch from the same initial weights; medians over rounds, the modes alternating within
 * each round so drift on a shared machine spreads over all of them.
 */
public final class ParallelBench {

    /** One configuration's medians; {@code secondsToTarget} is over the rounds that reached it (null if none did). */
    public record Row(
            String impl,
            String model,
            String mode,
            int workers,
            int averagingFrequency,
            int rounds,
            double samplesPerSecond,
            Double secondsToTarget,
            int roundsReachingTarget,
            double targetAccuracy,
            double finalAccuracy,
            int maxEpochs,
            int batch,
            String data,
            String nativeBuild,
            int cpuCores) {
        /** Names each field where a row is made, rather than by its place among sixteen. */
        public static Builder builder() {
            return new Builder();
        }

        /** A field left unset is null or 0 in the RESULT line: set them all (secondsToTarget is null when no round reached the target). */
        public static final class Builder {
            private String impl;
            private String model;
            private String mode;
            private int workers;
            private int averagingFrequency;
            private int rounds;
            private double samplesPerSecond;
            private Double secondsToTarget;
            private int roundsReachingTarget;
            private double targetAccuracy;
            private double finalAccuracy;
            private int maxEpochs;
            private int batch;
            private String data;
            private String nativeBuild;
            private int cpuCores;

            private Builder() {}

            public Builder impl(String impl) {
                this.impl = impl;
                return this;
            }

            public Builder model(String model) {
                this.model = model;
                return this;
            }

            public Builder mode(String mode) {
                this.mode = mode;
                return this;
            }

            public Builder workers(int workers) {
                this.workers = workers;
                return this;
            }

            public Builder averagingFrequency(int averagingFrequency) {
                this.averagingFrequency = averagingFrequency;
                return this;
            }

            public Builder rounds(int rounds) {
                this.rounds = rounds;
                return this;
            }

            public Builder samplesPerSecond(double samplesPerSecond) {
                this.samplesPerSecond = samplesPerSecond;
                return this;
            }

            public Builder secondsToTarget(Double secondsToTarget) {
                this.secondsToTarget = secondsToTarget;
                return this;
            }

            public Builder roundsReachingTarget(int roundsReachingTarget) {
                this.roundsReachingTarget = roundsReachingTarget;
                return this;
            }

            public Builder targetAccuracy(double targetAccuracy) {
                this.targetAccuracy = targetAccuracy;
                return this;
            }

            public Builder finalAccuracy(double finalAccuracy) {
                this.finalAccuracy = finalAccuracy;
                return this;
            }

            public Builder maxEpochs(int maxEpochs) {
                this.maxEpochs = maxEpochs;
                return this;
            }

            public Builder batch(int batch) {
                this.batch = batch;
                return this;
            }

            public Builder data(String data) {
                this.data = data;
                return this;
            }

            public Builder nativeBuild(String nativeBuild) {
                this.nativeBuild = nativeBuild;
                return this;
            }

            public Builder cpuCores(int cpuCores) {
                this.cpuCores = cpuCores;
                return this;
            }

            public Row build() {
                return new Row(
                        impl,
                        model,
                        mode,
                        workers,
                        averagingFrequency,
                        rounds,
                        samplesPerSecond,
                        secondsToTarget,
                        roundsReachingTarget,
                        targetAccuracy,
                        finalAccuracy,
                        maxEpochs,
                        batch,
                        data,
                        nativeBuild,
                        cpuCores);
            }
        }
    }

    private record Round(double samplesPerSecond, double secondsToTarget, double finalAccuracy) {}

    private ParallelBench() {}

    public static List<Row> run(
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
        List<Row> rows = new ArrayList<>();
        results.forEach((p, rs) -> {
            double[] reached = rs.stream()
                    .mapToDouble(Round::secondsToTarget)
                    .filter(Double::isFinite)
                    .toArray();
            rows.add(Row.builder()
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
        ComputationGraph net =
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
