package dev.mizzen.pilot.inject;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a multi-document YAML stream into the text of each document, so documents that are not injected go
 * out exactly as they came in (comments included). A document starts after a {@code ---} line; a {@code ...}
 * line ends one.
 *
 * @param text      the document's text, separators excluded
 * @param firstLine the line (1-based) the text starts on, for error messages
 */
record YamlDocuments(String text, int firstLine) {
    static List<YamlDocuments> split(String stream) {
        List<YamlDocuments> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int start = 1;
        int line = 0;
        String[] lines = stream.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (i == lines.length - 1 && l.isEmpty()) {
                break; // the text after the final newline
            }
            line++;
            String bare = l.endsWith("\r") ? l.substring(0, l.length() - 1) : l;
            if (bare.equals("---") || bare.startsWith("--- ") || bare.startsWith("---\t")) {
                add(out, current, start);
                current = new StringBuilder();
                start = line + 1;
                String rest = bare.substring(3).trim();
                if (!rest.isEmpty() && !rest.startsWith("#")) {
                    current.append(rest).append('\n');
                    start = line;
                }
            } else if (bare.equals("...")) {
                add(out, current, start);
                current = new StringBuilder();
                start = line + 1;
            } else {
                current.append(l).append('\n');
            }
        }
        add(out, current, start);
        return out;
    }

    private static void add(List<YamlDocuments> out, StringBuilder text, int start) {
        if (!text.toString().isBlank()) {
            out.add(new YamlDocuments(text.toString(), start));
        }
    }
}
