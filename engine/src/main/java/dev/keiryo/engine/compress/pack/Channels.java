package dev.keiryo.engine.compress.pack;

/**
 * Per-channel indexing over row-major values: the channel of a flat index is its coordinate on
 * one axis of the shape. Quantized payloads store that axis, so decoding needs nothing else.
 */
final class Channels {
    /** Axis byte meaning "one scale for the whole tensor". */
    static final int PER_TENSOR = 0xFF;

    private Channels() {}

    static int count(long[] shape, int axis) {
        return axis == PER_TENSOR ? 1 : (int) shape[axis];
    }

    /** Channel index of every flat position, so codecs loop once instead of dividing per value. */
    static int[] of(long[] shape, int axis, int n) {
        int[] ch = new int[n];
        if (axis == PER_TENSOR) {
            return ch;
        }
        long stride = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            stride *= shape[d];
        }
        long size = shape[axis];
        for (int i = 0; i < n; i++) {
            ch[i] = (int) ((i / stride) % size);
        }
        return ch;
    }

    static void checkAxis(int axis, long[] shape, String codec) {
        if (axis != PER_TENSOR && (axis < 0 || axis >= shape.length)) {
            throw new PackFormatException(
                    codec + " channel axis " + axis + " does not exist in a rank-" + shape.length + " tensor");
        }
    }
}
