package dev.mizzen.api.logging;

/**
 * Text a client chose (a NACK's error detail, a node id, a resource name) made safe for a log line: control
 * characters escaped, so it cannot start a forged line or move the terminal, and cut to a length, with how
 * long it was, so a client cannot fill the disk through istiod's log.
 */
public final class ClientText {
    /** What a log line keeps of client text by default. */
    public static final int DEFAULT_MAX_CHARS = 512;

    private ClientText() {
    }

    public static String quote(String text) {
        return quote(text, DEFAULT_MAX_CHARS);
    }

    /** {@code "text"}, escaped and cut to {@code maxChars} (then {@code "text"... (N chars)}); {@code null} stays null. */
    public static String quote(String text, int maxChars) {
        return text == null ? "null" : "\"" + escape(text, maxChars) + "\"" + cut(text, maxChars);
    }

    /**
     * The text escaped and cut, without quotes: for a name or an id, which is one word when well-formed and so
     * reads as it is; a longer one is cut with its length (then {@code text... (N chars)}).
     */
    public static String name(String text, int maxChars) {
        return text == null ? "null" : escape(text, maxChars) + cut(text, maxChars);
    }

    private static String cut(String text, int maxChars) {
        return text.length() > maxChars ? "... (" + text.length() + " chars)" : "";
    }

    private static String escape(String text, int maxChars) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), maxChars) + 8);
        int kept = Math.min(text.length(), maxChars);
        for (int i = 0; i < kept; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
