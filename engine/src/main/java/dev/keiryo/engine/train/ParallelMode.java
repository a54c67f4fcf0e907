package dev.keiryo.engine.train;

import dev.keiryo.engine.api.KeiryoException;
import java.util.Locale;

/** How training uses its workers. */
public enum ParallelMode {
    /** One model on one device. */
    SINGLE,
    /** Each worker trains its own minibatches; parameters (and updater state) are averaged every k iterations. */
    SYNC,
    /** Workers share threshold-encoded updates as they go, without waiting for each other. */
    ASYNC;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ParallelMode parse(String s) {
        for (ParallelMode m : values()) {
            if (m.id().equalsIgnoreCase(s == null ? "" : s.trim())) {
                return m;
            }
        }
        throw new KeiryoException("unknown training mode '" + s + "'; choose single, sync or async.");
    }
}
