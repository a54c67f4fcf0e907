package dev.keiryo.engine.api.experiment;

import dev.keiryo.engine.api.settings.Range;
import dev.keiryo.engine.api.settings.Setting;

/** The fields of the {@code quantize} and {@code quantSweep} steps. */
public final class QuantizationSettings {
    private QuantizationSettings() {}

    public static final Setting<String> MODE = Setting.text("quantize.mode")
            .defaultValue("affine")
            .oneOf("affine", "binary", "ternary", "codebook", "half")
            .help("affine: integer codes with scales; binary: 1 bit; ternary: -a, 0, +a; codebook: k-means weight"
                    + " sharing; half: IEEE 16-bit floats.")
            .cli("--mode")
            .build();

    public static final Setting<Integer> BITS = Setting.integer("quantize.bits")
            .defaultValue(8)
            .range(Range.closed(1, 16))
            .help("affine: 2..16 bits (1 with symmetric: false); codebook: 1..8; binary, ternary and half set"
                    + " their own.")
            .cli("--bits")
            .build();

    public static final Setting<Boolean> SYMMETRIC = Setting.flag("quantize.symmetric")
            .defaultValue(true)
            .help("affine: codes centred on zero (no zero points) instead of covering [min, max].")
            .cli("--asymmetric")
            .build();

    public static final Setting<Boolean> PER_CHANNEL = Setting.flag("quantize.perChannel")
            .defaultValue(true)
            .help("affine, binary, ternary: one scale per output channel instead of one per tensor.")
            .cli("--per-tensor")
            .build();

    public static final Setting<Boolean> SPARSE = Setting.flag("quantize.sparse")
            .defaultValue(true)
            .help("keep a pruned model's zeros cheap: codebook codes only the non-zeros; affine, binary and"
                    + " ternary codes of up to 8 bits are entropy-coded wherever that makes the file smaller.")
            .cli("--dense-codes")
            .build();

    public static final Setting<Boolean> HUFFMAN = Setting.flag("quantize.huffman")
            .defaultValue(false)
            .help("Entropy-code the codes with canonical Huffman (Deep Compression's last stage).")
            .cli("--huffman")
            .build();

    public static final Setting<Integer> QAT_EPOCHS = Setting.integer("quantize.qatEpochs")
            .defaultValue(0)
            .range(Range.atLeast(0))
            .help("Quantization-aware training (affine, binary, ternary): epochs of fine-tuning with quantized"
                    + " weights in the forward pass before the codes are frozen; 0 = post-training only.")
            .cli("--qat-epochs")
            .build();

    public static final Setting<Double> QAT_LEARNING_RATE = Setting.real("quantize.qatLearningRate")
            .optional()
            .range(TrainingSettings.LEARNING_RATE_RANGE)
            .help("The quantization-aware training's learning rate; the training rate when left out.")
            .cli("--qat-lr")
            .build();

    public static final Setting<Integer> SWEEP_BITS = Setting.integer("quantSweep.bits")
            .range(Range.closed(1, 16))
            .list("[1, 2, 3, 4, 5, 6, 8, 12, 16]")
            .help("quantSweep: the affine bit widths to try, one variant each.")
            .cli("--sweep-bits")
            .build();

    public static final Setting<String> GRANULARITY = Setting.text("quantSweep.granularity")
            .oneOf("perChannel", "perTensor")
            .list("[perChannel, perTensor]")
            .help("quantSweep: per-channel and/or per-tensor scales.")
            .cli("--granularity")
            .build();

    public static final Setting<Boolean> FORMATS = Setting.flag("quantSweep.formats")
            .defaultValue(true)
            .help("quantSweep: also compare double, float, half and bfloat16 storage.")
            .cli("--no-formats")
            .build();

    public static final Setting<Integer> FORMAT_EXAMPLES = Setting.integer("quantSweep.formatExamples")
            .defaultValue(1000)
            .range(Range.atLeast(1))
            .help("quantSweep: test examples the storage formats are compared on.")
            .build();

    /**
     * What is wrong with {@code bits} for a quantizer beyond {@link #BITS}'s own range, e.g. "must be
     * 2..16 for symmetric affine codes (was 1); ...", or null when they fit. Binary, ternary and half
     * set their own widths.
     */
    public static String bitsProblem(String mode, int bits, boolean symmetric) {
        if ("affine".equals(mode) && symmetric && bits == 1) {
            return "must be 2..16 for symmetric affine codes (was " + bits
                    + "); for 1 bit set symmetric: false or use mode binary";
        }
        if ("codebook".equals(mode) && bits > 8) {
            return "must be 1..8 for codebook codes (was " + bits + ")";
        }
        return null;
    }
}
