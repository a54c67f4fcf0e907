package dev.keiryo.engine.data;

import dev.keiryo.engine.api.KeiryoException;

/** Input data that cannot be used as given: a malformed, truncated or missing data file. */
public class DataFormatException extends KeiryoException {
    private static final long serialVersionUID = 1L;

    public DataFormatException(String message) {
        super(message);
    }

    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
