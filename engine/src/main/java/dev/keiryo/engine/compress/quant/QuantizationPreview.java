package dev.keiryo.engine.compress.quant;

import dev.keiryo.engine.compress.pack.PackOptions;
import dev.keiryo.engine.compress.pack.PackWriter;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.preview.LatestWins;
import dev.keiryo.engine.preview.PreviewSubset;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Answers "what if I quantized like this?" for the workbench's bit-width control: accuracy on a
 * validation subset and the exact size of the packed file, computed on a copy of the network so
 * the model itself is untouched. Requests go through {@link LatestWins}; results are cached per
 * setting, because a bit-width control has few positions and users go back and forth over them.
 */
public final class QuantizationPreview implements AutoCloseable {
    private final KeiryoModel model;
    private final PreviewSubset subset;
    private final LatestWins<QuantSpec, Result> worker;
    private final Map<QuantSpec, Result> cache = new HashMap<>();
    private final long float32FileBytes;

    /**
     * @param fileBytes the exact size of the packed file this setting produces
     * @param float32FileBytes the size of the same model's unquantized packed file
     */
    public record Result(QuantSpec spec, double accuracy, int examples, long fileBytes, long float32FileBytes, double millis) {
        /** How many times smaller than the unquantized file. */
        public double ratio() {
            return (double) float32FileBytes / fileBytes;
        }
    }

    public QuantizationPreview(KeiryoModel model, Dataset validation, int examples) {
        MultiLayerNetwork copy = model.net().clone();
        this.model = new KeiryoModel(copy, model.meta());
        this.subset = new PreviewSubset(validation, model.meta(), examples);
        this.float32FileBytes = PackWriter.measure(this.model, PackOptions.defaults()).totalBytes();
        this.worker = new LatestWins<>("keiryo-quantize-preview", this::evaluate);
    }

    /** Computes in the background; superseded requests are dropped, results arrive on the worker thread. */
    public void submit(QuantSpec spec, Consumer<Result> onResult, Consumer<Throwable> onError) {
        worker.submit(spec, onResult, onError);
    }

    /** Computes now, on the caller's thread; null if {@code superseded} turned true meanwhile. */
    public synchronized Result evaluate(QuantSpec spec, BooleanSupplier superseded) {
        Result cached = cache.get(spec);
        if (cached != null) {
            return cached;
        }
        long start = System.nanoTime();
        MultiLayerNetwork q = Quantizer.quantize(model.net(), spec);
        if (superseded.getAsBoolean()) {
            return null;
        }
        double accuracy = subset.accuracy(q, superseded);
        if (Double.isNaN(accuracy)) {
            return null;
        }
        // The file is packed from the float model with the spec's codecs, as the quantize step writes it.
        long bytes = PackWriter.measure(model, Quantizer.packOptions(PackOptions.defaults(), spec)).totalBytes();
        Result r = new Result(spec, accuracy, subset.size(), bytes, float32FileBytes, (System.nanoTime() - start) / 1e6);
        cache.put(spec, r);
        return r;
    }

    @Override
    public void close() {
        worker.close();
    }
}
