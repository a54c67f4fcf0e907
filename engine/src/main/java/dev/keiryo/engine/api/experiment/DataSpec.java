package dev.keiryo.engine.api.experiment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keiryo.engine.api.settings.Choice;

/**
 * Where the examples come from and how they are prepared. Relative paths are relative to the
 * working directory, like command-line paths, so a run's copy of the file stays valid on resume.
 *
 * @param path folder (idx; override for fashion-mnist and mnist) or file (csv); null for defaults
 * @param testPath csv only: a separate test file, or null to hold out part of {@code path}
 * @param labelColumn csv only: column name or 0-based index, or null
 * @param limitTrain use only a seeded subset of this many training examples, or null for all
 */
public record DataSpec(
        Source source,
        String path,
        String testPath,
        String labelColumn,
        double validationFraction,
        Normalization normalization,
        Integer limitTrain) {

    public DataSpec {
        // 0 means "all", as leaving it out does; one spelling keeps the lineage and the replay alike.
        limitTrain = limitTrain != null && limitTrain == 0 ? null : limitTrain;
    }

    public static DataSpec defaults() {
        return of(null, null, null, null, null, null, null);
    }

    @JsonCreator
    static DataSpec of(
            @JsonProperty("source") Source source,
            @JsonProperty("path") String path,
            @JsonProperty("testPath") String testPath,
            @JsonProperty("labelColumn") String labelColumn,
            @JsonProperty("validationFraction") Double validationFraction,
            @JsonProperty("normalization") Normalization normalization,
            @JsonProperty("limitTrain") Integer limitTrain) {
        return new DataSpec(
                source == null ? DataSettings.SOURCE.defaultValue() : source,
                path,
                testPath,
                labelColumn,
                validationFraction == null ? DataSettings.VALIDATION_FRACTION.defaultValue() : validationFraction,
                normalization == null ? DataSettings.NORMALIZATION.defaultValue() : normalization,
                limitTrain);
    }

    public DataSpec withSource(Source v) {
        return new DataSpec(v, path, testPath, labelColumn, validationFraction, normalization, limitTrain);
    }

    public DataSpec withPath(String v) {
        return new DataSpec(source, v, testPath, labelColumn, validationFraction, normalization, limitTrain);
    }

    public DataSpec withTestPath(String v) {
        return new DataSpec(source, path, v, labelColumn, validationFraction, normalization, limitTrain);
    }

    public DataSpec withLabelColumn(String v) {
        return new DataSpec(source, path, testPath, v, validationFraction, normalization, limitTrain);
    }

    public DataSpec withValidationFraction(double v) {
        return new DataSpec(source, path, testPath, labelColumn, v, normalization, limitTrain);
    }

    public DataSpec withNormalization(Normalization v) {
        return new DataSpec(source, path, testPath, labelColumn, validationFraction, v, limitTrain);
    }

    public DataSpec withLimitTrain(Integer v) {
        return new DataSpec(source, path, testPath, labelColumn, validationFraction, normalization, v);
    }

    public enum Source implements Choice {
        SAMPLE("sample"),
        FASHION_MNIST("fashion-mnist"),
        MNIST("mnist"),
        IDX("idx"),
        CSV("csv");

        private final String id;

        Source(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }
    }

    public enum Normalization implements Choice {
        SCALE("scale"),
        STANDARDIZE("standardize"),
        NONE("none");

        private final String id;

        Normalization(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }
    }
}
