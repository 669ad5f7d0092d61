package dev.coderssh.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonTokenId;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The product's JSON, on jackson-core's streaming parser and generator. A thin adapter rather
 * than databind because the ProxyCommand's fast path reads the credentials file through it, and
 * an object mapper's class loading would cost every ssh connection (FastPathClassBudgetIT).
 *
 * <p>Objects become {@link LinkedHashMap}, arrays {@link ArrayList}, numbers {@link Long} when
 * integral and in range else {@link Double}, plus String, Boolean and null; a repeated member
 * keeps its last value. Nesting is capped so a hostile document cannot exhaust the stack, and
 * every failure is a {@link JsonException} naming a position, never the content (a corrupt
 * credentials file may hold part of a token).
 */
public final class Json {
    private static final int MAX_DEPTH = 64;
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build();

    private Json() {
    }

    /** Parses one JSON value that must span the whole text. */
    public static Object parse(String text) {
        if (text == null) {
            throw new JsonException("no JSON text");
        }
        try (JsonParser p = FACTORY.createParser(text)) {
            if (p.nextToken() == null) {
                throw new JsonException("unexpected end of JSON");
            }
            Object v = value(p);
            if (p.nextToken() != null) {
                throw new JsonException("trailing characters at " + where(p.currentTokenLocation()));
            }
            return v;
        } catch (StreamConstraintsException e) {
            throw new JsonException("nested too deeply");
        } catch (JsonProcessingException e) {
            throw new JsonException("malformed at " + where(e.getLocation()));
        } catch (IOException e) {
            // A String source does no I/O; anything here is still a document we cannot read.
            throw new JsonException("unreadable JSON text");
        }
    }

    /** Parses a JSON object; anything else is a {@link JsonException}. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object v = parse(text);
        if (!(v instanceof Map)) {
            throw new JsonException("expected a JSON object");
        }
        return (Map<String, Object>) v;
    }

    private static Object value(JsonParser p) throws IOException {
        // Token ids, not a switch over JsonToken: an enum switch costs the fast path a synthetic class.
        switch (p.currentTokenId()) {
            case JsonTokenId.ID_START_OBJECT:
                Map<String, Object> map = new LinkedHashMap<>();
                for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                    p.nextToken();
                    map.put(name, value(p));
                }
                return map;
            case JsonTokenId.ID_START_ARRAY:
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(p));
                }
                return list;
            case JsonTokenId.ID_STRING:
                return p.getText();
            case JsonTokenId.ID_NUMBER_INT:
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? (Object) p.getDoubleValue() : p.getLongValue();
            case JsonTokenId.ID_NUMBER_FLOAT:
                return p.getDoubleValue();
            case JsonTokenId.ID_TRUE:
                return Boolean.TRUE;
            case JsonTokenId.ID_FALSE:
                return Boolean.FALSE;
            case JsonTokenId.ID_NULL:
                return null;
            default:
                throw new JsonException("unexpected token at " + where(p.currentTokenLocation()));
        }
    }

    private static String where(JsonLocation at) {
        return at == null ? "an unknown position" : "line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    /** Writes a value built from maps, lists, strings, numbers, booleans and null (two-space indent). */
    public static String write(Object value) {
        return JsonWriter.write(FACTORY, value);
    }
}
