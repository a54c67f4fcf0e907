package dev.keiryo.engine.api.settings;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.keiryo.engine.api.KeiryoException;
import java.util.Arrays;
import java.util.List;

/**
 * An enum value as spelled in experiment files and on the command line ("fashion-mnist", not
 * FASHION_MNIST), so that files, flags and error messages all use the same words.
 */
public interface Choice {

    @JsonValue
    String id();

    /** The spellings of every constant of {@code type}, in declaration order. */
    static <E extends Enum<E> & Choice> List<String> ids(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Choice::id).toList();
    }

    /**
     * Parses {@code text} (case-insensitive) for a command-line flag or setting named {@code field}.
     *
     * @throws KeiryoException naming the field and the allowed values
     */
    static <E extends Enum<E> & Choice> E parse(Class<E> type, String text, String field) {
        for (E e : type.getEnumConstants()) {
            if (e.id().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return e;
            }
        }
        throw new KeiryoException(
                field + " must be one of " + String.join(", ", ids(type)) + " (was \"" + text + "\").");
    }
}
