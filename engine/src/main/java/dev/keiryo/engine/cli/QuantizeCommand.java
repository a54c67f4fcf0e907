package dev.keiryo.engine.cli;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.experiment.QuantSweepSpec;
import dev.keiryo.engine.api.experiment.QuantizeStepSpec;
import dev.keiryo.engine.api.experiment.StepSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "quantize",
        description = {
            "Quantize a saved model's weights after training into a new variant whose packed",
            "file really is that small: affine N-bit codes (per tensor or per channel), binary, ternary, or a k-means codebook",
            "(Deep Compression's weight sharing), optionally Huffman-coded."
        })
final class QuantizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "A model file: a training zip or a packed variant (.kpack).")
    Path model;

    @Option(
            names = "--mode",
            description = "affine (default), binary, ternary, codebook, or half (16-bit float storage).")
    String mode = "affine";

    @Option(names = "--bits", description = "affine: 1..16, codebook: 1..8 (default ${DEFAULT-VALUE}).")
    int bits = 8;

    @Option(names = "--asymmetric", description = "affine: zero point per tensor/channel instead of symmetric codes.")
    boolean asymmetric;

    @Option(
            names = "--per-tensor",
            description = "affine/binary/ternary: one scale per tensor instead of per output channel.")
    boolean perTensor;

    @Option(
            names = "--dense-codes",
            description = "codebook: code zeros too (default: keep a pruned model's zeros as zeros).")
    boolean denseCodes;

    @Option(names = "--huffman", description = "Entropy-code the codes (Deep Compression's last stage).")
    boolean huffman;

    @Option(
            names = "--qat-epochs",
            paramLabel = "N",
            description =
                    "Quantization-aware training: fine-tune N epochs with the "
                            + "quantized weights in the forward pass (straight-through estimator) before freezing (affine/binary/ternary).")
    int qatEpochs;

    @Option(names = "--qat-lr", paramLabel = "RATE", description = "QAT learning rate (default: the training rate).")
    Double qatLearningRate;

    @Option(
            names = "--sweep",
            description = "Accuracy vs bits instead of one variant: every --sweep-bits width, per channel "
                    + "and per tensor, post-training (and QAT with --qat-epochs), plus the float formats; CSV + PNG.")
    boolean sweep;

    @Option(
            names = "--sweep-bits",
            split = ",",
            paramLabel = "B,B,...",
            description = "--sweep: bit widths " + "(default 1,2,3,4,5,6,8,12,16; 1 = binary).")
    List<Integer> sweepBits = QuantSweepSpec.DEFAULT_BITS;

    @Option(
            names = "--granularity",
            split = ",",
            paramLabel = "G,G",
            description = "--sweep: perChannel and/or perTensor " + "(default both).")
    List<String> granularity = List.of("perChannel", "perTensor");

    @Option(
            names = "--no-formats",
            negatable = false,
            description = "--sweep: skip double/half/bfloat16 (16-bit floats are " + "~100x slower on this CPU).")
    boolean noFormats;

    @ArgGroup(exclusive = false, heading = "Data:%n")
    ExperimentOptions overrides = new ExperimentOptions();

    @Mixin
    RunOutput output = new RunOutput();

    @Override
    public Integer call() {
        if ("half".equals(mode)) {
            bits = 16;
        }
        int max = "codebook".equals(mode) ? 8 : 16;
        if (bits < 1 || bits > max) {
            throw new KeiryoException("--bits must be 1.." + max + " for --mode " + mode + " (was " + bits + ").");
        }
        if (qatEpochs < 0) {
            throw new KeiryoException("--qat-epochs must be >= 0 (was " + qatEpochs + ").");
        }
        if (sweep) {
            QuantSweepSpec s =
                    new QuantSweepSpec(sweepBits, granularity, qatEpochs, qatLearningRate, !noFormats, 1000, null);
            return LoadedModelRun.run(
                    spec.commandLine().getOut(),
                    model,
                    overrides,
                    "quant-sweep",
                    StepSpec.of(s),
                    output.runs,
                    output.json);
        }
        QuantizeStepSpec q = new QuantizeStepSpec(
                mode, bits, !asymmetric, !perTensor, !denseCodes, huffman, qatEpochs, qatLearningRate, null);
        return LoadedModelRun.run(
                spec.commandLine().getOut(),
                model,
                overrides,
                (qatEpochs > 0 ? "qat-" : "quantize-") + mode + "-" + bits,
                StepSpec.of(q),
                output.runs,
                output.json);
    }
}
