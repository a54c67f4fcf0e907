package dev.keiryo.engine.api.experiment;

import dev.keiryo.engine.api.settings.Range;
import dev.keiryo.engine.api.settings.Setting;

/** The {@code data:} section: where the examples come from and how they are split. */
public final class DataSettings {
    private DataSettings() {}

    public static final Setting<DataSpec.Source> SOURCE = Setting.choice("data.source", DataSpec.Source.class)
            .defaultValue(DataSpec.Source.SAMPLE)
            .help("sample is the bundled Fashion-MNIST subset; fashion-mnist, mnist, cifar10 and cifar100 are"
                    + " found on the disk (or under data.path); idx is a folder of IDX files; csv a numeric CSV"
                    + " file; images a folder with one sub-folder of images per class.")
            .cli("--source")
            .build();

    public static final Setting<String> PATH = Setting.text("data.path")
            .optional()
            .help("The folder (idx, images; fashion-mnist, mnist, cifar10, cifar100 when not found on their"
                    + " own) or CSV file to read; relative to the folder keiryo is run from.")
            .cli("--data")
            .build();

    public static final Setting<String> TEST_PATH = Setting.text("data.testPath")
            .optional()
            .help("csv only: a separate test file; without it a seeded test split is held out.")
            .cli("--test-data")
            .build();

    public static final Setting<String> LABEL_COLUMN = Setting.text("data.labelColumn")
            .optional()
            .help("csv only: the label column, by header name or 0-based index; the last column when left out.")
            .cli("--label-column")
            .build();

    public static final Setting<Double> VALIDATION_FRACTION = Setting.real("data.validationFraction")
            .defaultValue(0.1)
            .range(Range.closedOpen(0, 1))
            .help("Share of the training examples held out for validation: early stopping, previews,"
                    + " sensitivity and distillation choices look at it, never at the test set.")
            .cli("--validation-fraction")
            .sheet("Data", "Validation fraction")
            .build();

    public static final Setting<DataSpec.Normalization> NORMALIZATION = Setting.choice(
                    "data.normalization", DataSpec.Normalization.class)
            .defaultValue(DataSpec.Normalization.AUTO)
            .help("scale maps pixels to [0, 1]; standardize to zero mean and unit variance per feature,"
                    + " per-channel per colour channel (both fitted on the training split); none leaves values"
                    + " as read; auto is per-channel for cifar10, cifar100 and images, scale otherwise.")
            .cli("--normalization")
            .build();

    public static final Setting<Integer> LIMIT_TRAIN = Setting.integer("data.limitTrain")
            .optional()
            .range(Range.atLeast(0))
            .help("Train on a seeded subset of this many examples; all of them when 0 or left out.")
            .cli("--limit-train")
            .sheet("Data", "Training examples (0 = all)")
            .build();

    public static final Setting<Integer> IMAGE_SIZE = Setting.integer("data.imageSize")
            .optional()
            .range(Range.closed(4, 1024))
            .help("images only: the side in pixels every image is resized to (square); the first image's"
                    + " larger side when left out.")
            .cli("--image-size")
            .build();

    public static final Setting<Boolean> SKIP_BAD_IMAGES = Setting.flag("data.skipBadImages")
            .defaultValue(false)
            .help("images only: skip files that cannot be read as images and count them, instead of stopping"
                    + " at the first one.")
            .cli("--skip-bad-images")
            .build();

    public static final Setting<DataSpec.Augment> AUGMENT = Setting.choice("data.augment", DataSpec.Augment.class)
            .defaultValue(DataSpec.Augment.AUTO)
            .help("Random changes to the training images, new each epoch (validation and test data are never"
                    + " changed): crop-flip pads by an eighth of the side and crops at random, and mirrors half"
                    + " the images; auto is crop-flip for cifar10, cifar100 and images, none otherwise.")
            .cli("--augment")
            .build();

    public static final Setting<DataSpec.Streaming> STREAMING = Setting.choice(
                    "data.streaming", DataSpec.Streaming.class)
            .defaultValue(DataSpec.Streaming.AUTO)
            .help("images only: on reads the images from disk every epoch, decoding them on background threads"
                    + " a few minibatches ahead of training, so memory holds only those minibatches; off decodes"
                    + " them all into memory once; auto streams when the decoded images would need more than half"
                    + " of Java's memory (-Xmx).")
            .cli("--streaming")
            .build();
}
