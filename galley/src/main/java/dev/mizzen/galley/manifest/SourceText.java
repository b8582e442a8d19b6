package dev.mizzen.galley.manifest;

import java.util.List;
import java.util.Optional;

/** The text being read, looked at by line and column; split into lines only when first asked. */
final class SourceText {
    private final String text;
    private List<String> lines;

    SourceText(String text) {
        this.text = text;
    }

    /** The character {@code offset} characters after {@code at}, on the same line. */
    Optional<Integer> codePointAt(Position at, int offset) {
        if (lines == null) {
            lines = text.lines().toList();
        }
        if (at.line() > lines.size()) {
            return Optional.empty();
        }
        String line = lines.get(at.line() - 1);
        int column = at.column() - 1 + offset;
        if (column >= line.codePointCount(0, line.length())) {
            return Optional.empty();
        }
        return Optional.of(line.codePointAt(line.offsetByCodePoints(0, column)));
    }
}
