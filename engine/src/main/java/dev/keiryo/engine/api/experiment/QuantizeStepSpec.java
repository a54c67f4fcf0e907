package dev.keiryo.engine.api.experiment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A post-training quantization step: the weights of the previous variant (or {@code from}) become
 * N-bit codes in its packed file; biases and batch norm stay float32.
 *
 * @param mode affine (integer codes with scales), binary, ternary or codebook (k-means weight sharing)
 * @param bits 1..16 for affine, 1..8 for codebook (ignored for binary and ternary)
 * @param sparse keep a pruned model's zeros cheap: codebook codes only the non-zeros; affine, binary and
 *     ternary codes of up to 8 bits are entropy-coded wherever that makes the file smaller
 * @param huffman entropy-code the codes (Deep Compression's last stage)
 * @param qatEpochs quantization-aware training: fine-tune this many epochs with the quantized weights
 *     in the forward pass (straight-through estimator) before freezing the codes; 0 = post-training only
 * @param qatLearningRate the fine-tuning learning rate; null = the training rate, as for pruning fine-tunes
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QuantizeStepSpec(
        String mode,
        int bits,
        boolean symmetric,
        boolean perChannel,
        boolean sparse,
        boolean huffman,
        int qatEpochs,
        Double qatLearningRate,
        String from) {

    /** Post-training quantization only. */
    public QuantizeStepSpec(
            String mode,
            int bits,
            boolean symmetric,
            boolean perChannel,
            boolean sparse,
            boolean huffman,
            String from) {
        this(mode, bits, symmetric, perChannel, sparse, huffman, 0, null, from);
    }

    @JsonCreator
    static QuantizeStepSpec of(
            @JsonProperty("mode") String mode,
            @JsonProperty("bits") Integer bits,
            @JsonProperty("symmetric") Boolean symmetric,
            @JsonProperty("perChannel") Boolean perChannel,
            @JsonProperty("sparse") Boolean sparse,
            @JsonProperty("huffman") Boolean huffman,
            @JsonProperty("qatEpochs") Integer qatEpochs,
            @JsonProperty("qatLearningRate") Double qatLearningRate,
            @JsonProperty("from") String from) {
        return new QuantizeStepSpec(
                mode == null ? QuantizationSettings.MODE.defaultValue() : mode,
                bits == null ? QuantizationSettings.BITS.defaultValue() : bits,
                symmetric == null ? QuantizationSettings.SYMMETRIC.defaultValue() : symmetric,
                perChannel == null ? QuantizationSettings.PER_CHANNEL.defaultValue() : perChannel,
                sparse == null ? QuantizationSettings.SPARSE.defaultValue() : sparse,
                huffman == null ? QuantizationSettings.HUFFMAN.defaultValue() : huffman,
                qatEpochs == null ? QuantizationSettings.QAT_EPOCHS.defaultValue() : qatEpochs,
                qatLearningRate,
                from);
    }
}
