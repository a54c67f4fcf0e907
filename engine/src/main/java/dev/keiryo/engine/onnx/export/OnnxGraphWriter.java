package dev.keiryo.engine.onnx.export;

import static dev.keiryo.engine.onnx.export.OnnxProtos.integer;
import static dev.keiryo.engine.onnx.export.OnnxProtos.ints;
import static dev.keiryo.engine.onnx.export.OnnxProtos.node;

import dev.keiryo.engine.onnx.export.ExportOp.Act;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import onnx.Onnx.GraphProto;
import onnx.Onnx.NodeProto;

/**
 * Turns {@link ExportOp}s into ONNX nodes, in float32 or as a QDQ graph. In the QDQ graph each
 * activation tensor that feeds a convolution, Gemm, pooling, add, concat or flatten gets one
 * QuantizeLinear after its producer and a DequantizeLinear per consumer; weights are int8
 * initializers behind a DequantizeLinear (per output channel, axis 0) and biases int32. That is
 * the DQ -> op -> Q shape ONNX Runtime's graph optimizer replaces by QLinearConv, QGemm,
 * QLinearAdd, QLinearGlobalAveragePool and uint8 MaxPool; a ReLU between the op and its Q is
 * dropped there, as the Q's zero point already clips at zero.
 */
final class OnnxGraphWriter {
    private static final Set<Class<?>> QUANTIZED_OPS = Set.of(
            ExportOp.Conv.class,
            ExportOp.Dense.class,
            ExportOp.Pool.class,
            ExportOp.GlobalPool.class,
            ExportOp.Elementwise.class,
            ExportOp.Concat.class,
            ExportOp.Flatten.class,
            ExportOp.Reshape.class);

    private final GraphProto.Builder g;
    private final Map<String, Int8.Range> ranges;
    private final Set<String> quantized = new HashSet<>();
    private final Map<String, Integer> dqCount = new HashMap<>();
    private final Map<String, float[]> weightScales = new HashMap<>();

    private OnnxGraphWriter(GraphProto.Builder g, Map<String, Int8.Range> ranges) {
        this.g = g;
        this.ranges = ranges;
    }

    /** Writes {@code ops} into {@code g} in float32. */
    static void writeFloat(GraphProto.Builder g, List<ExportOp> ops) {
        OnnxGraphWriter w = new OnnxGraphWriter(g, null);
        for (ExportOp op : ops) {
            w.emit(op);
        }
    }

    /** Writes {@code ops} into {@code g} as a QDQ graph with the activation ranges {@code ranges}. */
    static void writeQdq(GraphProto.Builder g, List<ExportOp> ops, Map<String, Int8.Range> ranges) {
        OnnxGraphWriter w = new OnnxGraphWriter(g, ranges);
        w.quantized.addAll(quantizedTensors(ops));
        for (String t : w.quantized) {
            if (!ranges.containsKey(t)) {
                throw new IllegalArgumentException("no calibrated range for tensor " + t);
            }
        }
        // The graph input itself may feed a quantized op directly (no normalization step).
        for (ExportOp op : ops) {
            for (String in : op.inputs()) {
                if (w.quantized.contains(in)
                        && ops.stream().noneMatch(o -> o.output().equals(in))) {
                    w.quantize(in);
                }
            }
        }
        for (ExportOp op : ops) {
            w.emit(op);
        }
    }

    /** The tensors the QDQ graph quantizes: those read by an op with an int8 kernel. */
    static Set<String> quantizedTensors(List<ExportOp> ops) {
        Set<String> out = new java.util.LinkedHashSet<>();
        for (ExportOp op : ops) {
            if (QUANTIZED_OPS.contains(op.getClass())
                    && !(op instanceof ExportOp.Elementwise e && !"Add".equals(e.onnxOp()))) {
                out.addAll(op.inputs());
            }
        }
        return out;
    }

    private void emit(ExportOp op) {
        if (op instanceof ExportOp.Conv c) {
            String[] in = {input(c.input()), weight(c.output(), c.weights(), c.shape()), bias(c)};
            g.addNode(node("Conv", c.output(), pre(c.output(), c.act()), in)
                    .addAttribute(ints("kernel_shape", (int) c.shape()[2], (int) c.shape()[3]))
                    .addAttribute(ints("strides", c.strides()))
                    .addAttribute(ints("pads", c.pads()))
                    .addAttribute(ints("dilations", c.dilations())));
            act(c.output(), c.act());
        } else if (op instanceof ExportOp.Dense d) {
            String[] in = {input(d.input()), weight(d.output(), d.weights(), new long[] {d.out(), d.in()}), bias(d)};
            g.addNode(node("Gemm", d.output(), pre(d.output(), d.act()), in).addAttribute(integer("transB", 1)));
            act(d.output(), d.act());
        } else if (op instanceof ExportOp.Pool p) {
            g.addNode(node(p.max() ? "MaxPool" : "AveragePool", p.output(), p.output(), input(p.input()))
                    .addAttribute(ints("kernel_shape", p.kernel()))
                    .addAttribute(ints("strides", p.strides()))
                    .addAttribute(ints("pads", p.pads())));
        } else if (op instanceof ExportOp.GlobalPool p) {
            g.addNode(node(p.max() ? "GlobalMaxPool" : "GlobalAveragePool", p.output(), p.output(), input(p.input())));
        } else if (op instanceof ExportOp.Elementwise e) {
            String[] ins = e.inputs().stream().map(this::input).toArray(String[]::new);
            g.addNode(node(e.onnxOp(), e.output(), pre(e.output(), e.act()), ins));
            act(e.output(), e.act());
        } else if (op instanceof ExportOp.Concat c) {
            String[] ins = c.inputs().stream().map(this::input).toArray(String[]::new);
            g.addNode(node("Concat", c.output(), c.output(), ins).addAttribute(integer("axis", 1)));
        } else if (op instanceof ExportOp.Flatten f) {
            g.addNode(node("Flatten", f.output(), f.output(), input(f.input())).addAttribute(integer("axis", 1)));
        } else if (op instanceof ExportOp.Reshape r) {
            String shape = r.output() + ".shape";
            g.addInitializer(OnnxProtos.ints64(shape, r.shape(), r.shape().length));
            g.addNode(node("Reshape", r.output(), r.output(), input(r.input()), shape));
        } else if (op instanceof ExportOp.Affine a) {
            affine(a);
        } else if (op instanceof ExportOp.Activation a) {
            g.addNode(node(a.act().onnxOp(), a.output(), a.output(), input(a.input())));
            setAlpha(a.act());
        }
        if (quantized.contains(op.output())) {
            quantize(op.output());
        }
    }

