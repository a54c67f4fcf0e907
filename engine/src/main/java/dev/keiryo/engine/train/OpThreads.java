package dev.keiryo.engine.train;

import dev.keiryo.engine.backend.ThreadSettings;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How many threads ND4J's own ops (bias adds, activations, losses, reshapes: everything that is not
 * a BLAS matrix product or a oneDNN kernel, which keep all cores) use while a network trains.
 *
 * <p>A small model's minibatch is hundreds of such ops on tensors of a few thousand values, and
 * splitting each across cores costs more in OpenMP wake-ups than it saves. Measured here in paired
 * runs (one process, alternating blocks of minibatches, batch 128): one thread trained LeNet-300-100
 * 21% faster and LeNet-5 3-22% faster, and the 4-conv teacher 4% slower. The cut-off sits between
 * their largest activations per minibatch: 1.5 million values for LeNet-5, 3.2 million for the
 * teacher. Measured on a 2-core AMD EPYC (AVX-512).
 */
public final class OpThreads {
    static final long SERIAL_UP_TO = 2_000_000L;

    private OpThreads() {}

    /** The thread count for training {@code net} on minibatches like {@code features}. */
    public static int forTraining(ComputationGraph net, INDArray features) {
        int current = Nd4j.getEnvironment().maxMasterThreads();
        if ("false".equalsIgnoreCase(System.getProperty(ThreadSettings.DISABLE_PROPERTY))) {
            return current;
        }
        return largestActivation(net, features) <= SERIAL_UP_TO ? 1 : current;
    }

    /** Values in the largest layer output of one minibatch, or Long.MAX_VALUE if unknown. */
    static long largestActivation(ComputationGraph net, INDArray features) {
        long[] s = features.shape();
        InputType in;
        if (s.length == 2) {
            in = InputType.feedForward(s[1]);
        } else if (s.length == 4) {
            in = InputType.convolutional(s[2], s[3], s[1]);
        } else {
            return Long.MAX_VALUE;
        }
        try {
            long max = features.length();
            for (InputType t :
                    net.getConfiguration().getLayerActivationTypes(in).values()) {
                max = Math.max(max, t.arrayElementsPerExample() * s[0]);
            }
            return max;
        } catch (RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Sets ND4J's op threads to {@code n} until the returned handle is closed, which restores them.
     * The knob is the "master" thread count: ND4J M2.1 ignores {@code setMaxThreads} below the core
     * count (checked here: it stays 2 after {@code setMaxThreads(1)}).
     */
    public static Scope limit(int n) {
        var env = Nd4j.getEnvironment();
        int before = env.maxMasterThreads();
        if (n != before) {
            env.setMaxMasterThreads(n);
        }
        return () -> env.setMaxMasterThreads(before);
    }

    /** A limit in force; closing it cannot fail. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
