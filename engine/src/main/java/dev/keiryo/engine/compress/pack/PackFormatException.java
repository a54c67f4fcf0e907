package dev.keiryo.engine.compress.pack;

/**
 * A structural inconsistency inside a file whose checksum was fine (a writer bug or a crafted
 * file). Codecs throw it without knowing the file; {@link PackReader} turns it into a
 * {@link dev.keiryo.engine.api.KeiryoException} that names the file and the tensor.
 */
public class PackFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PackFormatException(String detail) {
        super(detail);
    }
}
