package dev.keiryo.engine.compress.pack;

import dev.keiryo.engine.api.KeiryoException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the writer picks each tensor's encoding: by itself (smallest exact one) or forced. */
public enum EncodingChoice {
    /** The smallest encoding that reproduces the tensor's float32 values bit for bit. */
    AUTO("auto"),
    DENSE("dense", Codecs.DENSE_F32),
    /** Half precision everywhere: lossy for float32 networks (the report says which tensors changed). */
    DENSE_F16("dense-f16", Codecs.DENSE_F16),
    SPARSE_BITMASK("sparse-bitmask", Codecs.SPARSE_BITMASK_F32),
    SPARSE_RELATIVE("sparse-relative", Codecs.SPARSE_RELATIVE_F32);

    private final String id;

    @SuppressWarnings("ImmutableEnumChecker") // List.of is unmodifiable and codecs hold no state
    private final List<TensorCodec> forced;

    EncodingChoice(String id, TensorCodec... forced) {
        this.id = id;
        this.forced = List.of(forced);
    }

    public String id() {
        return id;
    }

    /** The encodings to try for every tensor; exactness is only required under {@link #AUTO}. */
    List<TensorCodec> candidates() {
        return this == AUTO ? Codecs.autoCandidates() : forced;
    }

    public static EncodingChoice parse(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (EncodingChoice c : values()) {
            if (c.id.equals(n)) {
                return c;
            }
        }
        throw new KeiryoException("unknown pack encoding '" + name + "'; choose one of " + names() + ".");
    }

    public static String names() {
        return Arrays.stream(values()).map(EncodingChoice::id).collect(Collectors.joining(", "));
    }
}
