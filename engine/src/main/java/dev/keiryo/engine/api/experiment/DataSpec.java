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
 * @param imageSize images only: the side every image is resized to, or null for the first image's size
 * @param skipBadImages images only: skip unreadable files (and count them) instead of stopping
 * @param augment training-time augmentation; {@code auto} turns it on for the colour image sources
 * @param streaming images only: whether images are read from disk each epoch instead of held in memory
 */
public record DataSpec(
        Source source,
        String path,
        String testPath,
        String labelColumn,
        double validationFraction,
        Normalization normalization,
        Integer limitTrain,
        Integer imageSize,
        boolean skipBadImages,
        Augment augment,
        Streaming streaming) {

    public DataSpec {
        // 0 means "all", as leaving it out does; one spelling keeps the lineage and the replay alike.
        limitTrain = limitTrain != null && limitTrain == 0 ? null : limitTrain;
    }

    public static DataSpec defaults() {
        return of(null, null, null, null, null, null, null, null, null, null, null);
    }

    @JsonCreator
    static DataSpec of(
            @JsonProperty("source") Source source,
            @JsonProperty("path") String path,
            @JsonProperty("testPath") String testPath,
            @JsonProperty("labelColumn") String labelColumn,
            @JsonProperty("validationFraction") Double validationFraction,
            @JsonProperty("normalization") Normalization normalization,
            @JsonProperty("limitTrain") Integer limitTrain,
            @JsonProperty("imageSize") Integer imageSize,
            @JsonProperty("skipBadImages") Boolean skipBadImages,
            @JsonProperty("augment") Augment augment,
            @JsonProperty("streaming") Streaming streaming) {
        return new DataSpec(
                source == null ? DataSettings.SOURCE.defaultValue() : source,
                path,
                testPath,
                labelColumn,
                validationFraction == null ? DataSettings.VALIDATION_FRACTION.defaultValue() : validationFraction,
                normalization == null ? DataSettings.NORMALIZATION.defaultValue() : normalization,
                limitTrain,
                imageSize,
                skipBadImages == null ? DataSettings.SKIP_BAD_IMAGES.defaultValue() : skipBadImages,
                augment == null ? DataSettings.AUGMENT.defaultValue() : augment,
                streaming == null ? DataSettings.STREAMING.defaultValue() : streaming);
    }

    public DataSpec withSource(Source v) {
        return new DataSpec(
                v,
                path,
                testPath,
                labelColumn,
                validationFraction,
                normalization,
                limitTrain,
                imageSize,
                skipBadImages,
                augment,
                streaming);
    }

    public DataSpec withPath(String v) {
        return new DataSpec(
                source,
                v,
                testPath,
                labelColumn,
                validationFraction,
                normalization,
                limitTrain,
                imageSize,
                skipBadImages,
                augment,
                streaming);
    }

    public DataSpec withTestPath(String v) {
        return new DataSpec(
                source,
                path,
                v,
                labelColumn,
                validationFraction,
                normalization,
                limitTrain,
                imageSize,
                skipBadImages,
                augment,
                streaming);
    }

    public DataSpec withLabelColumn(String v) {
        return new DataSpec(
                source,
                path,
                testPath,
                v,
                validationFraction,
                normalization,
                limitTrain,
                imageSize,
                skipBadImages,
                augment,
                streaming);
    }

    public DataSpec withValidationFraction(double v) {
        return new DataSpec(
                source,
                path,
                testPath,
                labelColumn,
                v,
                normalization,
                limitTrain,
                imageSize,
                skipBadImages,
                augment,
                streaming);
    }

    public DataSpec withNormalization(Normalization v) {
        return new DataSpec(
                source,
                path,
                testPath,
                labelColumn,
                validationFraction,
                v,
                limitTrain,
                imageSize,
                skipBadImages,
                augment,
                streaming);
    }

    public DataSpec withLimitTrain(Integer v) {
        return new DataSpec(
                source,
                path,
                testPath,
                labelColumn,
                validationFraction,
                normalization,
                v,
                imageSize,
                skipBadImages,
                augment,
                streaming);
    }

    public DataSpec withImageSize(Integer v) {
        return new DataSpec(
                source,
                path,
                testPath,
                labelColumn,
                validationFraction,
                normalization,
                limitTrain,
                v,
                skipBadImages,
                augment,
                streaming);
    }

    public DataSpec withSkipBadImages(boolean v) {
        return new DataSpec(
                source,
                path,
                testPath,
                labelColumn,
                validationFraction,
                normalization,
                limitTrain,
                imageSize,
                v,
                augment,
                streaming);
    }

    public DataSpec withAugment(Augment v) {
        return new DataSpec(
                source,
                path,
                testPath,
                labelColumn,
                validationFraction,
                normalization,
                limitTrain,
                imageSize,
                skipBadImages,
                v,
                streaming);
    }

    public DataSpec withStreaming(Streaming v) {
        return new DataSpec(
                source,
                path,
                testPath,
                labelColumn,
                validationFraction,
                normalization,
                limitTrain,
                imageSize,
                skipBadImages,
                augment,
                v);
    }

    /** True for the sources that read colour images: cifar10, cifar100 and images. */
    public boolean colourImages() {
        return source == Source.CIFAR10 || source == Source.CIFAR100 || source == Source.IMAGES;
    }

    /** The normalisation {@code auto} stands for with this source. */
    public Normalization resolvedNormalization() {
        if (normalization != Normalization.AUTO) {
            return normalization;
        }
        return colourImages() ? Normalization.PER_CHANNEL : Normalization.SCALE;
    }

    /** The augmentation {@code auto} stands for with this source. */
    public Augment resolvedAugment() {
        if (augment != Augment.AUTO) {
            return augment;
        }
        return colourImages() ? Augment.CROP_FLIP : Augment.NONE;
    }

    public enum Source implements Choice {
        SAMPLE("sample"),
        FASHION_MNIST("fashion-mnist"),
        MNIST("mnist"),
        IDX("idx"),
        CSV("csv"),
        CIFAR10("cifar10"),
        CIFAR100("cifar100"),
        IMAGES("images");

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
        AUTO("auto"),
        SCALE("scale"),
        STANDARDIZE("standardize"),
        PER_CHANNEL("per-channel"),
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

    /** Whether an image folder is decoded into memory once or read from disk every epoch. */
    public enum Streaming implements Choice {
        AUTO("auto"),
        ON("on"),
        OFF("off");

        private final String id;

        Streaming(String id) {
            this.id = id;
        }

        /** YAML 1.1, which the experiment files are read as, takes an unquoted on or off for a boolean. */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Streaming of(Object value) {
            if (value instanceof Boolean b) {
                return b ? ON : OFF;
            }
            for (Streaming s : values()) {
                if (s.id.equalsIgnoreCase(String.valueOf(value).strip())) {
                    return s;
                }
            }
            String was = value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
            throw new IllegalArgumentException("data.streaming must be one of auto, on, off (was " + was + ")");
        }

        @Override
        public String id() {
            return id;
        }
    }

    /** Random changes to each training image, drawn anew every epoch. */
    public enum Augment implements Choice {
        AUTO("auto"),
        NONE("none"),
        CROP_FLIP("crop-flip"),
        CROP("crop"),
        FLIP("flip");

        private final String id;

        Augment(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }
    }
}
