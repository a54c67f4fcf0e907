package dev.keiryo.engine.api.settings;

import dev.keiryo.engine.api.KeiryoException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One setting, declared once: its name in the experiment file, type, default, the values it
 * accepts, help text, and where else it appears (a command-line flag, a row of the workbench's
 * property sheet). The experiment file's checks, the engine's own settings types, the CLI and the
 * workbench all ask the declaration, so they accept the same values and refuse the others with the
 * same sentence: "{@code <key> must be <rule> (was <value>)}".
 *
 * @param <T> the value's Java type: Integer, Long, Double, Boolean, String or a {@link Choice} enum
 */
public final class Setting<T> {
    private final String key;
    private final Class<T> type;
    private final T defaultValue;
    private final boolean optional;
    private final Predicate<T> accepts;
    private final String rule;
    private final String help;
    private final String flag;
    private final String category;
    private final String label;
    private final Range range;
    private final String listDefault;

    private Setting(Builder<T> b) {
        this.key = Objects.requireNonNull(b.key);
        this.type = b.type;
        this.defaultValue = b.defaultValue;
        this.optional = b.optional;
        this.accepts = b.accepts;
        this.rule = b.rule;
        this.help = Objects.requireNonNull(b.help, () -> b.key + ": help text missing");
        this.flag = b.flag;
        this.category = b.category;
        this.label = b.label;
        this.range = b.range;
        this.listDefault = b.listDefault;
    }

    /** A decimal number, e.g. {@code real("train.learningRate").range(Range.open(0, 10))}. */
    public static Builder<Double> real(String key) {
        return new Builder<>(key, Double.class);
    }

    public static Builder<Integer> integer(String key) {
        return new Builder<>(key, Integer.class);
    }

    public static Builder<Long> whole(String key) {
        return new Builder<>(key, Long.class);
    }

    public static Builder<Boolean> flag(String key) {
        return new Builder<>(key, Boolean.class);
    }

    public static Builder<String> text(String key) {
        return new Builder<>(key, String.class);
    }

    /** One of the spellings of an enum that implements {@link Choice}. */
    public static <E extends Enum<E> & Choice> Builder<E> choice(String key, Class<E> type) {
        Builder<E> b = new Builder<>(key, type);
        b.rule = "one of " + String.join(", ", Choice.ids(type));
        return b;
    }

    /** Its name in the experiment file: {@code section.field}, or {@code kind.field} for a step's field. */
    public String key() {
        return key;
    }

    public Class<T> type() {
        return type;
    }

    /** The value when the file, flags and sheet leave it out; null when leaving it out means "none". */
    public T defaultValue() {
        return defaultValue;
    }

    /** Whether leaving it out (null) is allowed. */
    public boolean optional() {
        return optional;
    }

    /** What it accepts, as the error sentence says it: "> 0 and < 10", "one of adam, sgd". */
    public String rule() {
        return rule;
    }

    public String help() {
        return help;
    }

    /**
     * Whether the setting is a list in the file and this declaration rules each of its elements (the
     * problem then names the element, {@code model.hidden[1]}).
     */
    public boolean isList() {
        return listDefault != null;
    }

    /** A list setting's default as the file would spell it, e.g. {@code [256, 128]}. */
    public String listDefault() {
        return listDefault;
    }

    /** The numeric range, for spinners and sliders; empty for other types. */
    /** The default as a user writes it in the file or on the command line; "none" or "required" when there is none. */
    public String defaultText() {
        if (isList()) {
            return listDefault();
        }
        if (defaultValue == null) {
            return optional ? "none" : "required";
        }
        return defaultValue instanceof Choice c ? c.id() : String.valueOf(defaultValue);
    }

    /**
     * What a command-line flag that sets this does, for its help: a flag without a value (a boolean
     * setting) sets the opposite of the default.
     */
    public String flagHelp() {
        if (type == Boolean.class && !isList()) {
            return help + " The flag sets " + key + " to " + !Boolean.TRUE.equals(defaultValue) + ".";
        }
        String accepts =
                isList() ? " A list, each " + rule() + "." : type == String.class ? "" : " Accepts " + rule() + ".";
        return help + accepts + " Default: " + defaultText() + ".";
    }

    public Optional<Range> range() {
        return Optional.ofNullable(range);
    }

    /** The command-line flag that sets it, e.g. {@code --lr}; empty when there is none. */
    public Optional<String> cliFlag() {
        return Optional.ofNullable(flag);
    }

    /** The workbench's property-sheet category and label; empty when the sheet does not show it. */
    public Optional<String> sheetLabel() {
        return Optional.ofNullable(label);
    }

    public String sheetCategory() {
        return category;
    }

    /** The enum constants of a choice, in declaration order; empty otherwise. */
    public List<T> choices() {
        return type.isEnum() ? Arrays.asList(type.getEnumConstants()) : List.of();
    }

    /** The sentence refusing {@code value} at this setting's own key, or null when it is accepted. */
    public String problem(T value) {
        return problem(value, key);
    }

