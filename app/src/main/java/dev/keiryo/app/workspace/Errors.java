package dev.keiryo.app.workspace;

import dev.keiryo.engine.api.KeiryoException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Turns a failure into one readable sentence for the status bar; the stack trace goes to the log only. */
public final class Errors {
    private static final Logger LOG = Logger.getLogger("dev.keiryo.app");

    private Errors() {}

    public static String describe(Throwable e) {
        Throwable t = unwrap(e);
        if (t instanceof KeiryoException) {
            return t.getMessage();
        }
        LOG.log(Level.WARNING, "unexpected failure", t);
        if (t instanceof IOException || t instanceof UncheckedIOException) {
            return "Could not read or write a file: " + t.getMessage();
        }
        if (t instanceof OutOfMemoryError) {
            return "Out of memory: choose a smaller data set or model, or start with more memory (-Xmx).";
        }
        String m = t.getMessage();
        return "Unexpected error (" + t.getClass().getSimpleName() + (m == null ? "" : ": " + m)
                + "); details are in the log.";
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException
                        || t instanceof ExecutionException
                        || (t instanceof RuntimeException && t.getClass() == RuntimeException.class))
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
