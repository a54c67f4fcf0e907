package dev.keiryo.engine.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * The coupled channel groups of a graph, for pruning filters or units (as Torch-Pruning's
 * dependency graph finds them): a residual sum adds its inputs channel by channel, so the layers
 * whose outputs meet in a sum (directly or through batch norm and activations) must keep the same
 * channels, and lose the same ones. A convolution or dense layer that meets no sum is a group of
 * its own. A group that reaches the network input cannot lose channels: the data has them.
 */
public final class ChannelGroups {
    private ChannelGroups() {}

    /**
     * One set of coupled producers, with every vertex their channels pass through unchanged, the
     * sums that couple them and the layers that consume them.
     */
    public record Group(
            List<String> producers,
            List<String> through,
            List<String> adds,
            List<String> consumers,
            boolean fromInput) {}

    /** Every group of {@code conf}, in topological order of its first producer. */
    public static List<Group> of(ComputationGraphConfiguration conf) {
        GraphTopology t = new GraphTopology(conf);
        Map<String, String> parent = new HashMap<>();
        List<String> producers = new ArrayList<>();
        for (String v : t.order()) {
            if (isProducer(t.layer(v))) {
                producers.add(v);
                parent.put(v, v);
            }
        }
        Set<String> fromInput = new LinkedHashSet<>();
        for (String p : producers) {
            for (String add : t.channelFlow(p).adds()) {
                for (String other : sources(t, add, conf.getNetworkInputs(), fromInput, p)) {
                    union(parent, p, other);
                }
            }
        }
        Map<String, List<String>> members = new LinkedHashMap<>();
        for (String p : producers) {
            members.computeIfAbsent(find(parent, p), k -> new ArrayList<>()).add(p);
        }
        List<Group> out = new ArrayList<>();
        for (List<String> group : members.values()) {
            Set<String> through = new LinkedHashSet<>();
            Set<String> adds = new LinkedHashSet<>();
            Set<String> consumers = new LinkedHashSet<>();
            for (String p : group) {
                GraphTopology.ChannelFlow f = t.channelFlow(p);
                through.addAll(f.through());
                adds.addAll(f.adds());
                consumers.addAll(f.consumers());
            }
            boolean input = group.stream().anyMatch(fromInput::contains);
            out.add(new Group(
                    List.copyOf(group), List.copyOf(through), List.copyOf(adds), List.copyOf(consumers), input));
        }
        return out;
    }

    /** The group {@code producer} belongs to. */
    public static Group of(ComputationGraphConfiguration conf, String producer) {
        for (Group g : of(conf)) {
            if (g.producers().contains(producer)) {
                return g;
            }
        }
        throw new IllegalArgumentException(producer + " is not a convolution or hidden dense layer");
    }

    /** Convolutions and hidden dense layers: the layers whose output channels pruning removes. */
    private static boolean isProducer(Layer l) {
        return (l instanceof ConvolutionLayer || l instanceof DenseLayer) && !(l instanceof BaseOutputLayer);
    }

    /**
     * The producers whose channels reach {@code add}, found backwards through channel-preserving
     * vertices and other sums; records {@code owner} in {@code fromInput} when the network input does.
     */
    private static List<String> sources(
            GraphTopology t, String add, List<String> inputs, Set<String> fromInput, String owner) {
        List<String> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(t.inputsOf(add));
        while (!todo.isEmpty()) {
            String v = todo.pop();
            if (!seen.add(v)) {
                continue;
            }
            if (inputs.contains(v)) {
                fromInput.add(owner);
            } else if (t.passesChannels(v) || t.isAdd(v)) {
                todo.addAll(t.inputsOf(v));
            } else if (isProducer(t.layer(v))) {
                out.add(v);
            }
        }
        return out;
    }

    private static String find(Map<String, String> parent, String v) {
        String r = v;
        while (!parent.get(r).equals(r)) {
            r = parent.get(r);
        }
        parent.put(v, r);
        return r;
    }

    private static void union(Map<String, String> parent, String a, String b) {
        String ra = find(parent, a);
        String rb = find(parent, b);
        if (!ra.equals(rb)) {
            parent.put(rb, ra);
        }
    }
}
