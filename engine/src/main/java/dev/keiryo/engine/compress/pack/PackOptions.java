package dev.keiryo.engine.compress.pack;

import java.util.Objects;

/**
 * How to write a packed model.
 *
 * @param encoding how each tensor's encoding is chosen
 * @param replace whether an existing file may be replaced; without it an existing file is never touched
 * @param keepConstraints keep layer constraints in the stored configuration. Off by default: they
 *     are training-time state (a pruning mask constraint serialises its whole mask as JSON text,
 *     a dense copy of what the sparse tensors already say) and inference never applies them
 * @param policy per-tensor codecs that override {@code encoding} (quantization); null for none
 */
public record PackOptions(EncodingChoice encoding, boolean replace, boolean keepConstraints, TensorPolicy policy) {

    public PackOptions {
        Objects.requireNonNull(encoding, "encoding");
    }

    public PackOptions(EncodingChoice encoding, boolean replace, boolean keepConstraints) {
        this(encoding, replace, keepConstraints, null);
    }

    /** Auto encoding, no overwrite, constraints stripped. */
    public static PackOptions defaults() {
        return new PackOptions(EncodingChoice.AUTO, false, false);
    }

    public PackOptions withEncoding(EncodingChoice e) {
        return new PackOptions(e, replace, keepConstraints, policy);
    }

    public PackOptions withReplace(boolean r) {
        return new PackOptions(encoding, r, keepConstraints, policy);
    }

    public PackOptions withKeepConstraints(boolean k) {
        return new PackOptions(encoding, replace, k, policy);
    }

    public PackOptions withPolicy(TensorPolicy p) {
        return new PackOptions(encoding, replace, keepConstraints, p);
    }
}
