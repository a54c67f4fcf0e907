package dev.keiryo.engine.train;

import dev.keiryo.engine.backend.ThreadSettings;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

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

    /**
     * Values in the largest activation of one forward pass up to which inference runs entirely on one
     * thread, oneDNN kernels included. Below it each small layer costs more in hand-offs between
     * OpenMP threads than the second core gives back. Chosen from the crossover measured by
     * {@code engine/bench/InferenceThreads.java} (engine/bench/results/inference-threads-2026-12-07.csv).
     */
    static final long SERIAL_INFERENCE_UP_TO = 250_000L;

    private static final Map<ComputationGraph, Map<List<Long>, Long>> PER_EXAMPLE =
            Collections.synchronizedMap(new WeakHashMap<>());

    private OpThreads() {}

    /** The thread count for training {@code net} on minibatches like {@code features}. */
    public static int forTraining(ComputationGraph net, INDArray features) {
        int current = Nd4j.getEnvironment().maxMasterThreads();
        if ("false".equalsIgnoreCase(System.getProperty(ThreadSettings.DISABLE_PROPERTY))) {
            return current;
        }
        return largestActivation(net, features) <= SERIAL_UP_TO ? 1 : current;
    }

    /**
     * One thread for a forward pass of {@code net} on {@code features} when its largest activation
     * is small (see {@link #SERIAL_INFERENCE_UP_TO}), every core otherwise, until the returned
     * handle is closed. Only the calling thread is affected.
     */
    public static Scope forInference(ComputationGraph net, INDArray features) {
        if ("false".equalsIgnoreCase(System.getProperty(ThreadSettings.DISABLE_PROPERTY))) {
            return () -> {};
        }
        long perExample = PER_EXAMPLE
                .computeIfAbsent(net, n -> new java.util.concurrent.ConcurrentHashMap<>())
                .computeIfAbsent(
                        exampleShape(features),
                        k -> largestActivation(
                                net, features.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1))));
        long batch = features.size(0);
        return perExample <= SERIAL_INFERENCE_UP_TO / Math.max(1, batch) ? limitAll(1) : () -> {};
    }

    private static List<Long> exampleShape(INDArray features) {
        long[] s = features.shape();
        List<Long> out = new java.util.ArrayList<>(s.length);
        for (int i = 1; i < s.length; i++) {
            out.add(s[i]);
        }
        return out;
    }

    /**
     * As {@link #limit(int)}, and also the OpenMP threads of the calling thread, which oneDNN's
     * kernels and BLAS use: everything this thread computes runs on {@code n} threads.
     */
    public static Scope limitAll(int n) {
        Scope ops = limitOpenMp(n);
        Scope blas = n == 1 ? SerialBlas.enter() : () -> {};
        return () -> {
            blas.close();
            ops.close();
        };
    }

    /**
     * As {@link #limitAll(int)} but leaving OpenBLAS's own threads as they are: for a step whose
     * only large work is matrix products called straight into OpenBLAS ({@link DenseProducts}),
     * which then keep every core while everything else runs on {@code n} threads.
     */
    public static Scope limitOpenMp(int n) {
        NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        int before = ops.ompGetMaxThreads();
        Scope master = limit(n);
        if (n != before) {
            ops.setOmpNumThreads(n);
        }
        return () -> {
            if (n != before) {
                ops.setOmpNumThreads(before);
            }
            master.close();
        };
    }

    /**
     * OpenBLAS's own threads, which ND4J's matrix products use and the OpenMP setting does not
     * reach: LeNet-300-100 trained at about 30,000 samples/s with them and 38,000 on one thread.
     * The count is process-wide, so it stays at one while any one-thread scope is open anywhere.
     */
    static final class SerialBlas {
        private static int open;
        private static int before;

        static synchronized Scope enter() {
            if (open++ == 0) {
                before = BlasThreads.get();
                BlasThreads.set(1);
            }
            return SerialBlas::exit;
        }

        private static synchronized void exit() {
            if (--open == 0) {
                BlasThreads.set(before);
            }
        }
    }

    /** Values in the largest layer output of one minibatch, or Long.MAX_VALUE if unknown. */
    public static long largestActivation(ComputationGraph net, INDArray features) {
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
