package dev.keiryo.engine.api.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keiryo.engine.api.KeiryoException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads and writes experiment files: YAML (.yaml, .yml) or JSON (.json), by extension. */
public final class ExperimentFile {

    private ExperimentFile() {}

    /**
     * Reads, checks the schema version of, and validates an experiment file.
     *
     * @throws KeiryoException naming the file and the field for every kind of mistake
     */
    public static Experiment read(Path file) {
        ObjectMapper mapper = Mappers.forFile(file);
        String source = file.toString();
        String format = mapper == Mappers.yaml() ? "YAML" : "JSON";
        byte[] bytes = readBytes(file);
        try {
            // The version is checked on the tree first: a newer file may hold fields this Keiryo
            // does not know, and "upgrade Keiryo" is a better answer than "unknown field".
            checkVersion(source, mapper.readTree(bytes));
            return mapper.readValue(bytes, Experiment.class).validate(source);
        } catch (JsonProcessingException e) {
            throw JacksonErrors.translate(source, format, e);
        } catch (IOException e) {
            throw new KeiryoException(source + ": cannot be read (" + e.getMessage() + ").", e);
        }
    }

    /** Writes {@code experiment} atomically, as YAML or JSON by {@code file}'s extension. */
    public static void write(Experiment experiment, Path file) {
        ObjectMapper mapper = Mappers.forFile(file);
        try {
            AtomicFiles.write(file, mapper.writeValueAsBytes(experiment));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("experiment records always serialize", e);
        }
    }

    /** The YAML text of {@code experiment}, as {@link #write} would store it in a .yaml file. */
    public static String toYaml(Experiment experiment) {
        try {
            return Mappers.yaml().writeValueAsString(experiment);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("experiment records always serialize", e);
        }
    }

    private static byte[] readBytes(Path file) {
        if (Files.isDirectory(file)) {
            throw new KeiryoException(file + ": is a folder, not an experiment file; pass the .yaml or .json file.");
        }
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new KeiryoException(file + ": no such file; check the path.", e);
        } catch (IOException e) {
            throw new KeiryoException(file + ": cannot be read (" + e + "); check permissions.", e);
        }
    }

    private static void checkVersion(String source, JsonNode root) {
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new KeiryoException(source + ": is empty; an experiment file needs at least 'schemaVersion: "
                    + Experiment.SCHEMA_VERSION + "'.");
        }
        if (!root.isObject()) {
            throw new KeiryoException(source + ": must be a section of fields at the top level, starting with"
                    + " 'schemaVersion: " + Experiment.SCHEMA_VERSION + "'.");
        }
        JsonNode v = root.get("schemaVersion");
        if (v == null || v.isNull()) {
            throw new KeiryoException(source + ": schemaVersion is missing; add 'schemaVersion: "
                    + Experiment.SCHEMA_VERSION + "' at the top of the file.");
        }
        Integer version = v.isIntegralNumber() && v.canConvertToInt()
                ? Integer.valueOf(v.asInt())
                : v.isTextual() && v.asText().strip().matches("-?\\d{1,9}")
                        ? Integer.valueOf(v.asText().strip())
                        : null;
        if (version == null) {
            String was = v.isTextual() ? "\"" + v.asText() + "\"" : v.toString();
            throw new KeiryoException(source + ": schemaVersion must be an integer (was " + was + "); use "
                    + Experiment.SCHEMA_VERSION + ".");
        }
        if (version > Experiment.SCHEMA_VERSION) {
            throw new KeiryoException(source + ": schemaVersion " + version + " is newer than this Keiryo supports ("
                    + Experiment.SCHEMA_VERSION + "); upgrade Keiryo.");
        }
        if (version < 1) {
            throw new KeiryoException(source + ": schemaVersion " + version + " is not a valid version; use "
                    + Experiment.SCHEMA_VERSION + ".");
        }
    }
}
