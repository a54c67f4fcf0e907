package dev.keiryo.engine.api.compress;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.experiment.QuantizeStepSpec;
import java.util.function.Consumer;

/**
 * Answers "what if I quantized this variant like this?" while a control moves: accuracy on the
 * preview subset and the exact packed file size, without changing the variant. Results are kept
 * per setting, as users go back and forth over a bit-width control's few positions.
 */
public interface QuantPreviewer extends AutoCloseable {

    /**
     * Computes in the background, newest request first: a request superseded before its turn is
     * dropped. Results and errors arrive on the previewer's own thread.
     *
     * @throws KeiryoException at once, for settings no quantization can have (e.g. 0 bits)
     */
    void submit(QuantizeStepSpec step, Consumer<QuantPreviewResult> onResult, Consumer<Throwable> onError);

    /** Computes now, on the caller's thread. */
    QuantPreviewResult preview(QuantizeStepSpec step);

    /** Stops the background thread; a request still running finishes without being delivered. */
    @Override
    void close();
}
