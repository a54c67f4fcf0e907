package dev.keiryo.engine.onnx;

import dev.keiryo.engine.api.KeiryoException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import onnx.Onnx;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.protobuf.InvalidProtocolBufferException;

/**
 * Reading ONNX's protobuf messages (ND4J's bundled {@code onnx.Onnx} classes): the model file with a
 * sentence for each way it can be unreadable, tensors as arrays, and node attributes with their
 * defaults.
 */
public final class OnnxProtos {
    /** ONNX's TensorProto data types that weights and shapes come in. */
    static final int FLOAT = 1;

    static final int INT64 = 7;
    static final int INT32 = 6;
    static final int DOUBLE = 11;

    private OnnxProtos() {}

    /**
     * The model in {@code file}.
     *
     * @throws KeiryoException naming the file when it is missing, cut short or not an ONNX model
     */
    public static Onnx.ModelProto read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new KeiryoException("ONNX file " + file + " does not exist; give the path of a .onnx model.", e);
        } catch (IOException e) {
            throw new KeiryoException("ONNX file " + file + " cannot be read (" + e.getMessage() + ").", e);
        }
        Onnx.ModelProto model;
        try {
            model = Onnx.ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new KeiryoException(
                    "ONNX file " + file + " is not a readable ONNX model (" + e.getMessage()
                            + "); it may be cut short or not be ONNX at all: export it again.",
                    e);
        }
        // Protobuf parses many non-ONNX byte strings as a message with unknown fields: a model has
        // an IR version and a graph with nodes, or it is no model.
        if (model.getIrVersion() <= 0 || !model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw new KeiryoException("ONNX file " + file + " holds no ONNX model (no IR version or no graph);"
                    + " give a model exported with torch.onnx.export or another ONNX exporter.");
        }
        return model;
    }

    /** The tensor's values as float32, in its own (row-major) order and shape. */
    static INDArray floats(Onnx.TensorProto t, String what) {
        long[] shape = dims(t);
        ByteBuffer raw = raw(t, what);
        int n = declared(t, what, raw);
        float[] v = new float[n];
        switch (t.getDataType()) {
            case FLOAT -> {
                if (raw != null) {
                    raw.asFloatBuffer().get(v);
                } else {
                    for (int i = 0; i < n; i++) {
                        v[i] = t.getFloatData(i);
                    }
                }
            }
            case DOUBLE -> {
                for (int i = 0; i < n; i++) {
                    v[i] = (float) (raw != null ? raw.getDouble(i * 8) : t.getDoubleData(i));
                }
            }
            case INT64, INT32 -> {
                long[] l = longs(t, what);
                for (int i = 0; i < n; i++) {
                    v[i] = l[i];
                }
            }
            default ->
                throw new KeiryoException(what + " holds " + typeName(t.getDataType())
                        + " values; Keiryo imports float32 weights (export the model in float32).");
        }
        return shape.length == 0
                ? Nd4j.scalar(v[0])
                : Nd4j.create(v, shape, 'c').castTo(DataType.FLOAT);
    }

    /** The tensor's values as integers, for shapes, axes and clip bounds given as tensors. */
    static long[] longs(Onnx.TensorProto t, String what) {
        ByteBuffer raw = raw(t, what);
        int n = declared(t, what, raw);
        long[] v = new long[n];
        switch (t.getDataType()) {
            case INT64 -> {
                for (int i = 0; i < n; i++) {
                    v[i] = raw != null ? raw.getLong(i * 8) : t.getInt64Data(i);
                }
            }
            case INT32 -> {
                for (int i = 0; i < n; i++) {
                    v[i] = raw != null ? raw.getInt(i * 4) : t.getInt32Data(i);
                }
            }
            case FLOAT, DOUBLE -> {
                float[] f = floats(t, what).data().asFloat();
                for (int i = 0; i < n; i++) {
                    v[i] = (long) f[i];
                }
            }
            default ->
                throw new KeiryoException(
                        what + " holds " + typeName(t.getDataType()) + " values where integers were expected.");
        }
        return v;
    }

    /**
     * The number of values the tensor's shape declares, once it is known that the tensor holds that
     * many: a damaged or crafted shape must not make Keiryo allocate more than the file holds.
     */
    private static int declared(Onnx.TensorProto t, String what, ByteBuffer raw) {
        long n = 1;
        for (long d : dims(t)) {
            if (d < 0 || (d > 0 && n > Integer.MAX_VALUE / d)) {
                throw damaged(t, what, "declares the shape " + java.util.Arrays.toString(dims(t)));
            }
            n *= d;
        }
        Onnx.TensorProto.DataType type = Onnx.TensorProto.DataType.forNumber(t.getDataType());
        int width;
        int typed;
        if (type == null) {
            return (int) n; // the caller names the unknown type
        }
        switch (type) {
            case FLOAT -> {
                width = 4;
                typed = t.getFloatDataCount();
            }
            case DOUBLE -> {
                width = 8;
                typed = t.getDoubleDataCount();
            }
            case INT64 -> {
                width = 8;
                typed = t.getInt64DataCount();
            }
            case INT32 -> {
                width = 4;
                typed = t.getInt32DataCount();
            }
            default -> {
                return (int) n;
            }
        }
        long held = raw != null ? raw.remaining() / width : typed;
        if (held != n || (raw != null && raw.remaining() % width != 0)) {
            throw damaged(t, what, "declares " + n + " values but holds " + held);
        }
        return (int) n;
    }

    private static KeiryoException damaged(Onnx.TensorProto t, String what, String detail) {
        return new KeiryoException(what + " (" + t.getName() + ") " + detail
                + "; the file is damaged or cut short: export the model again.");
    }

    private static ByteBuffer raw(Onnx.TensorProto t, String what) {
        if (t.getDataLocation() == Onnx.TensorProto.DataLocation.EXTERNAL) {
            throw new KeiryoException(what + " keeps its data in an external file, which"
                    + " Keiryo does not read; export the model with its weights inside (models under 2 GB).");
        }
        return t.getRawData().isEmpty()
                ? null
                : t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    static long[] dims(Onnx.TensorProto t) {
        long[] d = new long[t.getDimsCount()];
        for (int i = 0; i < d.length; i++) {
            d[i] = t.getDims(i);
        }
        return d;
    }

    static String typeName(int dataType) {
        Onnx.TensorProto.DataType d = Onnx.TensorProto.DataType.forNumber(dataType);
        return d == null ? "data type " + dataType : d.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The node's attribute by name, or null. */
    static Onnx.AttributeProto attribute(Onnx.NodeProto node, String name) {
        for (Onnx.AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        return null;
    }

    static long intAttr(Onnx.NodeProto node, String name, long fallback) {
        Onnx.AttributeProto a = attribute(node, name);
        return a == null ? fallback : a.getI();
    }

    static float floatAttr(Onnx.NodeProto node, String name, float fallback) {
        Onnx.AttributeProto a = attribute(node, name);
        return a == null ? fallback : a.getF();
    }

    static String stringAttr(Onnx.NodeProto node, String name, String fallback) {
        Onnx.AttributeProto a = attribute(node, name);
        return a == null ? fallback : a.getS().toStringUtf8();
    }

    /** An integer list attribute, or {@code fallback} when the node has none. */
    static long[] intsAttr(Onnx.NodeProto node, String name, long[] fallback) {
        Onnx.AttributeProto a = attribute(node, name);
        if (a == null) {
            return fallback;
        }
        List<Long> l = new ArrayList<>(a.getIntsList());
        long[] v = new long[l.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = l.get(i);
        }
        return v;
    }

    /** The shape a graph input or output declares; a dimension with a name (a symbolic batch size) is -1. */
    static long[] shape(Onnx.ValueInfoProto v) {
        Onnx.TensorShapeProto s = v.getType().getTensorType().getShape();
        long[] d = new long[s.getDimCount()];
        for (int i = 0; i < d.length; i++) {
            Onnx.TensorShapeProto.Dimension dim = s.getDim(i);
            d[i] = dim.hasDimValue() ? dim.getDimValue() : -1;
        }
        return d;
    }
}
