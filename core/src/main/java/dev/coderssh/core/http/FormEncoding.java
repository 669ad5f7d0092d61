package dev.coderssh.core.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** application/x-www-form-urlencoded encoding (RFC 6749 appendix B). */
final class FormEncoding {
    private FormEncoding() {
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
