package dev.keiryo.engine.onnx.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.model.BatchNormFolding;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.StringStringEntryProto;

/**
 * A Keiryo model as the ONNX graph it exports to: its normalization as the first step (so the file
 * takes raw inputs, as Keiryo's data sources give them), then the layers with batch norm folded,
 * ending in the softmax probabilities. Writes the float32 or the QDQ model of it.
 */
public final class OnnxNetwork {
    /** The graph input's name: raw values, {@code [N, C, H, W]} for images, {@code [N, features]} otherwise. */
    public static final String INPUT = "input";
    /** The metadata key holding the model's {@link ModelMeta} as JSON. */
    public static final String META_KEY = "keiryo.model";
    /** The metadata key saying "float32" or "int8". */
    public static final String FORMAT_KEY = "keiryo.format";
    /** The metadata key saying where the normalization is ("in-graph": the input is raw). */
    public static final String NORMALIZATION_KEY = "keiryo.normalization";

    static final int OPSET = 13;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<ExportOp> ops;
    private final long[] inputDims;
    private final String output;
    private final ModelMeta meta;

    private OnnxNetwork(List<ExportOp> ops, long[] inputDims, String output, ModelMeta meta) {
        this.ops = ops;
        this.inputDims = inputDims;
        this.output = output;
        this.meta = meta;
    }

    /**
     * Reads {@code model}'s graph; {@code source} names it in error sentences.
     *
     * @throws dev.keiryo.engine.api.KeiryoException when it has no Keiryo metadata or a vertex kind
     *     the export does not know
     */
    public static OnnxNetwork of(KeiryoModel model, String source) {
        ModelMeta meta = model.meta();
        if (meta == null) {
            throw new KeiryoException("model " + source + " has no Keiryo metadata (input shape, normalization),"
                    + " so its ONNX input cannot be described; export a model saved by 'keiryo train'.");
        }
        InputShape in = meta.input();
        boolean image = meta.imageShaped() && in.isImage();
        long[] dims = image ? new long[] {-1, in.channels(), in.height(), in.width()} : new long[] {-1, in.size()};
        List<ExportOp> ops = new ArrayList<>();
        String first = INPUT;
        ExportOp.Affine norm = normalization(meta.normalization(), in, image);
        if (norm != null) {
            ops.add(norm);
            first = norm.output();
        }
        ops.addAll(GraphLowering.lower(
                BatchNormFolding.fold(model.net()), in.toInputType(meta.imageShaped()), first, source));
        return new OnnxNetwork(List.copyOf(ops), dims, ops.get(ops.size() - 1).output(), meta);
    }

    /** The normalization as {@code x * scale + shift}, or null when there is none. */
    private static ExportOp.Affine normalization(Normalizer n, InputShape in, boolean image) {
        if (n == null || n.kind() == Normalizer.Kind.NONE) {
            return null;
        }
        String out = INPUT + ".normalized";
        return switch (n.kind()) {
            case SCALE ->
                new ExportOp.Affine(out, INPUT, new float[] {0f}, new float[] {1f / n.divisor()}, new long[0]);
            case STANDARDIZE -> {
                float[] scale = new float[n.mean().length];
                float[] shift = new float[scale.length];
                for (int i = 0; i < scale.length; i++) {
                    scale[i] = 1f / n.std()[i];
                    shift[i] = -n.mean()[i] * scale[i];
                }
                long[] shape = image ? new long[] {in.channels(), in.height(), in.width()} : new long[] {scale.length};
                yield new ExportOp.Affine(out, INPUT, shift, scale, shape);
            }
            case PER_CHANNEL -> {
                int c = n.mean().length;
                int plane = image ? 1 : n.plane();
                float[] scale = new float[c * plane];
                float[] shift = new float[c * plane];
                for (int i = 0; i < scale.length; i++) {
                    scale[i] = 1f / n.std()[i / plane];
                    shift[i] = -n.mean()[i / plane] * scale[i];
                }
                long[] shape = image ? new long[] {c, 1, 1} : new long[] {scale.length};
                yield new ExportOp.Affine(out, INPUT, shift, scale, shape);
            }
            case NONE -> null;
        };
    }

    public ModelMeta meta() {
        return meta;
    }

    /** The input's shape with the batch first ({@code -1}: any batch). */
    public long[] inputDims() {
        return inputDims.clone();
    }

    List<ExportOp> ops() {
        return ops;
    }

    /** The float32 model; {@code extraOutputs} are inner tensors to output too (for calibration). */
    public ModelProto floatModel(List<String> extraOutputs) {
        GraphProto.Builder g = graph();
        OnnxGraphWriter.writeFloat(g, ops);
        for (String t : extraOutputs) {
            g.addOutput(OnnxProtos.floatValue(t));
        }
        return model(g, "float32");
    }

    /** The QDQ int8 model with the calibrated activation ranges. */
    ModelProto int8Model(Map<String, Int8.Range> ranges) {
        GraphProto.Builder g = graph();
        OnnxGraphWriter.writeQdq(g, ops, ranges);
        return model(g, "int8");
    }

    private GraphProto.Builder graph() {
        return GraphProto.newBuilder()
                .setName(meta.preset() == null ? "keiryo" : meta.preset())
                .addInput(OnnxProtos.floatValue(INPUT, inputDims))
                .addOutput(OnnxProtos.floatValue(output, -1, meta.numClasses()));
    }

    private ModelProto model(GraphProto.Builder g, String format) {
        String metaJson;
        try {
            metaJson = JSON.writeValueAsString(meta);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("model metadata cannot be written as JSON", e);
        }
        return ModelProto.newBuilder()
                .setIrVersion(8)
                .setProducerName("Keiryo")
                .setDocString("Class probabilities (softmax) for raw inputs; the normalization is in the graph.")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(g)
                .addMetadataProps(entry(META_KEY, metaJson))
                .addMetadataProps(entry(FORMAT_KEY, format))
                .addMetadataProps(entry(NORMALIZATION_KEY, "in-graph"))
                .build();
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }
}
