package dev.keiryo.engine.compress.pack;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * One parameter tensor in a packed file.
 *
 * @param name DL4J's key, layer index and parameter, e.g. {@code 0_W}
 * @param shape the tensor's shape
 * @param dataType the network's parameter type (lower case, e.g. {@code float})
 * @param encoding the codec id, e.g. {@code sparse-relative-f32}
 * @param detail settings the payload records, e.g. "8-bit gaps"; empty when none
 * @param payloadBytes bytes of the encoded values alone
 * @param bytes bytes of the whole table entry (name, shape, tag, lengths and payload)
 * @param nonZeros values that are not zero
 * @param exact whether reading gives back exactly the original values (the sign of zeros aside)
 * @param maxAbsError the largest absolute difference reading introduces (0 when exact)
 */
public record TensorRow(
        String name,
        long[] shape,
        String dataType,
        String encoding,
        String detail,
        long payloadBytes,
        long bytes,
        long nonZeros,
        boolean exact,
        double maxAbsError) {

    public TensorRow {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long elements() {
        return Arrays.stream(shape).reduce(1, Math::multiplyExact);
    }

    /** "300x100" */
    public String shapeText() {
        return Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining("x"));
    }
}
