package dev.coderssh.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

/**
 * {@link Json#write} on jackson-core's generator, in the layout files had before Jackson
 * ({@code "key": value}, two-space indented objects, {@code [a, b]} arrays on one line) so a
 * credentials file diffs cleanly across versions. A class apart from {@link Json} so the fast
 * path, which only reads, never loads (or verifies) the writing side.
 */
final class JsonWriter {
    private static final DefaultPrettyPrinter PRINTER = new DefaultPrettyPrinter(Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withArrayValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(DefaultPrettyPrinter.NopIndenter.instance);
    private static final CharacterEscapes ESCAPES = new LineSeparatorEscapes();

    private JsonWriter() {
    }

    static String write(JsonFactory factory, Object value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.setPrettyPrinter(PRINTER);
            g.setCharacterEscapes(ESCAPES);
            write(g, value);
        } catch (IOException e) {
            // A StringWriter does no I/O; only a value JSON cannot hold ends up here.
            throw new JsonException("cannot write the value as JSON");
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String) {
            g.writeString((String) v);
        } else if (v instanceof Boolean) {
            g.writeBoolean((Boolean) v);
        } else if (v instanceof Long || v instanceof Integer) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Number) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new JsonException("not a JSON number");
            }
            g.writeNumber(d);
        } else if (v instanceof Map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List) {
            g.writeStartArray();
            for (Object o : (List<?>) v) {
                write(g, o);
            }
            g.writeEndArray();
        } else {
            throw new JsonException("cannot write " + v.getClass().getSimpleName() + " as JSON");
        }
    }

    /**
     * U+2028 and U+2029 escaped too, as before: JavaScript reads them as line ends inside a string.
     * DEL and the C1 controls as well, so JSON printed on a terminal cannot drive it either.
     */
    private static final class LineSeparatorEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private static final int[] ASCII = CharacterEscapes.standardAsciiEscapesForJSON();
        private static final SerializedString LS = new SerializedString("\\u2028");
        private static final SerializedString PS = new SerializedString("\\u2029");

        static {
            ASCII[0x7f] = CharacterEscapes.ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ASCII;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if (ch >= 0x80 && ch < 0xa0) {
                return new SerializedString(String.format("\\u%04x", ch));
            }
            return ch == 0x2028 ? LS : ch == 0x2029 ? PS : null;
        }
    }
}
