package dev.keiryo.engine.api.bench;

/** One data-parallel configuration's medians ({@code keiryo bench --parallel}); {@code secondsToTarget} is over the rounds that reached it (null if none did). */
public record ParallelRow(
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
        int cpuCores)
        implements BenchRow {
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

        public ParallelRow build() {
            return new ParallelRow(
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
