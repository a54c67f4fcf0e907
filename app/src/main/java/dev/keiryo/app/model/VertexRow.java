package dev.keiryo.app.model;

import dev.keiryo.engine.api.model.LayerStats;
import dev.keiryo.engine.api.model.Vertex;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One row of the Model view's table: a vertex of the model's graph and, for a layer, its size
 * and cost.
 *
 * @param layer the layer's statistics; null for a vertex without a layer (a residual sum, a merge)
 */
public record VertexRow(Vertex vertex, LayerStats layer) {

    /**
     * The rows of a model: every vertex but the network inputs (a table row says what it reads,
     * so the inputs appear by name there).
     */
    public static List<VertexRow> of(List<Vertex> vertices, List<LayerStats> layers) {
        List<VertexRow> rows = new ArrayList<>();
        for (Vertex v : vertices) {
            if (v.kind() != Vertex.Kind.INPUT) {
                rows.add(new VertexRow(v, v.layer() >= 0 ? layers.get(v.layer()) : null));
            }
        }
        return List.copyOf(rows);
    }

    /** One path: every vertex reads the one before it, so its inputs say nothing the order does not. */
    public static boolean chain(List<Vertex> vertices) {
        for (int i = 1; i < vertices.size(); i++) {
            if (!vertices.get(i).inputs().equals(List.of(vertices.get(i - 1).name()))) {
                return false;
            }
        }
        return true;
    }

    /** How many vertices join branches (residual sums, merges). */
    public static long joins(List<Vertex> vertices) {
        return vertices.stream().filter(Vertex::joins).count();
    }

    /** The layer's position, as the CLI's {@code inspect} numbers layers; blank for other vertices. */
    public String index() {
        return layer == null ? "" : Integer.toString(layer.index());
    }

    /**
     * What the vertex reads: one name for most; for a residual sum or a merge its operation over
     * its inputs, e.g. {@code add(s1b1.conv2.bn, stem.relu)}, so that joins stand out.
     */
    public String inputs() {
        String names = String.join(", ", vertex.inputs());
        return switch (vertex.kind()) {
            case ELEMENT_WISE, MERGE -> vertex.type().toLowerCase(Locale.ROOT) + "(" + names + ")";
            default -> names;
        };
    }

    /** The layer index whose weights the histogram shows for this row; -1 (all layers) for other vertices. */
    public int histogramLayer() {
        return layer == null ? -1 : layer.index();
    }
}
