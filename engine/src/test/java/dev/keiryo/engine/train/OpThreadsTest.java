package dev.keiryo.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keiryo.engine.backend.ThreadSettings;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.ModelFactory;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

class OpThreadsTest {
    private static final TrainSettings S = new TrainSettings(Updaters.ADAM, 1e-3, 128, 1, DataType.FLOAT, 0, 0, 0, 1);

    private static ComputationGraph preset(ArchitecturePreset p) {
        return ModelFactory.build(Architecture.of(p), new InputShape(1, 28, 28), 10, S);
    }

    private static INDArray batch(boolean image) {
        return image ? Nd4j.zeros(DataType.FLOAT, 128, 1, 28, 28) : Nd4j.zeros(DataType.FLOAT, 128, 784);
    }

    @Test
    void largestActivationsOfThePresetsPerMinibatch() {
        assertEquals(
                128L * 784,
                OpThreads.largestActivation(preset(ArchitecturePreset.LENET300), batch(false)),
                "the input itself");
        assertEquals(
                128L * 24 * 24 * 20,
                OpThreads.largestActivation(preset(ArchitecturePreset.LENET5), batch(true)),
                "conv1's output");
        assertEquals(
                128L * 28 * 28 * 32,
                OpThreads.largestActivation(preset(ArchitecturePreset.TEACHER), batch(true)),
                "conv1, same padding");
    }

    @Test
    void smallModelsTrainWithOneOpThreadLargeOnesKeepTheCores() {
        int cores = Nd4j.getEnvironment().maxMasterThreads();
        assertEquals(1, OpThreads.forTraining(preset(ArchitecturePreset.LENET300), batch(false)));
        assertEquals(1, OpThreads.forTraining(preset(ArchitecturePreset.LENET5), batch(true)));
        assertEquals(cores, OpThreads.forTraining(preset(ArchitecturePreset.TEACHER), batch(true)));
    }

    @Test
    void theUsersOptOutKeepsNd4jsThreads() {
        int cores = Nd4j.getEnvironment().maxMasterThreads();
        System.setProperty(ThreadSettings.DISABLE_PROPERTY, "false");
        try {
            assertEquals(cores, OpThreads.forTraining(preset(ArchitecturePreset.LENET300), batch(false)));
        } finally {
            System.clearProperty(ThreadSettings.DISABLE_PROPERTY);
        }
    }

    @Test
    @SuppressWarnings("try") // the scope is the subject; its body only looks
    void aLimitHoldsUntilClosed() {
        int before = Nd4j.getEnvironment().maxMasterThreads();
        try (OpThreads.Scope s = OpThreads.limit(1)) {
            assertEquals(1, Nd4j.getEnvironment().maxMasterThreads());
        }
        assertEquals(before, Nd4j.getEnvironment().maxMasterThreads());
    }

    @Test
    @SuppressWarnings("try") // the scope is the subject; its body only looks
    void aSmallForwardPassRunsOnOneThreadOfEveryKindALargeOneKeepsThemAndBothRestore() {
        var ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        int omp = ops.ompGetMaxThreads();
        int master = Nd4j.getEnvironment().maxMasterThreads();
        ComputationGraph lenet5 = preset(ArchitecturePreset.LENET5);
        try (OpThreads.Scope s = OpThreads.forInference(lenet5, Nd4j.zeros(DataType.FLOAT, 1, 1, 28, 28))) {
            assertEquals(1, ops.ompGetMaxThreads(), "one image: oneDNN and BLAS on one thread");
            assertEquals(1, Nd4j.getEnvironment().maxMasterThreads(), "and ND4J's own ops");
        }
        assertEquals(omp, ops.ompGetMaxThreads());
        assertEquals(master, Nd4j.getEnvironment().maxMasterThreads());
        try (OpThreads.Scope s = OpThreads.forInference(lenet5, Nd4j.zeros(DataType.FLOAT, 512, 1, 28, 28))) {
            assertEquals(omp, ops.ompGetMaxThreads(), "512 images: every core");
        }
    }
}
