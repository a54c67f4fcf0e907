package dev.keiryo.engine.api.engine;

import dev.keiryo.engine.api.model.ModelStats;
import dev.keiryo.engine.api.model.Vertex;
import dev.keiryo.engine.api.model.WeightHistogram;
import java.util.List;

/** A model held for looking at: its layer table, its graph and the distribution of its weights. */
public interface ModelInspection {

    /** The preset the model was built from, as its metadata records it (e.g. "lenet5"). */
    String preset();

    /** Parameters, non-zeros and FLOPs, per layer and in total. */
    ModelStats stats();

    /**
     * Every vertex of the model's graph in topological order (inputs first, each after what it
     * reads), with its inputs; layers refer to their rows in {@link #stats()}.
     */
    List<Vertex> vertices();

    /** The weights of layer {@code layer} (its index in {@link #stats()}), or of all layers when negative. */
    WeightHistogram histogram(int layer, int bins);
}
