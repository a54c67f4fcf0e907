package dev.keiryo.engine.api.run;

/**
 * What a variant costs and how well it does, all measured: accuracy and loss on the evaluation set,
 * size (parameters, non-zeros, bytes of its packed file and how the file stores it), compute
 * (FLOPs per sample) and timed inference latency (p50 at batch 1 and at a large batch).
 */
public record VariantMetrics(
        double accuracy,
        double loss,
        long evalExamples,
        long parameters,
        long nonZeros,
        long flopsPerSample,
        long fileBytes,
        String fileEncoding,
        double bits,
        double latencyBatch1Ms,
        double latencyLargeBatchMs,
        int largeBatch) {

    public double sparsity() {
        return parameters == 0 ? 0 : 1.0 - (double) nonZeros / parameters;
    }

    /** How many times smaller the file is than the float32 parameters alone. */
    public double compressionVsFloat32() {
        return fileBytes == 0 ? Double.NaN : parameters * 4.0 / fileBytes;
    }
}
