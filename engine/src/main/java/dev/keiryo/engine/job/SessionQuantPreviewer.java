package dev.keiryo.engine.job;

import dev.keiryo.engine.api.compress.QuantPreviewResult;
import dev.keiryo.engine.api.compress.QuantPreviewer;
import dev.keiryo.engine.api.experiment.QuantizeStepSpec;
import dev.keiryo.engine.compress.quant.QuantizationPreview;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.model.KeiryoModel;
import java.util.function.Consumer;

/** A session's {@link QuantPreviewer}: the engine's {@link QuantizationPreview} of one variant, set by quantize steps. */
final class SessionQuantPreviewer implements QuantPreviewer {
    private final QuantizationPreview preview;

    SessionQuantPreviewer(KeiryoModel model, Dataset choices, int examples) {
        this.preview = new QuantizationPreview(model, choices, examples);
    }

    @Override
    public void submit(QuantizeStepSpec step, Consumer<QuantPreviewResult> onResult, Consumer<Throwable> onError) {
        preview.submit(QuantizeStep.spec(step), onResult, onError);
    }

    @Override
    public QuantPreviewResult preview(QuantizeStepSpec step) {
        return preview.evaluate(QuantizeStep.spec(step), () -> false);
    }

    @Override
    public void close() {
        preview.close();
    }
}
