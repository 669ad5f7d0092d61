package dev.coderssh.core.json;

/** A document that is not the JSON we expect; the message names an offset, never the content. */
public final class JsonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JsonException(String message) {
        super(message);
    }
}
