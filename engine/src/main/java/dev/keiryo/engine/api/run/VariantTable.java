package dev.keiryo.engine.api.run;

import java.util.List;
import java.util.Locale;

/** The variants as CSV, one row each with lineage and metrics: the table users export and plot. */
public final class VariantTable {
    public static final String HEADER =
            "id,parent,step,params,accuracy,loss,parameters,non_zeros,sparsity,flops_per_sample,"
                    + "file_bytes,file_encoding,bits,compression_vs_float32,latency_b1_ms,latency_large_ms,large_batch";

    private VariantTable() {}

    public static String csv(List<Variant> variants) {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        for (Variant v : variants) {
            VariantMetrics m = v.metrics();
            b.append(String.format(
                    Locale.ROOT,
                    "%s,%s,%s,\"%s\",%.4f,%.4f,%d,%d,%.4f,%d,%d,%s,%.1f,%.2f,%.3f,%.3f,%d%n",
                    v.id(),
                    v.parent() == null ? "" : v.parent(),
                    v.step(),
                    v.params().toString().replace("\"", "'"),
                    m.accuracy(),
                    m.loss(),
                    m.parameters(),
                    m.nonZeros(),
                    m.sparsity(),
                    m.flopsPerSample(),
                    m.fileBytes(),
                    m.fileEncoding(),
                    m.bits(),
                    m.compressionVsFloat32(),
                    m.latencyBatch1Ms(),
                    m.latencyLargeBatchMs(),
                    m.largeBatch()));
        }
        return b.toString();
    }
}
