package dev.keiryo.app.ui;

import java.util.function.Function;
import javafx.util.StringConverter;

/** Readable names for choices shown in combo boxes. */
public final class Converters {
    private Converters() {}

    public static <T> StringConverter<T> names(Function<T, String> name) {
        return new StringConverter<>() {
            @Override
            public String toString(T t) {
                return t == null ? "" : name.apply(t);
            }

            @Override
            public T fromString(String s) {
                return null;
            }
        };
    }
}