    /**
     * The sentence refusing {@code value}, naming it {@code at} (e.g. {@code steps[2].prune.sparsity}),
     * without the closing period; null when the value is accepted.
     */
    public String problem(T value, String at) {
        if (value == null) {
            return optional ? null : at + " must be set; use " + rule;
        }
        if (value instanceof Double d && !Double.isFinite(d)) {
            return at + " must be " + rule + " (was " + show(value) + ")";
        }
        return accepts.test(value) ? null : at + " must be " + rule + " (was " + show(value) + ")";
    }

    /** Adds the problem with {@code value}, if any, to {@code problems}. */
    public void check(T value, String at, List<String> problems) {
        String p = problem(value, at);
        if (p != null) {
            problems.add(p);
        }
    }

    /**
     * Returns {@code value} when accepted.
     *
     * @throws KeiryoException with the setting's sentence when it is not
     */
    public T require(T value) {
        return require(value, key);
    }

    public T require(T value, String at) {
        String p = problem(value, at);
        if (p != null) {
            throw new KeiryoException(p + ".");
        }
        return value;
    }

    /** {@link #parse(String, String)} naming the setting by its key, as the file's checks do. */
    public T parse(String text) {
        return parse(text, key);
    }

    /**
     * Reads a value as typed on a command line or in a text field, then checks it.
     *
     * @param at how the user named it ({@code --lr}, or the key)
     * @throws KeiryoException naming {@code at} when the text is no value of this type or is refused
     */
    public T parse(String text, String at) {
        return require(convert(text, at), at);
    }

    @SuppressWarnings({"unchecked", "rawtypes"}) // type is the class of T, checked by the factories
    private T convert(String text, String at) {
        String t = text == null ? "" : text.trim();
        try {
            if (type == Double.class) {
                return type.cast(Double.valueOf(t));
            }
            if (type == Integer.class) {
                return type.cast(Integer.valueOf(t));
            }
            if (type == Long.class) {
                return type.cast(Long.valueOf(t));
            }
        } catch (NumberFormatException e) {
            throw new KeiryoException(at + " must be " + rule + " (was \"" + text + "\", not a number).", e);
        }
        if (type == Boolean.class) {
            return switch (t.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on" -> type.cast(true);
                case "false", "no", "off" -> type.cast(false);
                default -> throw new KeiryoException(at + " must be true or false (was \"" + text + "\").");
            };
        }
        if (type.isEnum()) {
            return (T) Choice.parse((Class) type, t, at);
        }
        return type.cast(text);
    }

    private static String show(Object v) {
        if (v instanceof Choice c) {
            return "\"" + c.id() + "\"";
        }
        if (v instanceof String s) {
            return "\"" + s + "\"";
        }
        return String.valueOf(v);
    }

    @Override
    public String toString() {
        return key;
    }

    /** Declares a setting; {@link #help} is required. */
    public static final class Builder<T> {
        private final String key;
        private final Class<T> type;
        private T defaultValue;
        private boolean optional;
        private Predicate<T> accepts = v -> true;
        private String rule = "a value";
        private String help;
        private String flag;
        private String category;
        private String label;
        private Range range;
        private String listDefault;

        private Builder(String key, Class<T> type) {
            this.key = key;
            this.type = type;
            if (type == Boolean.class) {
                rule = "true or false";
            } else if (type == String.class) {
                rule = "text";
            } else if (type == Long.class || type == Integer.class) {
                rule = "a whole number";
            }
        }

        public Builder<T> defaultValue(T v) {
            this.defaultValue = v;
            return this;
        }

        /** Leaving it out is allowed and means "none" (or "automatic"); the help says which. */
        public Builder<T> optional() {
            this.optional = true;
            return this;
        }

        /** Accepts the numbers in {@code r}. */
        public Builder<T> range(Range r) {
            this.range = r;
            this.rule = r.text(type == Double.class);
            this.accepts = v -> r.contains(((Number) v).doubleValue());
            return this;
        }

        /** Accepts what {@code test} accepts, described as {@code rule} in the error sentence. */
        public Builder<T> accepts(Predicate<T> test, String ruleText) {
            this.accepts = test;
            this.rule = ruleText;
            return this;
        }

        /** Accepts one of {@code spellings} (a text setting whose values are words). */
        public Builder<T> oneOf(String... spellings) {
            java.util.Set<String> allowed = java.util.Set.of(spellings);
            this.rule = "one of " + String.join(", ", new java.util.TreeSet<>(allowed));
            this.accepts = v -> allowed.contains(String.valueOf(v));
            return this;
        }

        /** The file holds a list of such values; {@code defaultText} is the list's default as written. */
        public Builder<T> list(String defaultText) {
            this.listDefault = defaultText;
            return this;
        }

        public Builder<T> help(String sentence) {
            this.help = sentence;
            return this;
        }

        public Builder<T> cli(String cliFlag) {
            this.flag = cliFlag;
            return this;
        }

        /** Shown in the workbench's property sheet under {@code sheetCategory} as {@code sheetLabel}. */
        public Builder<T> sheet(String sheetCategory, String sheetLabel) {
            this.category = sheetCategory;
            this.label = sheetLabel;
            return this;
        }

        public Setting<T> build() {
            return new Setting<>(this);
        }
    }
}
