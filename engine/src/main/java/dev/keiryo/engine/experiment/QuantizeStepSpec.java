package dev.keiryo.engine.experiment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A post-training quantization step: the weights of the previous variant (or {@code from}) become
 * N-bit codes in its packed file; biases and batch norm stay float32.
 *
 * @param mode affine (integer codes with scales), binary, ternary or codebook (k-means weight sharing)
 * @param bits 1..16 for affine, 1..8 for codebook (ignored for binary and ternary)
 * @param sparse codebook: keep zeros as zeros and code only the non-zeros (pruned models)
 * @param huffman entropy-code the codes (Deep Compression's last stage)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QuantizeStepSpec(String mode, int bits, boolean symmetric, boolean perChannel, boolean sparse, boolean huffman,
        String from) {

    @JsonCreator
    static QuantizeStepSpec of(@JsonProperty("mode") String mode, @JsonProperty("bits") Integer bits,
            @JsonProperty("symmetric") Boolean symmetric, @JsonProperty("perChannel") Boolean perChannel,
            @JsonProperty("sparse") Boolean sparse, @JsonProperty("huffman") Boolean huffman, @JsonProperty("from") String from) {
        return new QuantizeStepSpec(mode == null ? "affine" : mode, bits == null ? 8 : bits, symmetric == null || symmetric,
                perChannel == null || perChannel, sparse == null || sparse, huffman != null && huffman, from);
    }
}
