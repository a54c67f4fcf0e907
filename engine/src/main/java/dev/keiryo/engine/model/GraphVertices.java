package dev.keiryo.engine.model;

import dev.keiryo.engine.api.model.Vertex;
import dev.keiryo.engine.api.model.Vertex.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;

/** A network's graph as the API's {@link Vertex} list: every vertex, what it is and what it reads. */
public final class GraphVertices {
    private GraphVertices() {}

    public static List<Vertex> of(ComputationGraph net, InputType input) {
        ComputationGraphConfiguration conf = net.getConfiguration();
        Map<String, InputType> outTypes = conf.getLayerActivationTypes(input);
        GraphTopology topology = new GraphTopology(conf);
        List<String> layers = Layers.names(conf);
        List<Vertex> out = new ArrayList<>();
        for (String name : topology.order()) {
            GraphVertex v = conf.getVertices().get(name);
            InputType type = outTypes.get(name);
            String shape = type == null ? "" : ModelStatistics.shape(type);
            List<String> inputs = topology.inputsOf(name);
            if (v == null) {
                out.add(new Vertex(name, Kind.INPUT, "Input", List.of(), shape, -1));
            } else if (v instanceof LayerVertex lv) {
                String layerType = lv.getLayerConf().getLayer().getClass().getSimpleName();
                out.add(new Vertex(name, Kind.LAYER, layerType, inputs, shape, layers.indexOf(name)));
            } else if (v instanceof ElementWiseVertex e) {
                out.add(new Vertex(name, Kind.ELEMENT_WISE, opName(e.getOp()), inputs, shape, -1));
            } else if (v instanceof MergeVertex) {
                out.add(new Vertex(name, Kind.MERGE, "Merge", inputs, shape, -1));
            } else {
                String simple = v.getClass().getSimpleName();
                String t =
                        simple.endsWith("Vertex") ? simple.substring(0, simple.length() - "Vertex".length()) : simple;
                out.add(new Vertex(name, Kind.OTHER, t, inputs, shape, -1));
            }
        }
        return List.copyOf(out);
    }

    /** {@code Add}, {@code Product}, ...: the operation's name as DL4J spells it, capitalised. */
    private static String opName(ElementWiseVertex.Op op) {
        String s = op.name();
        return s.charAt(0) + s.substring(1).toLowerCase(Locale.ROOT);
    }
}
