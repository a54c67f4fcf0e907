package dev.keiryo.engine.api.experiment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Accuracy against bits: one parent quantized at each bit width (1 bit = binary, otherwise
 * symmetric affine codes), per output channel and/or per tensor, post-training and optionally
 * quantization-aware, plus the float formats. Writes CSV + PNG; every quantized point is a variant.
 *
 * @param granularity {@code perChannel} and/or {@code perTensor}
 * @param qatEpochs 0 = post-training only; otherwise each point is also trained quantization-aware
 * @param formats also evaluate the parent in double, float, half and bfloat16
 * @param formatExamples test images for the float formats (16-bit floats run ~100x slower on a CPU)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QuantSweepSpec(
        List<Integer> bits,
        List<String> granularity,
        int qatEpochs,
        Double qatLearningRate,
        boolean formats,
        int formatExamples,
        String from) {

    public static final List<Integer> DEFAULT_BITS = List.of(1, 2, 3, 4, 5, 6, 8, 12, 16);

    @JsonCreator
    static QuantSweepSpec of(
            @JsonProperty("bits") List<Integer> bits,
            @JsonProperty("granularity") List<String> granularity,
            @JsonProperty("qatEpochs") Integer qatEpochs,
            @JsonProperty("qatLearningRate") Double qatLearningRate,
            @JsonProperty("formats") Boolean formats,
            @JsonProperty("formatExamples") Integer formatExamples,
            @JsonProperty("from") String from) {
        return new QuantSweepSpec(
                bits == null ? DEFAULT_BITS : bits,
                granularity == null ? List.of("perChannel", "perTensor") : granularity,
                qatEpochs == null ? QuantizationSettings.QAT_EPOCHS.defaultValue() : qatEpochs,
                qatLearningRate,
                formats == null ? QuantizationSettings.FORMATS.defaultValue() : formats,
                formatExamples == null ? QuantizationSettings.FORMAT_EXAMPLES.defaultValue() : formatExamples,
                from);
    }
}
