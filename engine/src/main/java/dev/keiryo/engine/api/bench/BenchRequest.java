package dev.keiryo.engine.api.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code keiryo bench} times and on which data; the kinds requested run in the order of the
 * fields, each printing its rows as they come.
 *
 * @param data the Fashion-MNIST folder; null for the one found on this computer, else the bundled sample
 * @param sample time on the bundled sample even when the full Fashion-MNIST is found
 * @param model a trained model file for the format and preview rows; null for a LeNet-5 (trained one
 *     epoch first for the format rows, fresh for the preview rows)
 * @param formats time double, float, half and bfloat16 on one trained model
 * @param parallel the data-parallel rows; null for none
 * @param preview time the pruning and quantization previews
 * @param speed the training and inference speed rows; null for none
 * @param synthetic time on seeded random images of this shape ({@code CxHxW}, e.g. {@code 3x32x32}: the
 *     shape of CIFAR) instead of Fashion-MNIST; null for Fashion-MNIST. For speed only: nothing is learnt.
 */
public record BenchRequest(
        Path data,
        boolean sample,
        long seed,
        Path model,
        boolean formats,
        Parallel parallel,
        boolean preview,
        Speed speed,
        String synthetic) {

    /**
     * Training and inference samples/s per model.
     *
     * @param models preset names
     * @param warmup untimed iterations; null for 200 for a multilayer perceptron, 50 for a CNN
     * @param iters timed iterations; null for 600 for a multilayer perceptron, 300 for a CNN
     * @param passes timed inference passes over the test set
     * @param dtype "float", "double" or "half"
     */
    public record Speed(List<String> models, Integer warmup, Integer iters, int passes, String dtype) {
        public Speed {
            models = List.copyOf(models);
        }
    }

    /**
     * Samples/s and time to a target accuracy for one worker and for {@code workers} workers in sync
     * and async mode, medians over {@code rounds}.
     *
     * @param target the test accuracy to time to
     * @param maxEpochs epochs after which a round gives up on the target
     * @param averagingFrequency sync mode averages every this many iterations
     */
    public record Parallel(
            List<String> models, int rounds, double target, int maxEpochs, int workers, int averagingFrequency) {
        public Parallel {
            models = List.copyOf(models);
        }
    }
}
