package dev.keiryo.engine.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.model.ModelDescription;
import dev.keiryo.engine.compress.distill.TeacherOutputs;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.job.ModelFiles;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelIO;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Models PyTorch exported to ONNX compute, once imported, the logits PyTorch computed for the same inputs. */
class OnnxImporterTest {
    private static final double TOLERANCE = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "lenet5", "resnet_bn", "resnet_folded", "concat", "relu6_softmax", "view_flatten"})
    void importedModelGivesPyTorchsLogits(String name) throws IOException {
        OnnxFixtures.Expected e = OnnxFixtures.expected(name);
        KeiryoModel m = OnnxImporter.read(OnnxFixtures.model(name), List.of(), Normalizer.none());
        INDArray x = Nd4j.create(e.inputs(), e.inputShape(), 'c');

        float[] logits = TeacherOutputs.logits(m.net(), x).data().asFloat();
        assertClose(e.logits(), logits, name + " logits");
        // The output layer's softmax is what PyTorch's Softmax gave, when the model ends in one.
        float[] probabilities = m.net().outputSingle(x).data().asFloat();
        assertClose(e.probabilities() ? e.outputs() : softmax(e.logits(), 10), probabilities, name + " probabilities");

        OutputLayer out = (OutputLayer) m.net().getOutputLayer(0).conf().getLayer();
        assertTrue(out.getActivationFn() instanceof ActivationSoftmax, "a softmax output layer to fine-tune");
        assertEquals(10, m.meta().numClasses());
        assertEquals(e.inputShape().length == 4, m.meta().imageShaped());
        assertEquals(OnnxImporter.PRESET, m.meta().preset());
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet_bn", "concat", "relu6_softmax", "view_flatten"})
    void theImportedGraphSurvivesSavingAndLoading(String name, @TempDir Path dir) throws IOException {
        OnnxFixtures.Expected e = OnnxFixtures.expected(name);
        KeiryoModel m = OnnxImporter.read(OnnxFixtures.model(name), List.of(), Normalizer.scale(255f));
        Path file = dir.resolve("model.zip");
        ModelIO.save(m, file, false, false);
        KeiryoModel loaded = ModelIO.load(file);
        INDArray x = Nd4j.create(e.inputs(), e.inputShape(), 'c');
        assertClose(e.logits(), TeacherOutputs.logits(loaded.net(), x).data().asFloat(), name + " after loading");
        assertEquals(m.meta(), loaded.meta());
        // What keiryo inspect shows: every parameter counted, every vertex listed.
        ModelDescription d = ModelFiles.describe(file);
        assertEquals(m.net().numParams(), d.stats().parameters());
        assertEquals(m.net().getVertices().length, d.vertices().size(), "the input and every vertex");
    }

    @ParameterizedTest
    @CsvSource({"resnet_bn, 6", "resnet_folded, 0", "relu6_softmax, 1"})
    void batchNormIsALayerUnlessTheExporterFoldedIt(String fixture, int layers) {
        KeiryoModel m = OnnxImporter.read(OnnxFixtures.model(fixture), List.of(), Normalizer.none());
        long bn = Arrays.stream(m.net().getLayers())
                .filter(l -> l.conf().getLayer() instanceof BatchNormalization)
                .count();
        assertEquals(layers, bn);
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": number of values");
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst <= TOLERANCE, what + ": largest difference from PyTorch " + worst);
    }

    private static float[] softmax(float[] logits, int classes) {
        float[] p = new float[logits.length];
        for (int r = 0; r < logits.length / classes; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[r * classes + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(logits[r * classes + c] - max);
            }
            for (int c = 0; c < classes; c++) {
                p[r * classes + c] = (float) (Math.exp(logits[r * classes + c] - max) / sum);
            }
        }
        return p;
    }
}
