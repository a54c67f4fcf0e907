package dev.keiryo.engine.compress.quant;

import dev.keiryo.engine.api.compress.QuantPreviewResult;
import dev.keiryo.engine.api.compress.QuantSpec;
import dev.keiryo.engine.compress.pack.PackOptions;
import dev.keiryo.engine.compress.pack.PackReport;
import dev.keiryo.engine.compress.pack.PackWriter;
import dev.keiryo.engine.compress.pack.TensorCodec;
import dev.keiryo.engine.compress.pack.TensorPolicy;
import dev.keiryo.engine.compress.pack.TensorRow;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.model.BatchNormFolding;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.Layers;
import dev.keiryo.engine.preview.LatestWins;
import dev.keiryo.engine.preview.LeanForward;
import dev.keiryo.engine.preview.PreviewSubset;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Answers "what if I quantized like this?" for the GUI's bit-width control: accuracy on a validation
 * subset and the exact packed file size, without changing the model. Each tensor is encoded once;
 * the decoded values go into a private copy of the network and the payload length into the size,
 * since a packed file differs from the unquantized one only in its tensors' payloads. Results are
 * cached per setting: a bit-width control has few positions and users go back and forth over them.
 */
public final class QuantizationPreview implements AutoCloseable {
    private final ComputationGraph source;
    private final ComputationGraph scratch;
    private final Map<String, float[]> floats = new HashMap<>();
    private final Map<String, Long> basePayload = new HashMap<>();
    private final long baseBytes;
    private final long float32Bytes;
    private final PreviewSubset subset;
    private final LeanForward lean;
    private final LatestWins<QuantSpec, QuantPreviewResult> worker;
    private final Map<QuantSpec, QuantPreviewResult> cache = new HashMap<>();

    public QuantizationPreview(KeiryoModel model, Dataset validation, int examples) {
        // as Quantizer does: batch norm folded first, so the preview quantizes what the step will
        this.source = BatchNormFolding.fold(model.net());
        this.scratch = source.clone();
        PackReport base = PackWriter.measure(new KeiryoModel(source, model.meta()), PackOptions.defaults());
        this.baseBytes = base.totalBytes();
        this.float32Bytes = base.float32Bytes();
        for (TensorRow r : base.tensors()) {
            basePayload.put(r.name(), r.payloadBytes());
        }
        for (int i = 0; i < Layers.count(source); i++) {
            for (Map.Entry<String, INDArray> e :
                    Layers.at(source, i).paramTable().entrySet()) {
                INDArray p = e.getValue();
                floats.put(
                        Layers.names(source).get(i) + "_" + e.getKey(),
                        Nd4j.toFlattened('c', p)
                                .castTo(DataType.FLOAT)
                                .reshape(p.length())
                                .toFloatVector());
            }
        }
        this.subset = new PreviewSubset(validation, model.meta(), examples);
        // The weights are read on every pass, so one lean pass serves every setting.
        this.lean = LeanForward.of(scratch).orElse(null);
        warmUp();
        this.worker = new LatestWins<>("keiryo-quant-preview", this::evaluate);
    }

    /**
     * Runs what every preview runs once, here, while the caller is still preparing: the codec's
     * loops (interpreted until the JIT has seen them) and the network's first pass over the subset
     * (native kernels are set up for its shapes then). Otherwise the first preview the user asks
     * for, the default setting's, pays for both and takes many times as long as the next ones.
     */
    private void warmUp() {
        TensorPolicy policy = Quantizer.policy(QuantSpec.affine(8));
        for (int i = 0; i < Layers.count(source); i++) {
            for (Map.Entry<String, INDArray> e :
                    Layers.at(source, i).paramTable().entrySet()) {
                TensorCodec codec = policy.codecFor(i, e.getKey(), e.getValue().shape());
                if (codec != null) {
                    float[] values = floats.get(Layers.names(source).get(i) + "_" + e.getKey());
                    byte[] payload = codec.encode(values, e.getValue().shape());
                    codec.decode(
                            ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN),
                            e.getValue().shape());
                }
            }
        }
        subset.accuracy(scratch, lean, () -> false);
    }

    /** Computes in the background; superseded requests are dropped, results arrive on the worker thread. */
    public void submit(QuantSpec spec, Consumer<QuantPreviewResult> onResult, Consumer<Throwable> onError) {
        worker.submit(spec, onResult, onError);
    }

    /**
     * Computes now, on the caller's thread; returns null if {@code superseded} turned true meanwhile.
     *
     * @throws dev.keiryo.engine.api.KeiryoException if a tensor cannot take the spec (e.g. per-channel on biases)
     */
    public synchronized QuantPreviewResult evaluate(QuantSpec spec, BooleanSupplier superseded) {
        QuantPreviewResult cached = cache.get(spec);
        if (cached != null) {
            return cached;
        }
        long start = System.nanoTime();
        TensorPolicy policy = Quantizer.policy(spec);
        Quantizer.check(source, spec);
        long bytes = baseBytes;
        for (int i = 0; i < Layers.count(source); i++) {
            for (Map.Entry<String, INDArray> e :
                    Layers.at(scratch, i).paramTable().entrySet()) {
                String name = Layers.names(source).get(i) + "_" + e.getKey();
                INDArray p = e.getValue();
                float[] values = floats.get(name);
                List<TensorCodec> codecs = policy.candidatesFor(i, e.getKey(), p.shape(), values);
                if (!codecs.isEmpty()) {
                    // as the writer does: the smallest candidate's payload; all decode alike
                    byte[] payload = codecs.get(0).encode(values, p.shape());
                    long smallest = payload.length;
                    for (TensorCodec other : codecs.subList(1, codecs.size())) {
                        smallest = Math.min(smallest, other.encode(values, p.shape()).length);
                    }
                    bytes += smallest - basePayload.get(name);
                    values = codecs.get(0).decode(ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN), p.shape());
                }
                p.assign(Nd4j.create(values, p.shape(), 'c').castTo(p.dataType()));
            }
            if (superseded.getAsBoolean()) {
                return null;
            }
        }
        double accuracy = subset.accuracy(scratch, lean, superseded);
        if (Double.isNaN(accuracy)) {
            return null;
        }
        QuantPreviewResult r = new QuantPreviewResult(
                spec, accuracy, subset.size(), bytes, float32Bytes, (System.nanoTime() - start) / 1e6);
        cache.put(spec, r);
        return r;
    }

    @Override
    public void close() {
        worker.close();
    }
}
