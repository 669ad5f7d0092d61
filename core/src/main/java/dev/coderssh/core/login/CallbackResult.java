package dev.coderssh.core.login;

/** What the loopback redirect delivered (RFC 6749 sections 4.1.2 and 4.1.2.1). */
public sealed interface CallbackResult {
    record Code(String code) implements CallbackResult {
        @Override
        public String toString() {
            return "Code[<redacted>]";
        }
    }

    record Error(String error, String description) implements CallbackResult {
    }
}
