package dev.keiryo.engine.api.run;

/**
 * Accuracy and loss on a labelled set, with per-class accuracy and the confusion matrix
 * ({@code confusion[actual][predicted]}).
 */
public record EvalResult(long examples, double accuracy, double loss, double[] perClassAccuracy, long[][] confusion) {}
