package dev.keiryo.engine.onnx.export;

import java.util.List;

/**
 * One step of a network as ONNX sees it, read off a Keiryo graph by {@link GraphLowering}. The float
 * and the int8 writers both turn these into nodes, so the two exports compute the same network.
 * Tensors are named by the vertex that produces them; {@code act} is the activation that follows
 * the step directly, kept with it so that the int8 writer quantizes what the activation gives.
 */
sealed interface ExportOp {
    String output();

    List<String> inputs();

    /** A convolution, weights {@code [out, in, kH, kW]} in row-major order; pads are ONNX's {@code [top, left, bottom, right]}. */
    record Conv(
            String output,
            String input,
            float[] weights,
            long[] shape,
            float[] bias,
            int[] strides,
            int[] pads,
            int[] dilations,
            Act act)
            implements ExportOp {
        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** A fully connected layer, weights {@code [out, in]} in row-major order (ONNX Gemm with transB). */
    record Dense(String output, String input, float[] weights, int in, int out, float[] bias, Act act)
            implements ExportOp {
        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** Max or average pooling over windows; pads as for {@link Conv}. */
    record Pool(String output, String input, boolean max, int[] kernel, int[] strides, int[] pads) implements ExportOp {
        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** Global max or average pooling to {@code [N, C, 1, 1]}. */
    record GlobalPool(String output, String input, boolean max) implements ExportOp {
        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** An element-wise sum, difference, product or maximum of the inputs, then {@code act}. */
    record Elementwise(String output, List<String> inputs, String onnxOp, Act act) implements ExportOp {}

    /** Concatenation along the channels (DL4J's merge vertex). */
    record Concat(String output, List<String> inputs) implements ExportOp {}

    /** {@code [N, C, H, W]} to {@code [N, C*H*W]} in C, H, W order, as DL4J's CnnToFeedForward preprocessor. */
    record Flatten(String output, String input) implements ExportOp {
        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** {@code [N, C*H*W]} to {@code [N, C, H, W]}, as DL4J's FeedForwardToCnn preprocessor. */
    record Reshape(String output, String input, long[] shape) implements ExportOp {
        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /**
     * {@code (x - shift) * scale}, broadcast over {@code shape} (per channel as {@code [C, 1, 1]},
     * per feature, or a scalar): the input normalization and batch norms that could not be folded.
     */
    record Affine(String output, String input, float[] shift, float[] scale, long[] shape) implements ExportOp {
        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** An activation on its own (a DL4J activation layer that could not join the step before it). */
    record Activation(String output, String input, Act act) implements ExportOp {
        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** An activation function as ONNX has it; {@code alpha} for leaky ReLU and ELU. */
    record Act(String onnxOp, float alpha) {
        static final Act IDENTITY = new Act("Identity", 0);
        static final Act RELU = new Act("Relu", 0);

        boolean identity() {
            return "Identity".equals(onnxOp);
        }
    }
}
