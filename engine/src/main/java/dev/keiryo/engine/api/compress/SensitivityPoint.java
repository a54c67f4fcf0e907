package dev.keiryo.engine.api.compress;

/** One point of a layer's sensitivity curve: the accuracy with that layer alone pruned to {@code level}. */
public record SensitivityPoint(double level, double accuracy, long parameters, long nonZeros) {}
