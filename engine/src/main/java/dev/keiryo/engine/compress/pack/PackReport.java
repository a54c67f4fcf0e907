package dev.keiryo.engine.compress.pack;

import java.util.List;

/**
 * What a packed file holds and what it costs. {@code totalBytes} is the file's exact size: the
 * model size Keiryo reports.
 *
 * @param totalBytes the whole file
 * @param float32Bytes the same file with every tensor stored as dense float32: the baseline for
 *     "N x smaller than float32" (it includes the same header, so the ratio compares real files)
 * @param configBytes the stored (compressed) network configuration section
 * @param metaBytes the stored (compressed) metadata section; 0 when the model has none
 * @param tensors one row per parameter tensor, in file order
 */
public record PackReport(
        long totalBytes, long float32Bytes, long configBytes, long metaBytes, List<TensorRow> tensors) {

    public PackReport {
        tensors = List.copyOf(tensors);
    }

    /** How many times smaller than dense float32; above 1 means smaller. */
    public double ratio() {
        return totalBytes == 0 ? 0 : (double) float32Bytes / totalBytes;
    }

    public long parameters() {
        return tensors.stream().mapToLong(TensorRow::elements).sum();
    }

    public long nonZeros() {
        return tensors.stream().mapToLong(TensorRow::nonZeros).sum();
    }

    /** Whether reading the file gives back every parameter exactly. */
    public boolean exact() {
        return tensors.stream().allMatch(TensorRow::exact);
    }
}
