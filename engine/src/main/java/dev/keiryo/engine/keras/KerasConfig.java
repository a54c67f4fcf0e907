package dev.keiryo.engine.keras;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.model.InputShape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What Keiryo needs to know of a Keras model before DL4J builds it: that every layer is one
 * Keiryo can work with, that there is one image or row input, and that the output is a softmax
 * classifier. Checking this first turns DL4J's deep failures (or, worse, a silently imported model
 * Keiryo cannot fine-tune) into one sentence about the layer at fault.
 */
record KerasConfig(boolean sequential, InputShape input, boolean imageShaped, int numClasses) {

    /** The Keras layer classes Keiryo imports, in the order the messages list them. */
    static final List<String> SUPPORTED = List.of(
            "InputLayer",
            "Dense",
            "Conv2D",
            "MaxPooling2D",
            "AveragePooling2D",
            "GlobalAveragePooling2D",
            "Flatten",
            "BatchNormalization",
            "Activation",
            "ReLU",
            "Dropout",
            "Add",
            "Concatenate");

    private static final Set<String> SPATIAL =
            Set.of("Conv2D", "MaxPooling2D", "AveragePooling2D", "GlobalAveragePooling2D", "Flatten");

    static KerasConfig parse(Path file, String modelJson) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(modelJson.strip());
        } catch (JsonProcessingException e) {
            throw new KeiryoException(file + ": its model_config attribute is not valid JSON (" + e.getOriginalMessage()
                    + "); save the model again with model.save(\"model.h5\").");
        }
        String kind = root.path("class_name").asText();
        JsonNode config = root.path("config");
        // Keras before 2.2.3 writes a Sequential model's config as the bare layer list.
        JsonNode layers = config.isArray() ? config : config.path("layers");
        if (!Set.of("Sequential", "Model", "Functional").contains(kind) || !layers.isArray() || layers.isEmpty()) {
            throw new KeiryoException(file + ": its model_config is not a Keras Sequential or functional model (class "
                    + (kind.isEmpty() ? "missing" : "'" + kind + "'") + "); Keiryo imports those two kinds.");
        }
        for (JsonNode layer : layers) {
            checkLayer(file, layer);
        }
        boolean sequential = kind.equals("Sequential");
        if (!sequential) {
            int inputs = config.path("input_layers").size();
            int outputs = config.path("output_layers").size();
            if (inputs != 1 || outputs != 1) {
                throw new KeiryoException(file + ": the model has " + inputs + " inputs and " + outputs
                        + " outputs; Keiryo imports models with one input (an image or a row of features) and"
                        + " one classifier output.");
            }
        }
        JsonNode first = sequential
                ? layers.get(0)
                : byName(layers, config.path("input_layers").path(0).path(0));
        JsonNode last = sequential
                ? layers.get(layers.size() - 1)
                : byName(layers, config.path("output_layers").path(0).path(0));
        InputShape input = inputShape(file, name(first), layerConfig(first).path("batch_input_shape"));
        return new KerasConfig(sequential, input, input.isImage(), classes(file, layers, last, sequential));
    }

    private static JsonNode byName(JsonNode layers, JsonNode name) {
        for (JsonNode layer : layers) {
            if (name(layer).equals(name.asText())) {
                return layer;
            }
        }
        return layers.get(layers.size() - 1);
    }

    /** The layer a functional-API layer reads from, or the one before it in a Sequential model. */
    private static JsonNode before(JsonNode layers, JsonNode layer, boolean sequential) {
        if (sequential) {
            for (int i = 1; i < layers.size(); i++) {
                if (name(layers.get(i)).equals(name(layer))) {
                    return layers.get(i - 1);
                }
            }
            return layer;
        }
        return byName(layers, layer.path("inbound_nodes").path(0).path(0).path(0));
    }

    private static void checkLayer(Path file, JsonNode layer) {
        String cls = layer.path("class_name").asText();
        String name = name(layer);
        if (cls.equals("Lambda")) {
            throw new KeiryoException(file + ": layer '" + name + "' is a Lambda layer, whose Python code no Java"
                    + " program can run; rebuild the model without it (Keiryo imports " + supported() + ").");
        }
        if (!SUPPORTED.contains(cls)) {
            throw new KeiryoException(
                    file + ": layer '" + name + "' is a " + (cls.isEmpty() ? "layer without a class" : cls)
                            + ", which Keiryo cannot import; it imports " + supported() + ".");
        }
        String format = layerConfig(layer).path("data_format").asText("channels_last");
        if (SPATIAL.contains(cls) && !format.equals("channels_last")) {
            throw new KeiryoException(file + ": layer '" + name + "' uses data_format " + format
                    + "; Keiryo imports channels_last models, the Keras default.");
        }
    }

    private static InputShape inputShape(Path file, String layer, JsonNode shape) {
        List<Integer> dims = new ArrayList<>();
        for (int i = 1; i < shape.size(); i++) {
            dims.add(shape.get(i).isInt() ? shape.get(i).asInt() : -1);
        }
        boolean known = !dims.isEmpty() && dims.stream().allMatch(d -> d > 0);
        if (known && dims.size() == 1) {
            return InputShape.flat(dims.get(0));
        }
        if (known && dims.size() == 3) {
            return new InputShape(dims.get(2), dims.get(0), dims.get(1));
        }
        throw new KeiryoException(file + ": layer '" + layer + "' takes inputs of shape " + shape
                + "; Keiryo imports models whose input is a row of features (None, n) or an image"
                + " (None, height, width, channels) with every size fixed.");
    }

    /** The class count of a softmax output: a Dense with softmax, or a Dense and an Activation('softmax'). */
    private static int classes(Path file, JsonNode layers, JsonNode last, boolean sequential) {
        JsonNode dense = last;
        String activation = layerConfig(last).path("activation").asText();
        if (last.path("class_name").asText().equals("Activation")) {
            dense = before(layers, last, sequential);
            activation =
                    activation + "|" + layerConfig(dense).path("activation").asText();
        }
        boolean softmax = activation.equals("softmax") || activation.equals("softmax|linear");
        int units = layerConfig(dense)
                .path("units")
                .asInt(layerConfig(dense).path("output_dim").asInt(0));
        if (!dense.path("class_name").asText().equals("Dense") || !softmax || units < 2) {
            throw new KeiryoException(file + ": its output layer '" + name(last) + "' is a "
                    + last.path("class_name").asText() + " with "
                    + (activation.isEmpty() ? "no activation" : activation.replace('|', ' ') + " activation")
                    + (units > 0 ? " and " + units + " units" : "")
                    + ", not a classifier; Keiryo imports classifiers whose last layer is a Dense with softmax"
                    + " (or a Dense followed by Activation('softmax')) over two or more classes.");
        }
        return units;
    }

    private static JsonNode layerConfig(JsonNode layer) {
        return layer.path("config");
    }

    private static String name(JsonNode layer) {
        String n = layer.path("config").path("name").asText();
        return n.isEmpty() ? layer.path("name").asText("?") : n;
    }

    private static String supported() {
        return String.join(", ", SUPPORTED.subList(1, SUPPORTED.size()));
    }
}
