package dev.keiryo.engine.cli;

import dev.keiryo.engine.KeiryoException;
import dev.keiryo.engine.experiment.QuantizeStepSpec;
import dev.keiryo.engine.experiment.StepSpec;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "quantize", description = {"Quantize a saved model's weights after training into a new variant whose packed",
    "file really is that small: affine N-bit codes (per tensor or per channel), binary, ternary, or a k-means codebook",
    "(Deep Compression's weight sharing), optionally Huffman-coded."})
final class QuantizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "A model file: a training zip or a packed variant (.kpack).")
    Path model;

    @Option(names = "--mode", description = "affine (default), binary, ternary or codebook.")
    String mode = "affine";
    @Option(names = "--bits", description = "affine: 1..16, codebook: 1..8 (default ${DEFAULT-VALUE}).")
    int bits = 8;
    @Option(names = "--asymmetric", description = "affine: zero point per tensor/channel instead of symmetric codes.")
    boolean asymmetric;
    @Option(names = "--per-tensor", description = "affine/binary/ternary: one scale per tensor instead of per output channel.")
    boolean perTensor;
    @Option(names = "--dense-codes", description = "codebook: code zeros too (default: keep a pruned model's zeros as zeros).")
    boolean denseCodes;
    @Option(names = "--huffman", description = "Entropy-code the codes (Deep Compression's last stage).")
    boolean huffman;
    @Option(names = "--qat-epochs", paramLabel = "N", description = "Quantization-aware training: fine-tune N epochs with the "
            + "quantized weights in the forward pass (straight-through estimator) before freezing (affine/binary/ternary).")
    int qatEpochs;
    @Option(names = "--qat-lr", paramLabel = "RATE", description = "QAT learning rate (default: the training rate).")
    Double qatLearningRate;

    @ArgGroup(exclusive = false, heading = "Data:%n")
    ExperimentOptions overrides = new ExperimentOptions();

    @Mixin
    RunOutput output = new RunOutput();

    @Override
    public Integer call() {
        int max = "codebook".equals(mode) ? 8 : 16;
        if (bits < 1 || bits > max) {
            throw new KeiryoException("--bits must be 1.." + max + " for --mode " + mode + " (was " + bits + ").");
        }
        if (qatEpochs < 0) {
            throw new KeiryoException("--qat-epochs must be >= 0 (was " + qatEpochs + ").");
        }
        QuantizeStepSpec q = new QuantizeStepSpec(mode, bits, !asymmetric, !perTensor, !denseCodes, huffman, qatEpochs,
                qatLearningRate, null);
        return LoadedModelRun.run(spec.commandLine().getOut(), model, overrides,
                (qatEpochs > 0 ? "qat-" : "quantize-") + mode + "-" + bits,
                StepSpec.of(q), output.runs, output.json);
    }
}
