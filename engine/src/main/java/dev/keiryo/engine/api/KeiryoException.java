package dev.keiryo.engine.api;

/**
 * A problem the user can fix: bad input, a missing file, an invalid setting. Its message is one
 * sentence saying what is wrong, where, and what to do; the CLI prints it without a stack trace.
 */
public class KeiryoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KeiryoException(String message) {
        super(message);
    }

    public KeiryoException(String message, Throwable cause) {
        super(message, cause);
    }
}
