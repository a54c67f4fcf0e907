package dev.keiryo.app.quantize;

import dev.keiryo.app.workspace.Bytes;
import dev.keiryo.app.workspace.Errors;
import dev.keiryo.app.workspace.Prepared;
import dev.keiryo.app.workspace.Workspace;
import dev.keiryo.engine.api.compress.QuantPreviewResult;
import dev.keiryo.engine.api.compress.QuantPreviewer;
import dev.keiryo.engine.api.engine.Session;
import dev.keiryo.engine.api.experiment.QuantizeStepSpec;
import dev.keiryo.engine.api.experiment.StepSpec;
import dev.keiryo.engine.api.run.Variant;
import java.util.Locale;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * Quantize: a code format and bit width previewed in the background (accuracy on the validation
 * subset, exact packed file size) while the controls move; Apply makes a variant whose size is its
 * real .kpack file.
 */
public final class QuantizeViewModel {
    static final int PREVIEW_EXAMPLES = 1000;

    public enum Mode {
        AFFINE("affine"),
        BINARY("binary"),
        TERNARY("ternary"),
        CODEBOOK("codebook");

        final String id;

        Mode(String id) {
            this.id = id;
        }
    }

    private final Workspace ws;
    private final ObjectProperty<Mode> mode = new SimpleObjectProperty<>(Mode.AFFINE);
    private final IntegerProperty bits = new SimpleIntegerProperty(8);
    private final BooleanProperty perChannel = new SimpleBooleanProperty(true);
    private final BooleanProperty symmetric = new SimpleBooleanProperty(true);
    private final BooleanProperty huffman = new SimpleBooleanProperty();
    private final StringProperty previewText = new SimpleStringProperty("Train or open a model first.");
    private final ObjectProperty<QuantPreviewResult> preview = new SimpleObjectProperty<>();
    private final BooleanProperty busy = new SimpleBooleanProperty();
    private final Prepared<Variant, Base> prepared;

    private record Base(Variant variant, QuantPreviewer preview) {}

    public QuantizeViewModel(Workspace ws) {
        this.ws = ws;
        this.prepared = new Prepared<>(
                ws,
                "prepare quantization preview",
                previewText,
                b -> b.preview().close());
        ws.baseProperty().addListener((o, a, v) -> prepare(v));
        mode.addListener((o, a, m) -> {
            if (m == Mode.CODEBOOK) {
                bits.set(Math.min(8, bits.get()));
            }
            requestPreview();
        });
        bits.addListener((o, a, b) -> requestPreview());
        perChannel.addListener((o, a, b) -> requestPreview());
        symmetric.addListener((o, a, b) -> requestPreview());
        huffman.addListener((o, a, b) -> requestPreview());
    }

    private void prepare(Variant v) {
        QuantizeStepSpec first = v == null ? null : step(v.id());
        prepared.prepare(
                v,
                v == null ? null : "Preparing the preview of " + v.id() + "...",
                (s, variant) ->
                        new Base(variant, withFirstPreview(s.quantPreviewer(variant.id(), PREVIEW_EXAMPLES), first)),
                b -> requestPreview());
    }

    /**
     * Computes the preview of the controls' setting while preparing, so that it is cached when the
     * view asks: the first preview of a new variant is the one a user waits for, and it would
     * otherwise also compete with the pruning preview being prepared at the same moment.
     */
    private static QuantPreviewer withFirstPreview(QuantPreviewer p, QuantizeStepSpec first) {
        try {
            p.preview(first);
        } catch (RuntimeException e) {
            // The view's own request gives the sentence for a setting the model cannot take.
        }
        return p;
    }

    /** The step the controls describe, starting from the base variant. */
    QuantizeStepSpec step(String from) {
        Mode m = mode.get();
        int b = switch (m) {
            case BINARY -> 1;
            case TERNARY -> 2;
            case CODEBOOK -> Math.min(8, bits.get());
            case AFFINE -> bits.get();
        };
        return new QuantizeStepSpec(
                m.id, b, symmetric.get(), m != Mode.CODEBOOK && perChannel.get(), true, huffman.get(), from);
    }

    @SuppressWarnings("ReferenceEquality") // latest request wins: only the very base still current may show
    private void requestPreview() {
        Base b = prepared.current();
        if (b == null) {
            return;
        }
        try {
            b.preview()
                    .submit(
                            step(b.variant().id()),
                            r -> ws.tasks().ui(() -> {
                                if (prepared.current() == b) {
                                    preview.set(r);
                                    previewText.set(describe(r));
                                }
                            }),
                            e -> ws.tasks().ui(() -> previewText.set(Errors.describe(e))));
        } catch (RuntimeException e) {
            // Settings no quantization can have are refused at once, before any work.
            previewText.set(Errors.describe(e));
        }
    }

