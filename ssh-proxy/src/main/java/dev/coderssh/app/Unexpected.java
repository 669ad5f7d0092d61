package dev.coderssh.app;

/** What kind of unexpected failure escaped a command, in words for the user's one line. */
final class Unexpected {
    private Unexpected() {
    }

    static String words(Throwable e) {
        if (e instanceof OutOfMemoryError) {
            return "out of memory: an input was far larger than expected";
        }
        if (e instanceof StackOverflowError) {
            return "an input nested too deeply";
        }
        if (e instanceof ArithmeticException || e instanceof NumberFormatException) {
            return "a number out of range";
        }
        if (e instanceof java.io.UncheckedIOException || e instanceof java.io.IOException) {
            return "an input/output error";
        }
        if (e instanceof IllegalArgumentException) {
            return "an argument the program could not use";
        }
        return "an internal error";
    }
}
