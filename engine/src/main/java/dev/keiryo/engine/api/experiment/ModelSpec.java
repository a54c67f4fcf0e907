package dev.keiryo.engine.api.experiment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keiryo.engine.api.settings.Choice;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The network to train: a preset architecture scaled by {@code width}, or a saved model.
 *
 * @param width multiplier applied to every preset layer's size
 * @param hidden mlp only: hidden layer sizes
 * @param load path of a saved model to start from instead of the preset, or null
 */
public record ModelSpec(Preset preset, double width, List<Integer> hidden, double dropout, String load) {

    public ModelSpec {
        // Nulls are kept (not List.copyOf) so that validation can point at "model.hidden[1]".
        hidden = hidden == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(hidden));
    }

    public static ModelSpec defaults() {
        return of(null, null, null, null, null);
    }

    @JsonCreator
    static ModelSpec of(
            @JsonProperty("preset") Preset preset,
            @JsonProperty("width") Double width,
            @JsonProperty("hidden") List<Integer> hidden,
            @JsonProperty("dropout") Double dropout,
            @JsonProperty("load") String load) {
        return new ModelSpec(
                preset == null ? ModelSettings.PRESET.defaultValue() : preset,
                width == null ? ModelSettings.WIDTH.defaultValue() : width,
                hidden == null ? List.of(256, 128) : hidden,
                dropout == null ? ModelSettings.DROPOUT.defaultValue() : dropout,
                load);
    }

    public ModelSpec withPreset(Preset v) {
        return new ModelSpec(v, width, hidden, dropout, load);
    }

    public ModelSpec withWidth(double v) {
        return new ModelSpec(preset, v, hidden, dropout, load);
    }

    public ModelSpec withHidden(List<Integer> v) {
        return new ModelSpec(preset, width, v, dropout, load);
    }

    public ModelSpec withDropout(double v) {
        return new ModelSpec(preset, width, hidden, v, load);
    }

    public ModelSpec withLoad(String v) {
        return new ModelSpec(preset, width, hidden, dropout, v);
    }

    public enum Preset implements Choice {
        LENET300("lenet300"),
        LENET5("lenet5"),
        TEACHER("teacher"),
        MLP("mlp"),
        RESNET20("resnet20"),
        VGG_SMALL("vgg-small");

        private final String id;

        Preset(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }
    }
}
