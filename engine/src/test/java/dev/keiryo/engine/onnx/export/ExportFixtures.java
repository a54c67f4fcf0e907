package dev.keiryo.engine.onnx.export;

import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.Layers;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.model.ModelIO;
import dev.keiryo.engine.model.ModelMeta;
import dev.keiryo.engine.onnx.ort.OrtModel;
import dev.keiryo.engine.train.TrainSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Seeded models with trained-looking parameters, raw inputs, and ways to look into ONNX files. */
final class ExportFixtures {
    private ExportFixtures() {}

    static KeiryoModel model(ArchitecturePreset p, double width, InputShape in, int classes, Normalizer norm) {
        Nd4j.getRandom().setSeed(7);
        ComputationGraph net =
                ModelFactory.build(new Architecture(p, width, null, 0.0), in, classes, TrainSettings.defaults());
        return new KeiryoModel(
                trainedLooking(net, 3),
                new ModelMeta(
                        ModelMeta.FORMAT_VERSION, p.id(), in, p.convolutional(), classes, java.util.List.of(), norm));
    }

    /** Fresh nets have zero biases and identity batch norms, which would hide a wrong fold or order. */
    static ComputationGraph trainedLooking(ComputationGraph net, long seed) {
        Random r = new Random(seed);
        for (String name : Layers.names(net)) {
            boolean bn = net.getLayer(name).conf().getLayer() instanceof BatchNormalization;
            for (Map.Entry<String, INDArray> p : net.getLayer(name).paramTable().entrySet()) {
                if (p.getKey().equals("W")) {
                    continue;
                }
                INDArray v = p.getValue();
                for (long i = 0; i < v.length(); i++) {
                    double u = r.nextDouble();
                    v.putScalar(
                            i,
                            switch (p.getKey()) {
                                case "gamma" -> 0.5 + u;
                                case "log10stdev" -> Math.log10(0.5 + u);
                                case "var" -> 0.5 + u;
                                default -> bn ? u - 0.5 : 0.2 * (u - 0.5);
                            });
                }
            }
        }
        return net;
    }

    /** Raw pixel values in [0, 255], as the data sources give them. */
    static float[] rawImages(int n, InputShape in, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * in.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(256);
        }
        return x;
    }

    /** Keiryo's own output for raw inputs: normalized as training did, then the network. */
    static float[] keiryoOutput(KeiryoModel m, float[] raw, int n) {
        InputShape in = m.meta().input();
        float[] x = m.meta().normalization().apply(raw);
        long[] shape = m.meta().imageShaped()
                ? new long[] {n, in.channels(), in.height(), in.width()}
                : new long[] {n, in.size()};
        return m.net()
                .outputSingle(false, Nd4j.create(x, shape, 'c'))
                .castTo(DataType.FLOAT)
                .dup('c')
                .reshape(-1)
                .toFloatVector();
    }

    static float[] ortOutput(Path onnx, float[] raw, long[] shape) {
        try (OrtModel m = OrtModel.open(onnx, OrtModel.Options.DEFAULT)) {
            return m.run(raw, shape);
        }
    }

    static Path save(KeiryoModel m, Path dir, String name) throws IOException {
        Path file = dir.resolve(name);
        ModelIO.save(m, file, false, false);
        return file;
    }

    static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths " + a.length + " and " + b.length);
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    static ModelProto read(Path onnx) throws IOException {
        return ModelProto.parseFrom(Files.readAllBytes(onnx));
    }

    /** The operators ONNX Runtime really runs: its optimized graph, saved and counted. */
    static Map<String, Integer> optimizedOperators(Path onnx, Path dir) throws IOException {
        Path optimized = dir.resolve(onnx.getFileName() + ".optimized.onnx");
        try (OrtModel m = OrtModel.open(onnx, new OrtModel.Options(0, optimized))) {
            m.outputNames();
        }
        Map<String, Integer> ops = new TreeMap<>();
        for (NodeProto n : read(optimized).getGraph().getNodeList()) {
            ops.merge(n.getOpType(), 1, Integer::sum);
        }
        return ops;
    }
}
