package dev.keiryo.engine.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.Layers;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.train.TrainSettings;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fails when Keiryo runs on the slow path: without the oneDNN build and the helper shim, DL4J's
 * convolutions are about 4x slower and nothing else would notice.
 */
class HelpersActiveTest {
    @Test
    void theOneDnnBuildIsLoadedAndHelpersAreOn() {
        BackendInfo info = NativeSetup.initialize();
        assertEquals("CPU", info.backend());
        assertTrue(info.nativeBuild().endsWith("-onednn"), "native build: " + info.nativeBuild());
        assertTrue(info.oneDnnInBuild(), "the loaded libnd4j has no oneDNN");
        assertTrue(info.helpersActive(), "DL4J's oneDNN layer helpers are off");
    }

    @Test
    void convolutionAndPoolingLayersUseTheOneDnnHelpers() {
        ComputationGraph net = ModelFactory.build(
                Architecture.of(ArchitecturePreset.LENET5), new InputShape(1, 28, 28), 10, TrainSettings.defaults());
        net.output(Nd4j.rand(2, 1, 28, 28));
        assertInstanceOf(MKLDNNConvHelper.class, Layers.at(net, 0).getHelper());
        assertInstanceOf(MKLDNNSubsamplingHelper.class, Layers.at(net, 1).getHelper());
    }

    @Test
    void keiryoSetsPassiveOpenMpWaitingUnlessTheUserChoseOtherwise() {
        BackendInfo info = NativeSetup.initialize();
        String wait = info.threadVariables().get("OMP_WAIT_POLICY");
        String user = System.getenv("OMP_WAIT_POLICY");
        if (user == null) {
            assertEquals("PASSIVE (Keiryo default)", wait);
        } else {
            assertEquals(user + " (from the environment)", wait);
        }
    }

    @Test
    void javacppSkipsItsResidentMemoryCheckUnlessTheUserSetOne() {
        NativeMemory memory = NativeSetup.initialize().nativeMemory();
        if ("Keiryo default".equals(memory.source())) {
            assertEquals(
                    0, org.bytedeco.javacpp.Pointer.maxPhysicalBytes(), "the check reads /proc on every allocation");
        }
        assertTrue(memory.maxBytes() > 0, "tracked native allocations keep their limit");
    }
}
