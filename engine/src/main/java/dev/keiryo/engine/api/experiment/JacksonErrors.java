package dev.keiryo.engine.api.experiment;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.settings.Choice;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns Jackson's exceptions into one-sentence messages that name the file and the field. */
final class JacksonErrors {

    private JacksonErrors() {}

    static KeiryoException translate(String source, String format, JsonProcessingException e) {
        if (e instanceof JsonParseException) {
            return new KeiryoException(
                    source + ": malformed " + format + " at " + where(e.getLocation()) + " ("
                            + firstLine(e.getOriginalMessage()) + "); fix the syntax there.",
                    e);
        }
        if (!(e instanceof JsonMappingException m)) {
            return new KeiryoException(source + ": cannot be read (" + firstLine(e.getOriginalMessage()) + ").", e);
        }
        String field = path(m.getPath());
        if (m instanceof UnrecognizedPropertyException u) {
            return unknownField(source, field, u);
        }
        if (m instanceof ValueInstantiationException && m.getCause() instanceof IllegalArgumentException refused) {
            // A value's own creator refused it, in a sentence that already names the field.
            return new KeiryoException(source + ": " + refused.getMessage() + "; fix the value.", e);
        }
        if (m instanceof MismatchedInputException mi && mi.getTargetType() != null && !field.isEmpty()) {
            String was = m instanceof InvalidFormatException f ? render(f.getValue()) : currentValue(mi);
            return new KeiryoException(
                    source + ": " + field + " must be " + expected(mi.getTargetType()) + " (was " + was + ").", e);
        }
        return new KeiryoException(
                source + ": " + (field.isEmpty() ? "" : field + ": ") + firstLine(e.getOriginalMessage())
                        + "; fix the value.",
                e);
    }

    private static KeiryoException unknownField(String source, String field, UnrecognizedPropertyException u) {
        List<String> known = knownFields(u);
        String suggestion = closest(u.getPropertyName(), known);
        return new KeiryoException(
                source + ": unknown field '" + field + "' (known: " + String.join(", ", known) + "); "
                        + (suggestion == null
                                ? "remove it or fix its spelling."
                                : "did you mean '" + suggestion + "'?"),
                u);
    }

    /** In declaration order, which reads better than Jackson's unordered set. */
    private static List<String> knownFields(UnrecognizedPropertyException u) {
        Class<?> type = u.getReferringClass();
        if (type != null && type.isRecord()) {
            return Arrays.stream(type.getRecordComponents())
                    .map(RecordComponent::getName)
                    .toList();
        }
        List<String> known = new ArrayList<>();
        if (u.getKnownPropertyIds() != null) {
            u.getKnownPropertyIds().forEach(id -> known.add(String.valueOf(id)));
        }
        known.sort(null);
        return known;
    }

    private static String closest(String name, List<String> known) {
        String best = null;
        int bestDistance = 3;
        for (String k : known) {
            int d = distance(name.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String expected(Class<?> type) {
        if (type.isEnum() && Choice.class.isAssignableFrom(type)) {
            List<String> ids = new ArrayList<>();
            for (Object c : type.getEnumConstants()) {
                ids.add(((Choice) c).id());
            }
            return "one of " + String.join(", ", ids);
        }
        if (type == Integer.class
                || type == int.class
                || type == Long.class
                || type == long.class
                || type == Short.class
                || type == short.class
                || type == BigInteger.class) {
            return "an integer";
        }
        if (type == Double.class
                || type == double.class
                || type == Float.class
                || type == float.class
                || type == BigDecimal.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a text value";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a section of fields";
        }
        return "a " + type.getSimpleName();
    }

    private static String currentValue(MismatchedInputException e) {
        if (!(e.getProcessor() instanceof JsonParser p)) {
            return "something else";
        }
        JsonToken t = p.currentToken();
        if (t == null) {
            return "nothing";
        }
        try {
            return switch (t) {
                case START_OBJECT -> "a section of fields";
                case START_ARRAY -> "a list";
                case VALUE_STRING -> render(p.getText());
                case VALUE_NULL -> "null";
                default -> p.getText();
            };
        } catch (java.io.IOException io) {
            return "something else";
        }
    }

    private static String render(Object value) {
        if (value instanceof CharSequence s) {
            return "\"" + s + "\"";
        }
        return String.valueOf(value);
    }

    private static String where(JsonLocation loc) {
        if (loc == null || loc.getLineNr() < 1) {
            return "an unknown position";
        }
        return "line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }

    static String firstLine(String s) {
        if (s == null) {
            return "no details";
        }
        String trimmed = s.strip();
        int nl = trimmed.indexOf('\n');
        return nl < 0 ? trimmed : trimmed.substring(0, nl).strip();
    }
}
