package dev.coderssh.core.login;

/** The small HTML pages the loopback receiver shows; everything interpolated is escaped. */
final class Pages {
    private Pages() {
    }

    static String message(String title, String text) {
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title>"
                + "<style>body{font-family:sans-serif;margin:4em auto;max-width:36em}</style></head><body><h1>"
                + escape(title) + "</h1><p>" + escape(text) + "</p></body></html>";
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
