package dev.coderssh.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;

class JsonTest {
    @Example
    @SuppressWarnings("unchecked")
    void parsesTheUsualShapes() {
        Map<String, Object> m = Json.parseObject("{\"a\": 1, \"b\": [true, null, \"x\\u00e9\\n\"], \"c\": {\"d\": -2.5e1}}");
        assertThat(m.get("a")).isEqualTo(1L);
        assertThat((List<Object>) m.get("b")).containsExactly(true, null, "x\u00e9\n");
        assertThat(((Map<?, ?>) m.get("c")).get("d")).isEqualTo(-25.0);
    }

    @Example
    void rejectsBrokenDocuments() {
        for (String bad : List.of("", "{", "{\"a\":}", "[1,]", "01", "{\"a\":1}x", "\"\u0001\"", "tru", "{\"a\" 1}")) {
            assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(JsonException.class);
        }
        assertThatThrownBy(() -> Json.parse("[".repeat(10_000))).isInstanceOf(JsonException.class);
    }

    /** Any text either parses or fails with the typed exception: nothing else escapes. */
    @Property(tries = 2000)
    void arbitraryTextNeverThrowsUntypedExceptions(@ForAll("jsonish") String text) {
        try {
            Json.parse(text);
        } catch (JsonException expected) {
            // the only allowed failure
        }
    }

    /** What the writer writes, the reader reads back unchanged. */
    @Property(tries = 500)
    void writeThenParseRoundTrips(@ForAll("flatObjects") Map<String, Object> doc) {
        assertThat(Json.parseObject(Json.write(doc))).isEqualTo(doc);
    }

    @Provide
    Arbitrary<String> jsonish() {
        return Arbitraries.strings().withChars("{}[]\",:\\/ubnrtf0123456789.eE+-truefalsnl \t\n\u00e9\u0000")
                .ofMaxLength(60);
    }

    @Provide
    Arbitrary<Map<String, Object>> flatObjects() {
        Arbitrary<Object> values = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(30).map(s -> (Object) s),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.of(Boolean.TRUE, Boolean.FALSE).map(b -> (Object) b));
        return Arbitraries.maps(Arbitraries.strings().ofMaxLength(12), values).ofMaxSize(12)
                .map(m -> new LinkedHashMap<>(m));
    }
}
