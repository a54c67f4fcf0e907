package dev.keiryo.engine.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.model.BatchNormFolding;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelIO;
import dev.keiryo.engine.model.ModelStatistics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * Keras files written by make_fixtures.py (Keras 2's HDF5 layout, without TensorFlow); the expected
 * outputs were computed there in numpy, channels-last, as Keras computes them.
 */
class KerasImportTest {
    private static final Path DIR = Path.of("src/test/resources/keras");

    @ParameterizedTest
    // -tf2: the same models as tf.keras 2.15 writes them (InputLayer, Functional, GlorotUniform);
    // -softmax: the softmax as an Activation layer after a linear Dense
    @ValueSource(strings = {"mlp", "cnn", "residual", "cnn-tf2", "residual-tf2", "mlp-softmax"})
    void importedModelsGiveKerassOutputsForChannelsFirstInputs(String name) throws IOException {
        KeiryoModel model = KerasImport.load(DIR.resolve(name + ".h5"));
        JsonNode expected = new ObjectMapper()
                .readTree(DIR.resolve(name.replaceAll("-tf2|-softmax", "") + ".expected.json")
                        .toFile());
        INDArray x = features(
                expected.get("input"), model.meta().input(), model.meta().imageShaped());
        INDArray want = matrix(expected.get("output"));

        INDArray got = model.net().outputSingle(false, x);

        assertArrayEquals(want.shape(), got.shape());
        double worst = Nd4j.getExecutioner()
                .exec(new org.nd4j.linalg.api.ops.impl.reduce.same.AMax(got.sub(want)))
                .getDouble(0);
        assertTrue(worst < 1e-4, name + ": largest difference from Keras's output " + worst);
    }

    @ParameterizedTest
    @CsvSource({"mlp, 1, 1, 10, false, 4", "cnn, 3, 8, 7, true, 5", "residual, 3, 6, 6, true, 3"})
    void metadataComesFromTheKerasInputAndSoftmax(String name, int c, int h, int w, boolean image, int classes) {
        KeiryoModel model = KerasImport.load(DIR.resolve(name + ".h5"));
        assertEquals(new InputShape(c, h, w), model.meta().input());
        assertEquals(image, model.meta().imageShaped());
        assertEquals(classes, model.meta().numClasses());
        assertEquals(KerasImport.PRESET, model.meta().preset());
    }

    @Test
    void theGraphIsChannelsFirstAndEndsInACrossEntropyOutputLayer() {
        ComputationGraph net = KerasImport.load(DIR.resolve("residual.h5")).net();
        for (org.deeplearning4j.nn.api.Layer l : net.getLayers()) {
            if (l.conf().getLayer() instanceof ConvolutionLayer conv) {
                assertEquals(
                        CNN2DFormat.NCHW,
                        conv.getCnn2dDataFormat(),
                        l.conf().getLayer().getLayerName());
            }
        }
        assertEquals(List.of("dense_1"), net.getConfiguration().getNetworkOutputs());
        OutputLayer out = assertInstanceOf(
                OutputLayer.class, net.getLayer("dense_1").conf().getLayer());
        assertInstanceOf(LossMCXENT.class, out.getLossFn());
        assertInstanceOf(Adam.class, out.getIUpdater());
        assertInstanceOf(Adam.class, ((BaseLayer) net.getLayer("conv_a").conf().getLayer()).getIUpdater());
    }

    @Test
    void importedModelsFineTuneAndWorkWithKeiryosStatisticsFoldingAndFiles(@TempDir Path tmp) throws IOException {
        KeiryoModel model = KerasImport.load(DIR.resolve("residual.h5"), List.of("a", "b", "c"), Normalizer.none());
        InputShape in = model.meta().input();
        assertEquals(
                model.net().numParams(),
                ModelStatistics.of(model.net(), in.toInputType(true)).parameters());
        // Folding needs channels-first convolutions: the batch norm folds into the conv before it.
        assertEquals(Map.of("bn_a", "conv_a"), BatchNormFolding.foldable(model.net()));
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 8, in.channels(), in.height(), in.width());
        INDArray folded = BatchNormFolding.fold(model.net()).outputSingle(false, x);
        assertTrue(folded.equalsWithEps(model.net().outputSingle(false, x), 1e-5));

        INDArray y = Nd4j.zeros(8, 3);
        for (int i = 0; i < 8; i++) {
            y.putScalar(i, i % 3, 1);
        }
        INDArray before = model.net().params().dup();
        model.net().fit(new DataSet(x, y));
        assertTrue(Double.isFinite(model.net().score()));
        assertNotEquals(before, model.net().params());

        Path file = tmp.resolve("imported.zip");
        ModelIO.save(model, file, false, false);
        KeiryoModel back = ModelIO.load(file);
        assertEquals(List.of("a", "b", "c"), back.meta().classNames());
        assertEquals(model.net().outputSingle(false, x), back.net().outputSingle(false, x));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "bad-lambda.h5|layer 'lambda_1' is a Lambda layer",
                "bad-custom.h5|layer 'my_attention_1' is a MyAttention, which Keiryo cannot import",
                "bad-two-inputs.h5|the model has 2 inputs and 1 outputs",
                "bad-regression.h5|output layer 'dense_2' is a Dense with linear activation and 1 units, not a classifier",
                "bad-keras3.h5|was saved by Keras 3.3.3, whose layer settings DL4J cannot read",
                "bad-weights.h5|layer 'dense_2' has 15 weights in the file but its configuration needs 21",
                "bad-not-keras.h5|is an HDF5 file without a Keras model_config",
                "bad-truncated.h5|cannot be read as HDF5",
                "make_fixtures.py|is not an HDF5 file"
            })
    void whatCannotBeImportedGetsOneSentenceNamingTheFileAndTheCause(String file, String cause) {
        Path path = DIR.resolve(file);
        KeiryoException e = assertThrows(KeiryoException.class, () -> KerasImport.load(path));
        assertTrue(e.getMessage().startsWith(path + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(cause), e.getMessage());
        assertTrue(e.getMessage().endsWith("."), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void unsupportedLayersAreNamedWithWhatIsSupported() {
        Path path = DIR.resolve("bad-custom.h5");
        String m = assertThrows(KeiryoException.class, () -> KerasImport.load(path))
                .getMessage();
        assertTrue(m.contains("Dense, Conv2D, MaxPooling2D"), m);
        assertTrue(m.contains("Add, Concatenate"), m);
    }

    @Test
    void aKeras3ArchiveIsRefusedWithTheWayToAnH5(@TempDir Path tmp) throws IOException {
        Path keras = tmp.resolve("model.keras");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(keras))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("config.json"));
            zip.write("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        String m = assertThrows(KeiryoException.class, () -> KerasImport.load(keras))
                .getMessage();
        assertTrue(m.contains("Keras 3 (.keras) archive") && m.contains("model.save(\"model.h5\")"), m);
    }

    @Test
    void classNamesMustMatchTheOutputs() {
        Path path = DIR.resolve("mlp.h5");
        String m = assertThrows(
                        KeiryoException.class, () -> KerasImport.load(path, List.of("cat", "dog"), Normalizer.none()))
                .getMessage();
        assertTrue(m.contains("has 4 classes but 2 class names"), m);
    }

    private static INDArray features(JsonNode rows, InputShape shape, boolean image) {
        INDArray flat = matrix(rows);
        return image ? flat.reshape('c', flat.size(0), shape.channels(), shape.height(), shape.width()) : flat;
    }

    private static INDArray matrix(JsonNode rows) {
        float[][] m = new float[rows.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = new float[rows.get(i).size()];
            for (int j = 0; j < m[i].length; j++) {
                m[i][j] = (float) rows.get(i).get(j).asDouble();
            }
        }
        return Nd4j.create(m);
    }
}
