package dev.coderssh.proxy.doctor;

/** The result of one doctor check: what was found and, when it failed, what to do about it. */
sealed interface Outcome {
    String detail();

    record Pass(String detail) implements Outcome {
    }

    record Fail(String detail, String fix) implements Outcome {
    }

    /** The check ran, but what it saw proves neither (no workspace to probe, no answer in time). */
    record Unknown(String detail, String fix) implements Outcome {
    }

    static Outcome pass(String detail) {
        return new Pass(detail);
    }

    static Outcome fail(String detail, String fix) {
        return new Fail(detail, fix);
    }

    static Outcome unknown(String detail, String fix) {
        return new Unknown(detail, fix);
    }
}
