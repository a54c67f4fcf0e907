package dev.keiryo.engine.onnx.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;
import org.nd4j.shade.protobuf.ByteString;

/**
 * The few ONNX protobuf pieces the exporter writes: tensors (raw little-endian data, as ONNX
 * stores them), nodes with attributes, and typed graph inputs and outputs. The export's own
 * helpers, separate from the importer's.
 */
final class OnnxProtos {
    static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
    static final int UINT8 = TensorProto.DataType.UINT8_VALUE;
    static final int INT8 = TensorProto.DataType.INT8_VALUE;
    static final int INT32 = TensorProto.DataType.INT32_VALUE;
    static final int INT64 = TensorProto.DataType.INT64_VALUE;

    private OnnxProtos() {}

    static TensorProto floats(String name, float[] values, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return tensor(name, FLOAT, b.array(), dims);
    }

    static TensorProto ints32(String name, int[] values, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(values);
        return tensor(name, INT32, b.array(), dims);
    }

    static TensorProto ints64(String name, long[] values, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return tensor(name, INT64, b.array(), dims);
    }

    /** Bytes of an 8-bit tensor ({@link #INT8} or {@link #UINT8}). */
    static TensorProto bytes(String name, int type, byte[] values, long... dims) {
        return tensor(name, type, values, dims);
    }

    private static TensorProto tensor(String name, int type, byte[] raw, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type);
        for (long d : dims) {
            t.addDims(d);
        }
        return t.setRawData(ByteString.copyFrom(raw)).build();
    }

    static NodeProto.Builder node(String op, String name, String output, String... inputs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addOutput(output);
        for (String in : inputs) {
            n.addInput(in);
        }
        return n;
    }

    static AttributeProto ints(String name, int... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (int v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.INT)
                .setI(value)
                .build();
    }

    static AttributeProto real(String name, float value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.FLOAT)
                .setF(value)
                .build();
    }

    /** A float tensor value; {@code dims} of -1 are named {@code N} (the batch). */
    static ValueInfoProto floatValue(String name, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(
                    d < 0
                            ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
                            : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        TypeProto.Tensor.Builder type = TypeProto.Tensor.newBuilder().setElemType(FLOAT);
        if (dims.length > 0) {
            type.setShape(shape);
        }
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder().setTensorType(type))
                .build();
    }
}