    static String describe(QuantPreviewResult r) {
        return String.format(
                Locale.ROOT,
                "%s | file %s (%.1fx smaller than float32 %s)" + " | %.0f ms",
                dev.keiryo.app.charts.Wilson.describe(r.accuracy(), r.examples()),
                Bytes.human(r.fileBytes()),
                r.ratio(),
                Bytes.human(r.float32FileBytes()),
                r.millis());
    }

    /** Makes the previewed setting a new variant in the session's run. */
    public void apply() {
        Base b = prepared.current();
        Session s = ws.session().orElse(null);
        if (b == null || s == null || busy.get()) {
            ws.status().error("Nothing to quantize yet: train a model or open one first.");
            return;
        }
        QuantizeStepSpec spec = step(b.variant().id());
        busy.set(true);
        ws.status().busy(true);
        ws.status().info("Quantizing " + b.variant().id() + "...");
        ws.tasks()
                .run(
                        "apply quantization",
                        () -> s.apply(StepSpec.of(spec), null, null),
                        added -> {
                            busy.set(false);
                            ws.status().busy(false);
                            ws.added(added);
                            Variant v = added.get(added.size() - 1);
                            ws.status()
                                    .info(String.format(
                                            Locale.ROOT,
                                            "%s: %s %d-bit from %s, accuracy %.4f, file %s (%.1fx smaller than float32)",
                                            v.id(),
                                            spec.mode(),
                                            spec.bits(),
                                            b.variant().id(),
                                            v.metrics().accuracy(),
                                            Bytes.human(v.metrics().fileBytes()),
                                            v.metrics().compressionVsFloat32()));
                        },
                        e -> {
                            busy.set(false);
                            ws.status().busy(false);
                            ws.status().error(e);
                        });
    }

    /** The bit widths a sweep applies with the current format. */
    public java.util.List<Integer> sweepBits() {
        return switch (mode.get()) {
            case AFFINE -> java.util.List.of(8, 6, 5, 4, 3, 2);
            case CODEBOOK -> java.util.List.of(8, 6, 5, 4, 3, 2, 1);
            default -> java.util.List.of(mode.get() == Mode.BINARY ? 1 : 2);
        };
    }

    /** One variant per bit width of {@link #sweepBits()} from the base variant, each on the chart as soon as it is made. */
    public void sweep() {
        Base b = prepared.current();
        Session s = ws.session().orElse(null);
        if (b == null || s == null || busy.get()) {
            ws.status().error("Nothing to quantize yet: train a model or open one first.");
            return;
        }
        java.util.List<QuantizeStepSpec> steps = new java.util.ArrayList<>();
        for (int n : sweepBits()) {
            QuantizeStepSpec one = step(b.variant().id());
            steps.add(new QuantizeStepSpec(
                    one.mode(), n, one.symmetric(), one.perChannel(), one.sparse(), one.huffman(), one.from()));
        }
        busy.set(true);
        DoubleProperty fraction = new SimpleDoubleProperty();
        ws.status().busy(fraction);
        ws.tasks()
                .run(
                        "quantization sweep",
                        () -> {
                            int done = 0;
                            for (QuantizeStepSpec spec : steps) {
                                java.util.List<Variant> added = s.apply(StepSpec.of(spec), null, null);
                                double f = (double) ++done / steps.size();
                                ws.tasks().ui(() -> {
                                    ws.added(added);
                                    fraction.set(f);
                                    ws.status().info("Sweep: " + spec.bits() + " bits done.");
                                });
                            }
                            return steps.size();
                        },
                        n -> {
                            busy.set(false);
                            ws.status().busy(false);
                            ws.status()
                                    .info("Sweep finished: " + n + " quantized variants of "
                                            + b.variant().id() + " on the trade-off chart.");
                        },
                        e -> {
                            busy.set(false);
                            ws.status().busy(false);
                            ws.status().error(e);
                        });
    }

    public ObjectProperty<Mode> modeProperty() {
        return mode;
    }

    public IntegerProperty bitsProperty() {
        return bits;
    }

    public BooleanProperty perChannelProperty() {
        return perChannel;
    }

    public BooleanProperty symmetricProperty() {
        return symmetric;
    }

    public BooleanProperty huffmanProperty() {
        return huffman;
    }

    public StringProperty previewTextProperty() {
        return previewText;
    }

    public ObjectProperty<QuantPreviewResult> previewProperty() {
        return preview;
    }

    public ReadOnlyBooleanProperty readyProperty() {
        return prepared.readyProperty();
    }

    /** The variant quantization starts from. */
    public javafx.beans.property.ReadOnlyObjectProperty<Variant> baseProperty() {
        return ws.baseProperty();
    }

    public BooleanProperty busyProperty() {
        return busy;
    }
}
