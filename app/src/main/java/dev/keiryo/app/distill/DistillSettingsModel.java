package dev.keiryo.app.distill;

import dev.keiryo.app.distill.DistillViewModel.LayerChoice;
import dev.keiryo.app.distill.DistillViewModel.StudentKind;
import dev.keiryo.app.distill.DistillViewModel.TeacherChoice;
import dev.keiryo.engine.api.experiment.DistillStepSpec;
import dev.keiryo.engine.api.model.LayerStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The distillation settings: T, alpha, epochs, seeds, the scratch comparison, and the hint layers
 * (a teacher layer and the student layer it guides, offered from the two models' hidden layers).
 */
final class DistillSettingsModel {
    private final DoubleProperty temperature = new SimpleDoubleProperty(DistillStepSpec.DEFAULT_TEMPERATURE);
    private final DoubleProperty alpha = new SimpleDoubleProperty(DistillStepSpec.DEFAULT_ALPHA);
    private final IntegerProperty epochs = new SimpleIntegerProperty(3);
    private final IntegerProperty hintEpochs = new SimpleIntegerProperty(1);
    private final IntegerProperty seeds = new SimpleIntegerProperty(1);
    private final BooleanProperty compare = new SimpleBooleanProperty(true);
    private final ObservableList<LayerChoice> hintLayers = FXCollections.observableArrayList(LayerChoice.NONE);
    private final ObservableList<LayerChoice> guidedLayers = FXCollections.observableArrayList(LayerChoice.NONE);
    private final ObjectProperty<LayerChoice> hintLayer = new SimpleObjectProperty<>(LayerChoice.NONE);
    private final ObjectProperty<LayerChoice> guidedLayer = new SimpleObjectProperty<>(LayerChoice.NONE);
    private final ChoiceLists lists = new ChoiceLists();

    /** @param changed runs after any setting the user can change has changed */
    DistillSettingsModel(Runnable changed) {
        // A hint needs a guided layer and the other way round: choosing one offers the other, clearing one clears both.
        hintLayer.addListener((o, a, h) -> {
            if (lists.updating()) {
                return;
            }
            if (h == null || h.name() == null) {
                guidedLayer.set(LayerChoice.NONE);
            } else if (guidedLayer.get() == null || guidedLayer.get().name() == null) {
                guidedLayer.set(guidedFor(h));
            }
            changed.run();
        });
        guidedLayer.addListener((o, a, g) -> {
            if (lists.updating()) {
                return;
            }
            if (g == null || g.name() == null) {
                hintLayer.set(LayerChoice.NONE);
            }
            changed.run();
        });
        List.of(temperature, alpha, epochs, hintEpochs, seeds).forEach(p -> p.addListener((o, a, b) -> changed.run()));
        compare.addListener((o, a, b) -> changed.run());
    }

    /** No hint layers to offer, as while a teacher loads. */
    void clearHints() {
        hintLayer.set(LayerChoice.NONE);
        lists.sync(hintLayers, List.of(LayerChoice.NONE));
    }

    /** Offers the teacher's hidden layers as hints. */
    void teacherLayers(List<LayerStats> hidden) {
        lists.sync(hintLayers, choices(hidden));
    }

    /** Offers the student's hidden layers to guide, keeping the guided layer chosen if the student still has it. */
    void studentLayers(List<LayerStats> hidden) {
        LayerChoice was = guidedLayer.get();
        List<LayerChoice> guided = choices(hidden);
        LayerChoice hint = hintLayer.get();
        lists.sync(guidedLayers, guided);
        LayerChoice same = guided.stream()
                .filter(g -> was != null && Objects.equals(g.name(), was.name()))
                .findFirst()
                .orElse(null);
        if (hint != null && hint.name() != null) {
            guidedLayer.set(same != null && same.name() != null ? same : guidedFor(hint));
        } else {
            guidedLayer.set(LayerChoice.NONE);
        }
    }

    /** No student layers to guide, as when the student cannot be built. */
    void noStudent() {
        lists.sync(guidedLayers, List.of(LayerChoice.NONE));
        guidedLayer.set(LayerChoice.NONE);
    }

    private static List<LayerChoice> choices(List<LayerStats> hidden) {
        List<LayerChoice> out = new ArrayList<>(List.of(LayerChoice.NONE));
        hidden.forEach(l -> out.add(LayerChoice.of(l)));
        return out;
    }

    /** The guided layer offered for a hint: the student's layer of the same name, else its last hidden layer. */
    private LayerChoice guidedFor(LayerChoice hint) {
        return guidedLayers.stream()
                .filter(g -> Objects.equals(g.name(), hint.name()))
                .findFirst()
                .orElse(guidedLayers.get(guidedLayers.size() - 1));
    }

    /** The step these settings describe for a teacher and a student of some width. */
    DistillStepSpec spec(TeacherChoice teacher, StudentKind student, double width) {
        LayerChoice h = hintLayer.get();
        LayerChoice g = guidedLayer.get();
        return DistillStepSpec.builder()
                .from(teacher.variant())
                .teacher(teacher.file() == null ? null : teacher.file().toString())
                .student(student.preset)
                .width(width)
                .temperature(temperature.get())
                .alpha(alpha.get())
                .epochs(epochs.get())
                .seeds(seeds.get())
                .compare(compare.get())
                .hintLayer(h == null ? null : h.name())
                .guidedLayer(g == null ? null : g.name())
                .hintEpochs(hintEpochs.get())
                .build();
    }

    DoubleProperty temperatureProperty() {
        return temperature;
    }

    DoubleProperty alphaProperty() {
        return alpha;
    }

    IntegerProperty epochsProperty() {
        return epochs;
    }

    IntegerProperty hintEpochsProperty() {
        return hintEpochs;
    }

    IntegerProperty seedsProperty() {
        return seeds;
    }

    BooleanProperty compareProperty() {
        return compare;
    }

    ObservableList<LayerChoice> hintLayers() {
        return hintLayers;
    }

    ObservableList<LayerChoice> guidedLayers() {
        return guidedLayers;
    }

    ObjectProperty<LayerChoice> hintLayerProperty() {
        return hintLayer;
    }

    ObjectProperty<LayerChoice> guidedLayerProperty() {
        return guidedLayer;
    }
}
