package dev.keiryo.engine.job;

import dev.keiryo.engine.api.compress.QuantSpec;
import dev.keiryo.engine.api.experiment.QuantizeStepSpec;
import dev.keiryo.engine.api.run.TrainingEvent;
import dev.keiryo.engine.api.run.Variant;
import dev.keiryo.engine.compress.pack.PackOptions;
import dev.keiryo.engine.compress.quant.Qat;
import dev.keiryo.engine.compress.quant.Quantizer;
import dev.keiryo.engine.model.BatchNormFolding;
import dev.keiryo.engine.model.KeiryoModel;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;

/** Post-training quantization of a variant's weights into a new variant with a really smaller file. */
final class QuantizeStep {
    private QuantizeStep() {}

    static QuantSpec spec(QuantizeStepSpec s) {
        QuantSpec q = switch (s.mode()) {
            case "binary" -> QuantSpec.binary();
            case "ternary" -> QuantSpec.ternary();
            case "codebook" -> QuantSpec.codebook(s.bits()).withSparse(s.sparse());
            case "half" -> QuantSpec.half();
            default -> QuantSpec.affine(s.bits()).withSymmetric(s.symmetric());
        };
        if (!"codebook".equals(s.mode()) && !"half".equals(s.mode())) {
            q = q.withPerChannel(s.perChannel()).withSparse(s.sparse());
        }
        return q.withHuffman(s.huffman());
    }

    static Variant run(StepContext ctx, QuantizeStepSpec s) {
        Variant parent = ctx.variant(s.from());
        KeiryoModel model = ctx.model(parent);
        QuantSpec spec = spec(s);
        KeiryoModel trained = s.qatEpochs() > 0 ? quantizationAware(ctx, model, spec, s) : model;
        // The file is packed from the folded network, so it holds the weights the quantizer measured.
        KeiryoModel source = new KeiryoModel(BatchNormFolding.fold(trained.net()), trained.meta());
        KeiryoModel quantized = new KeiryoModel(Quantizer.quantize(source.net(), spec), model.meta());
        // The bits each stored weight takes, from the spec that packs it: binary, ternary and half
        // fix their own width whatever the step's bits setting says.
        int bits = spec.bits();
        Variant v = ctx.add(
                quantized,
                source,
                Quantizer.packOptions(PackOptions.defaults(), spec),
                parent,
                s.qatEpochs() > 0 ? "qat" : "quantize",
                params(s, bits),
                bits);
        ctx.listener.onEvent(new TrainingEvent.Message(
                0,
                String.format(
                        Locale.ROOT,
                        "%s: %s %s-bit %s of %s -> accuracy %.4f (was %.4f), %,d bytes (%.1fx smaller than float32)",
                        v.id(),
                        s.mode(),
                        bits,
                        s.qatEpochs() > 0 ? "quantization-aware training" : "quantization",
                        parent.id(),
                        v.metrics().accuracy(),
                        parent.metrics().accuracy(),
                        v.metrics().fileBytes(),
                        v.metrics().compressionVsFloat32())));
        return v;
    }

    /**
     * Fine-tunes a copy with the quantizer in its forward pass, then takes it out again: the float
     * weights left behind quantize to exactly the network the fine-tuning last evaluated. The copy
     * has its batch norm folded first, because the quantizer quantizes the folded weights.
     */
    static KeiryoModel quantizationAware(StepContext ctx, KeiryoModel model, QuantSpec spec, QuantizeStepSpec s) {
        ComputationGraph net = Qat.attach(BatchNormFolding.fold(model.net()), spec);
        double lr = s.qatLearningRate() != null ? s.qatLearningRate() : ctx.settings.learningRate();
        FineTuning.run(ctx, net, s.qatEpochs(), lr, "with " + spec.bits() + "-bit weights (QAT)");
        return new KeiryoModel(Qat.detach(net), model.meta());
    }

    private static Map<String, Object> params(QuantizeStepSpec s, int bits) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", s.mode());
        m.put("bits", bits);
        m.put("symmetric", s.symmetric());
        m.put("perChannel", s.perChannel());
        m.put("sparse", s.sparse());
        m.put("huffman", s.huffman());
        if (s.qatEpochs() > 0) {
            m.put("qatEpochs", s.qatEpochs());
            m.put("qatLearningRate", s.qatLearningRate() != null ? s.qatLearningRate() : "training rate");
        }
        return m;
    }
}