    private void affine(ExportOp.Affine a) {
        String scale = a.output() + ".scale";
        String shift = a.output() + ".shift";
        g.addInitializer(OnnxProtos.floats(scale, a.scale(), a.shape()));
        boolean shifted = false;
        for (float s : a.shift()) {
            shifted |= s != 0;
        }
        String mul = shifted ? a.output() + ".mul" : a.output();
        g.addNode(node("Mul", a.output() + ".mul", mul, input(a.input()), scale));
        if (shifted) {
            g.addInitializer(OnnxProtos.floats(shift, a.shift(), a.shape()));
            g.addNode(node("Add", a.output() + ".add", a.output(), mul, shift));
        }
    }

    /** The op's own output name when an activation follows it. */
    private static String pre(String output, Act act) {
        return act.identity() ? output : output + ".pre";
    }

    private void act(String output, Act act) {
        if (!act.identity()) {
            g.addNode(node(act.onnxOp(), output + ".act", output, output + ".pre"));
            setAlpha(act);
        }
    }

    private void setAlpha(Act act) {
        if ("LeakyRelu".equals(act.onnxOp()) || "Elu".equals(act.onnxOp())) {
            NodeProto.Builder last = g.getNodeBuilder(g.getNodeCount() - 1);
            last.addAttribute(OnnxProtos.real("alpha", act.alpha()));
        }
    }

    /** The name a consumer reads {@code tensor} by: a DequantizeLinear of its own in the QDQ graph. */
    private String input(String tensor) {
        if (!quantized.contains(tensor)) {
            return tensor;
        }
        int k = dqCount.merge(tensor, 1, Integer::sum);
        String out = tensor + ".dq" + k;
        g.addNode(node("DequantizeLinear", out, out, tensor + ".q", tensor + ".s", tensor + ".zp"));
        return out;
    }

    private void quantize(String tensor) {
        Int8.Range r = ranges.get(tensor);
        g.addInitializer(OnnxProtos.floats(tensor + ".s", new float[] {r.scale()}));
        g.addInitializer(OnnxProtos.bytes(tensor + ".zp", OnnxProtos.UINT8, new byte[] {r.zeroPoint()}));
        g.addNode(node("QuantizeLinear", tensor + ".quant", tensor + ".q", tensor, tensor + ".s", tensor + ".zp"));
    }

    private String weight(String op, float[] w, long[] shape) {
        String name = op + ".W";
        if (ranges == null) {
            g.addInitializer(OnnxProtos.floats(name, w, shape));
            return name;
        }
        Int8.Weights q = Int8.weights(w, (int) shape[0]);
        g.addInitializer(OnnxProtos.bytes(name + ".q", OnnxProtos.INT8, q.values(), shape));
        g.addInitializer(OnnxProtos.floats(name + ".s", q.scales(), shape[0]));
        g.addInitializer(OnnxProtos.bytes(name + ".zp", OnnxProtos.INT8, new byte[(int) shape[0]], shape[0]));
        g.addNode(node("DequantizeLinear", name, name, name + ".q", name + ".s", name + ".zp")
                .addAttribute(integer("axis", 0)));
        weightScales.put(op, q.scales());
        return name;
    }

    private String bias(ExportOp.Conv c) {
        return bias(c.output(), c.input(), c.bias(), (int) c.shape()[0]);
    }

    private String bias(ExportOp.Dense d) {
        return bias(d.output(), d.input(), d.bias(), d.out());
    }

    private String bias(String op, String input, float[] b, int channels) {
        String name = op + ".b";
        if (ranges == null) {
            g.addInitializer(OnnxProtos.floats(name, b == null ? new float[channels] : b, channels));
            return name;
        }
        float[] steps = new float[channels];
        int[] q = Int8.bias(b, ranges.get(input).scale(), weightScales.get(op), steps);
        g.addInitializer(OnnxProtos.ints32(name + ".q", q, channels));
        g.addInitializer(OnnxProtos.floats(name + ".s", steps, channels));
        g.addInitializer(OnnxProtos.ints32(name + ".zp", new int[channels], channels));
        g.addNode(node("DequantizeLinear", name, name, name + ".q", name + ".s", name + ".zp")
                .addAttribute(integer("axis", 0)));
        return name;
    }
}
