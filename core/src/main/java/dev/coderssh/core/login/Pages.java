package dev.coderssh.core.login;

/** The small HTML pages the loopback receiver shows; everything interpolated is escaped. */
final class Pages {
    private Pages() {
    }

    /** Served under the listener's CSP (style-src 'unsafe-inline', nothing else): no external resource. */
    private static final String STYLE = "<style>"
            + ":root{color-scheme:light dark}"
            + "body{font:16px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;min-height:100vh;display:flex;"
            + "align-items:center;justify-content:center;background:#f4f5f7;color:#1f2328}"
            + "main{background:#fff;border-radius:12px;box-shadow:0 2px 12px rgba(0,0,0,.08);padding:2em 2.5em;"
            + "max-width:34em;border-top:6px solid #6e7781}"
            + "main.ok{border-top-color:#1f883d}main.fail{border-top-color:#cf222e}"
            + "h1{font-size:1.4em;margin:0 0 .5em}p{margin:.5em 0}.next{margin-top:1.2em;padding-top:1em;"
            + "border-top:1px solid #d0d7de}code{background:#eff1f3;border-radius:4px;padding:.1em .35em;"
            + "font:.9em ui-monospace,SFMono-Regular,Menlo,monospace}.brand{color:#6e7781;font-size:.85em}"
            + "@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}main{background:#161b22}"
            + "code{background:#30363d}.next{border-top-color:#30363d}}"
            + "</style>";

    /** A neutral page (the listener's refusals): title and one paragraph. */
    static String message(String title, String text) {
        return page("", title, text, null);
    }

    /** The sign-in worked; {@code next} says what to run next. */
    static String success(String title, String text, String next) {
        return page("ok", title, text, next);
    }

    /** Denied or failed; {@code next} says how to try again or find out why. */
    static String failure(String title, String text, String next) {
        return page("fail", title, text, next);
    }

    /** {@code next} may hold `backquoted` commands, shown as code; everything else is escaped. */
    private static String page(String kind, String title, String text, String next) {
        StringBuilder sb = new StringBuilder("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>")
                .append(escape(title)).append(" - coder-ssh</title>").append(STYLE).append("</head><body><main")
                .append(kind.isEmpty() ? "" : " class=\"" + kind + "\"").append("><p class=\"brand\">coder-ssh</p><h1>")
                .append(escape(title)).append("</h1><p>").append(escape(text)).append("</p>");
        if (next != null) {
            sb.append("<p class=\"next\">").append(codeSpans(next)).append("</p>");
        }
        return sb.append("</main></body></html>").toString();
    }

    private static String codeSpans(String text) {
        String[] parts = text.split("`", -1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            sb.append(i % 2 == 1 ? "<code>" + escape(parts[i]) + "</code>" : escape(parts[i]));
        }
        return sb.toString();
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<': sb.append("&lt;"); break;
                case '>': sb.append("&gt;"); break;
                case '&': sb.append("&amp;"); break;
                case '"': sb.append("&quot;"); break;
                case '\'': sb.append("&#39;"); break;
                default: sb.append(c < 0x20 ? ' ' : c);
            }
        }
        return sb.toString();
    }
}
