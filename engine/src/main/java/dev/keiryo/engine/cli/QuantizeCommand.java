package dev.keiryo.engine.cli;

import dev.keiryo.engine.api.experiment.QuantSweepSpec;
import dev.keiryo.engine.api.experiment.QuantizationSettings;
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

    @Option(names = "--mode", descriptionKey = "quantize.mode")
    String mode = "affine";

    @Option(names = "--bits", descriptionKey = "quantize.bits")
    int bits = 8;

    @Option(names = "--asymmetric", descriptionKey = "quantize.symmetric")
    boolean asymmetric;

    @Option(names = "--per-tensor", descriptionKey = "quantize.perChannel")
    boolean perTensor;

    @Option(names = "--dense-codes", descriptionKey = "quantize.sparse")
    boolean denseCodes;

    @Option(names = "--huffman", descriptionKey = "quantize.huffman")
    boolean huffman;

    @Option(names = "--qat-epochs", paramLabel = "N", descriptionKey = "quantize.qatEpochs")
    int qatEpochs;

    @Option(names = "--qat-lr", paramLabel = "RATE", descriptionKey = "quantize.qatLearningRate")
    Double qatLearningRate;

    @Option(
            names = "--sweep",
            description = "Accuracy vs bits instead of one variant: every --sweep-bits width, per channel "
                    + "and per tensor, post-training (and QAT with --qat-epochs), plus the float formats; CSV + PNG.")
    boolean sweep;

    @Option(names = "--sweep-bits", split = ",", paramLabel = "B,B,...", descriptionKey = "quantSweep.bits")
    List<Integer> sweepBits = QuantSweepSpec.DEFAULT_BITS;

    @Option(names = "--granularity", split = ",", paramLabel = "G,G", descriptionKey = "quantSweep.granularity")
    List<String> granularity = List.of("perChannel", "perTensor");

    @Option(names = "--no-formats", negatable = false, descriptionKey = "quantSweep.formats")
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
        QuantizationSettings.BITS.require(bits);
        QuantizationSettings.QAT_EPOCHS.require(qatEpochs);
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
