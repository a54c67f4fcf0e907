package dev.keiryo.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.model.ModelStats;
import dev.keiryo.engine.api.model.Vertex;
import dev.keiryo.engine.api.model.Vertex.Kind;
import dev.keiryo.engine.train.TrainSettings;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

class GraphVerticesTest {
    private static final InputShape COLOUR = new InputShape(3, 32, 32);

    private static ComputationGraph build(ArchitecturePreset preset, double width, InputShape in) {
        return ModelFactory.build(new Architecture(preset, width, null, 0), in, 10, TrainSettings.defaults());
    }

    @Test
    void resnet20ShowsItsResidualSumsWithBothInputs() {
        ComputationGraph net = build(ArchitecturePreset.RESNET20, 0.25, COLOUR);
        List<Vertex> vertices = GraphVertices.of(net, COLOUR.toInputType(true));
        Map<String, Vertex> byName = vertices.stream().collect(Collectors.toMap(Vertex::name, Function.identity()));

        assertEquals(net.getConfiguration().getVertices().size() + 1, vertices.size(), "every vertex and the input");
        assertEquals(new Vertex("input", Kind.INPUT, "Input", List.of(), "3x32x32", -1), vertices.get(0));
        assertEquals(
                new Vertex("s1b1.add", Kind.ELEMENT_WISE, "Add", List.of("s1b1.conv2.bn", "stem.relu"), "4x32x32", -1),
                byName.get("s1b1.add"));
        assertEquals(
                List.of("s2b1.conv2.bn", "s2b1.proj.bn"),
                byName.get("s2b1.add").inputs(),
                "a block that halves the size adds its projection shortcut");
        assertEquals("8x16x16", byName.get("s2b1.add").outputShape());
        assertEquals(9, vertices.stream().filter(Vertex::joins).count(), "nine basic blocks, nine sums");
        assertEquals(List.of("s1b1.add"), byName.get("s1b1.relu").inputs());

        ModelStats stats = ModelStatistics.of(net, COLOUR.toInputType(true));
        for (Vertex v : vertices) {
            if (v.kind() == Kind.LAYER) {
                assertEquals(v.name(), stats.layers().get(v.layer()).name(), "a layer points at its row");
                assertEquals(stats.layers().get(v.layer()).type(), v.type());
            } else {
                assertEquals(-1, v.layer(), v.name());
            }
        }
        assertEquals("BatchNormalization", byName.get("stem.bn").type());
        for (int i = 1; i < vertices.size(); i++) {
            int at = i;
            vertices.get(i)
                    .inputs()
                    .forEach(in -> assertTrue(
                            vertices.subList(0, at).stream()
                                    .anyMatch(v -> v.name().equals(in)),
                            in + " comes before " + vertices.get(at).name()));
        }
    }

    @Test
    void aChainReadsThePreviousVertexEverywhere() {
        InputShape mnist = new InputShape(1, 28, 28);
        ComputationGraph net = build(ArchitecturePreset.LENET5, 1.0, mnist);
        List<Vertex> vertices = GraphVertices.of(net, mnist.toInputType(true));
        assertEquals(
                List.of("input", "conv1", "pool1", "conv2", "pool2", "dense1", "output"),
                vertices.stream().map(Vertex::name).toList());
        for (int i = 1; i < vertices.size(); i++) {
            assertEquals(List.of(vertices.get(i - 1).name()), vertices.get(i).inputs());
            assertEquals(i - 1, vertices.get(i).layer());
            assertFalse(vertices.get(i).joins());
        }
    }
}
