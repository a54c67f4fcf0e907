package dev.keiryo.engine.compress.pack;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The fixed numbers of the {@code .kpack} layout (see docs/kpack.md). Kept in one place so
 * the writer, the reader and the format document cannot drift apart silently.
 */
final class PackFormat {
    static final byte[] MAGIC = "KEIRYOPK".getBytes(StandardCharsets.US_ASCII);
    /** Bumped whenever a reader of the previous version could misread a new file. */
    static final int VERSION = 2;

    /** Configuration and metadata sections are zlib streams behind their uncompressed length. */
    static final int FLAG_TEXT_DEFLATED = 1;
    /** Informational: layer constraints (training-time state such as pruning masks) were removed. */
    static final int FLAG_CONSTRAINTS_STRIPPED = 1 << 1;

    /**
     * The configuration is a graph (DL4J's ComputationGraphConfiguration) and each tensor row's key
     * is the parameter's full name ({@code vertex_key}); without it (version 1 files) the
     * configuration is a layer list and the name is {@code layer + "_" + key}.
     */
    static final int FLAG_GRAPH = 1 << 2;

    static final int KNOWN_FLAGS = FLAG_TEXT_DEFLATED | FLAG_CONSTRAINTS_STRIPPED | FLAG_GRAPH;

    /** magic 8, version 2, flags 2, three u64 section lengths, u32 CRC32 of the preceding 36 bytes. */
    static final int PREAMBLE_BYTES = 8 + 2 + 2 + 3 * 8 + 4;

    static final int CHECKSUM_BYTES = 4;

    /** Section names in file order, as error messages and the format document call them. */
    static final List<String> SECTIONS = List.of("configuration section", "metadata section", "tensor table");

    private PackFormat() {}

    /** The original parameter type, recorded so a reader can tell whether float32 storage was exact. */
    @SuppressWarnings("deprecation") // FLOAT16 is only an alias field of the HALF constant, not a case of its own
    static int dtypeCode(DataType t) {
        return switch (t) {
            case FLOAT -> 1;
            case DOUBLE -> 2;
            case HALF -> 3;
            case BFLOAT16 -> 4;
            default -> throw new IllegalArgumentException("parameters of type " + t + " cannot be packed");
        };
    }

    @SuppressWarnings("deprecation") // see dtypeCode
    static DataType dtype(int code) {
        return switch (code) {
            case 1 -> DataType.FLOAT;
            case 2 -> DataType.DOUBLE;
            case 3 -> DataType.HALF;
            case 4 -> DataType.BFLOAT16;
            default -> throw new PackFormatException("unknown parameter data type code " + code);
        };
    }
}
