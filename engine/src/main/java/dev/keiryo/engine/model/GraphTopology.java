package dev.keiryo.engine.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;

/**
 * Who feeds whom in a graph network, by vertex name. Steps that change a layer's outputs (unit
 * pruning, batch-norm folding) ask it which vertices see the same channels: a channel of a
 * convolution flows unchanged through batch norm, activations and dropout, and an element-wise
 * {@code Add} ties the channels of all its inputs together.
 */
public final class GraphTopology {
    private final ComputationGraphConfiguration conf;
    private final Map<String, List<String>> inputs;
    private final Map<String, List<String>> consumers = new LinkedHashMap<>();
    private final List<String> order;

    public GraphTopology(ComputationGraphConfiguration conf) {
        this.conf = conf;
        this.inputs = conf.getVertexInputs();
        this.order = conf.getTopologicalOrderStr() != null ? conf.getTopologicalOrderStr() : sorted(conf);
        for (String v : order) {
            consumers.putIfAbsent(v, new ArrayList<>());
            for (String in : inputs.getOrDefault(v, List.of())) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(v);
            }
        }
    }

    /** Vertex names, inputs first, each after everything it reads. */
    public List<String> order() {
        return order;
    }

    /** A topological order for a configuration that has none cached (a copy, or one being edited). */
    private static List<String> sorted(ComputationGraphConfiguration conf) {
        List<String> out = new ArrayList<>(conf.getNetworkInputs());
        Set<String> done = new LinkedHashSet<>(out);
        boolean progress = true;
        while (progress) {
            progress = false;
            for (String v : conf.getVertices().keySet()) {
                if (!done.contains(v) && done.containsAll(conf.getVertexInputs().getOrDefault(v, List.of()))) {
                    out.add(v);
                    done.add(v);
                    progress = true;
                }
            }
        }
        return List.copyOf(out);
    }

    public List<String> inputsOf(String vertex) {
        return inputs.getOrDefault(vertex, List.of());
    }

    public List<String> consumersOf(String vertex) {
        return consumers.getOrDefault(vertex, List.of());
    }

    /** The layer configuration of a layer vertex, or null for inputs and other vertices. */
    public Layer layer(String vertex) {
        GraphVertex v = conf.getVertices().get(vertex);
        return v instanceof LayerVertex lv ? lv.getLayerConf().getLayer() : null;
    }

    /** True when the graph is one path: every vertex has at most one input and one consumer. */
    public boolean isChain() {
        return order().stream()
                .allMatch(v -> inputsOf(v).size() <= 1 && consumersOf(v).size() <= 1);
    }

    /** Batch norm, activations, dropout and pooling: they keep each channel where it is. */
    public boolean passesChannels(String vertex) {
        Layer l = layer(vertex);
        return l instanceof BatchNormalization
                || l instanceof ActivationLayer
                || l instanceof DropoutLayer
                || l instanceof SubsamplingLayer
                || l instanceof GlobalPoolingLayer;
    }

    /** Element-wise sums: their inputs must keep the same channels. */
    public boolean isAdd(String vertex) {
        return conf.getVertices().get(vertex) instanceof ElementWiseVertex e && e.getOp() == ElementWiseVertex.Op.Add;
    }

    /**
     * The channels {@code vertex} produces, followed forward: the vertices they pass through
     * unchanged ({@code through}), the sums that tie them to other producers ({@code adds}), and
     * the vertices that finally consume them ({@code consumers}, e.g. the next convolutions).
     * Producers tied in by an {@code Add} are not followed backwards here.
     */
    public ChannelFlow channelFlow(String vertex) {
        Set<String> through = new LinkedHashSet<>();
        Set<String> adds = new LinkedHashSet<>();
        Set<String> ends = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(consumersOf(vertex));
        while (!todo.isEmpty()) {
            String v = todo.pop();
            if (passesChannels(v)) {
                if (through.add(v)) {
                    todo.addAll(consumersOf(v));
                }
            } else if (isAdd(v)) {
                if (adds.add(v)) {
                    todo.addAll(consumersOf(v));
                }
            } else {
                ends.add(v);
            }
        }
        return new ChannelFlow(vertex, List.copyOf(through), List.copyOf(adds), List.copyOf(ends));
    }

    /** Where one vertex's channels go; see {@link GraphTopology#channelFlow(String)}. */
    public record ChannelFlow(String producer, List<String> through, List<String> adds, List<String> consumers) {}
}
