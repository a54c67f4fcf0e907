package dev.keiryo.engine.api.experiment;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.io.AtomicWrite;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Whole-file writes that readers never see half done: a crash leaves either the old file or the
 * new one. The temporary file sits next to the target so the final rename stays on one file system.
 */
public final class AtomicFiles {

    private AtomicFiles() {}

    /**
     * Replaces {@code target} with {@code bytes} atomically, creating parent folders as needed.
     *
     * @throws KeiryoException if the file cannot be written
     */
    public static void write(Path target, byte[] bytes) {
        write(target, bytes, UnaryOperator.identity());
    }

    /** As above, the bytes going through {@code through}'s stream: lets tests fail a write halfway. */
    public static void write(Path target, byte[] bytes, UnaryOperator<OutputStream> through) {
        try {
            AtomicWrite.write(target, bytes, true, through);
        } catch (IOException e) {
            throw failure(target, e);
        }
    }

    /**
     * The one sentence for a file that could not be written (a full disk, a read-only folder): which
     * file, the system's reason, and what to check. Earlier files are untouched, since every write
     * goes to a temporary file first.
     */
    public static KeiryoException failure(Path target, IOException e) {
        // Libraries wrap the system's reason ("No space left on device") in their own words.
        Throwable reason = e;
        while (reason.getCause() != null && reason.getCause() != reason) {
            reason = reason.getCause();
        }
        return new KeiryoException(
                target + ": cannot be written (" + reason + "); check free disk space and permissions.", e);
    }
}
