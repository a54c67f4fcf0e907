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

    /**
     * {@code e} with its message on one printable line: names read from a damaged or crafted file
     * can hold line breaks and other control characters, shown here as Java escapes (a line break
     * becomes backslash, u, 000a).
     */
    public static KeiryoException printable(KeiryoException e) {
        String m = e.getMessage();
        StringBuilder out = new StringBuilder(m.length());
        boolean changed = false;
        for (int i = 0; i < m.length(); i++) {
            char c = m.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                changed = true;
            } else {
                out.append(c);
            }
        }
        return changed ? new KeiryoException(out.toString(), e.getCause()) : e;
    }
}
