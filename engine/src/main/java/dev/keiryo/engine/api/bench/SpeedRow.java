package dev.keiryo.engine.api.bench;

/**
 * One model's speed, in the same fields as the PyTorch peer's RESULT line (shared/bench) so the
 * two can be put side by side: training samples/s after warm-up, inference samples/s at batch 512.
 */
public record SpeedRow(
        String impl,
        String model,
        String dtype,
        int batch,
        long params,
        int warmup,
        int iters,
        double trainSps,
        double inferSps,
        int inferBatch,
        String data,
        String nativeBuild,
        boolean helpersActive,
        String threads,
        String memory)
        implements BenchRow {
    /** Names each field where a result is made, rather than by its place among fifteen. */
    public static Builder builder() {
        return new Builder();
    }

    /** A field left unset is null or 0 in the RESULT line: set them all. */
    public static final class Builder {
        private String impl;
        private String model;
        private String dtype;
        private int batch;
        private long params;
        private int warmup;
        private int iters;
        private double trainSps;
        private double inferSps;
        private int inferBatch;
        private String data;
        private String nativeBuild;
        private boolean helpersActive;
        private String threads;
        private String memory;

        private Builder() {}

        public Builder impl(String impl) {
            this.impl = impl;
            return this;
        }

        public Builder model(String model) {
            this.model = model;
            return this;
        }

        public Builder dtype(String dtype) {
            this.dtype = dtype;
            return this;
        }

        public Builder batch(int batch) {
            this.batch = batch;
            return this;
        }

        public Builder params(long params) {
            this.params = params;
            return this;
        }

        public Builder warmup(int warmup) {
            this.warmup = warmup;
            return this;
        }

        public Builder iters(int iters) {
            this.iters = iters;
            return this;
        }

        public Builder trainSps(double trainSps) {
            this.trainSps = trainSps;
            return this;
        }

        public Builder inferSps(double inferSps) {
            this.inferSps = inferSps;
            return this;
        }

        public Builder inferBatch(int inferBatch) {
            this.inferBatch = inferBatch;
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

        public Builder helpersActive(boolean helpersActive) {
            this.helpersActive = helpersActive;
            return this;
        }

        public Builder threads(String threads) {
            this.threads = threads;
            return this;
        }

        public Builder memory(String memory) {
            this.memory = memory;
            return this;
        }

        public SpeedRow build() {
            return new SpeedRow(
                    impl,
                    model,
                    dtype,
                    batch,
                    params,
                    warmup,
                    iters,
                    trainSps,
                    inferSps,
                    inferBatch,
                    data,
                    nativeBuild,
                    helpersActive,
                    threads,
                    memory);
        }
    }
}
