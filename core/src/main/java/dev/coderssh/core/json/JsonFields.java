package dev.coderssh.core.json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Typed, lenient reads of fields from a parsed JSON object: a wrong type counts as absent. */
public final class JsonFields {
    private JsonFields() {
    }

    public static String string(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof String ? (String) v : null;
    }

    public static Long number(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v instanceof Long) {
            return (Long) v;
        }
        if (v instanceof Double && !((Double) v).isNaN() && !((Double) v).isInfinite()) {
            return Math.round((Double) v);
        }
        return null;
    }

    public static boolean bool(Map<String, Object> m, String key) {
        return Boolean.TRUE.equals(m.get(key));
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof Map ? (Map<String, Object>) v : null;
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> objects(Map<String, Object> m, String key) {
        List<Map<String, Object>> out = new ArrayList<>();
        Object v = m.get(key);
        if (v instanceof List) {
            for (Object o : (List<Object>) v) {
                if (o instanceof Map) {
                    out.add((Map<String, Object>) o);
                }
            }
        }
        return out;
    }

    public static List<String> strings(Map<String, Object> m, String key) {
        List<String> out = new ArrayList<>();
        Object v = m.get(key);
        if (v instanceof List) {
            for (Object o : (List<?>) v) {
                if (o instanceof String) {
                    out.add((String) o);
                }
            }
        }
        return out;
    }
}
