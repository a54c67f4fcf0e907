package dev.keiryo.app.model;

import dev.keiryo.engine.api.model.LayerStats;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.css.PseudoClass;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;

/**
 * The Model view's table: one row per vertex. A chain shows its layers as a list; a graph adds
 * what each vertex reads, and the vertices where branches join (residual sums, merges) stand out.
 */
final class VertexTable {
    /** Rows of vertices that join branches; styled in workbench.css. */
    static final PseudoClass JOIN = PseudoClass.getPseudoClass("join");

    private VertexTable() {}

    static TableView<VertexRow> of(ModelViewModel vm) {
        TableView<VertexRow> table = new TableView<>(vm.rows());
        table.setId("model-layers");
        TableColumn<VertexRow, String> index = col("#", VertexRow::index);
        index.setMaxWidth(50);
        index.setStyle("-fx-alignment: CENTER-RIGHT;");
        TableColumn<VertexRow, String> name = col("Layer", r -> r.vertex().name());
        name.textProperty()
                .bind(Bindings.when(vm.branchedProperty()).then("Vertex").otherwise("Layer"));
        name.setPrefWidth(120);
        TableColumn<VertexRow, String> type = col("Type", r -> r.vertex().type());
        type.setPrefWidth(125);
        TableColumn<VertexRow, String> inputs = col("Inputs", VertexRow::inputs);
        inputs.setId("model-inputs");
        inputs.setMinWidth(240);
        inputs.setPrefWidth(250);
        inputs.visibleProperty().bind(vm.branchedProperty());
        table.getColumns().add(index);
        table.getColumns().add(name);
        table.getColumns().add(type);
        table.getColumns().add(inputs);
        TableColumn<VertexRow, String> shape =
                col("Output shape", r -> r.vertex().outputShape());
        shape.setPrefWidth(90);
        table.getColumns().add(shape);
        table.getColumns().add(number("Parameters", LayerStats::parameters));
        table.getColumns().add(number("Non-zeros", LayerStats::nonZeros));
        table.getColumns().add(number("FLOPs/example", LayerStats::flopsPerSample));
        table.getColumns().add(number("Bytes (float32)", LayerStats::float32Bytes));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(VertexRow row, boolean empty) {
                super.updateItem(row, empty);
                pseudoClassStateChanged(
                        JOIN, !empty && row != null && row.vertex().joins());
            }
        });
        table.getSelectionModel()
                .selectedItemProperty()
                .addListener((o, a, r) -> vm.layerProperty().set(r == null ? -1 : r.histogramLayer()));
        return table;
    }

    private static TableColumn<VertexRow, String> col(String name, Function<VertexRow, String> f) {
        TableColumn<VertexRow, String> c = new TableColumn<>(name);
        c.setCellValueFactory(cd -> new ReadOnlyObjectWrapper<>(f.apply(cd.getValue())));
        return c;
    }

    /** A layer's figure; blank for a vertex without a layer, which has no weights and costs next to nothing. */
    private static TableColumn<VertexRow, String> number(String name, ToLongFunction<LayerStats> f) {
        TableColumn<VertexRow, String> c =
                col(name, r -> r.layer() == null ? "" : String.format(Locale.ROOT, "%,d", f.applyAsLong(r.layer())));
        c.setStyle("-fx-alignment: CENTER-RIGHT;");
        c.setPrefWidth(95);
        return c;
    }
}
