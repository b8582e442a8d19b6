package dev.mizzen.istiod.cli.inspect;

import java.util.ArrayList;
import java.util.List;

/**
 * Columns as Go's {@code text/tabwriter} lays out istioctl's tables (flags 0, pad character space): every
 * column but the last is as wide as its widest cell plus the padding, so scripts that cut istioctl's output by
 * column cut ours the same way.
 */
final class TextTable {
    private final int padding;
    private final List<List<String>> rows = new ArrayList<>();

    private TextTable(int padding, List<String> header) {
        this.padding = padding;
        rows.add(header);
    }

    static TextTable withHeader(int padding, String... header) {
        return new TextTable(padding, List.of(header));
    }

    TextTable row(String... cells) {
        rows.add(List.of(cells));
        return this;
    }

    int size() {
        return rows.size() - 1;
    }

    String render() {
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size() - 1; i++) {
                widths[i] = Math.max(widths[i], row.get(i).codePointCount(0, row.get(i).length()) + padding);
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                out.append(cell);
                if (i < row.size() - 1) {
                    out.append(" ".repeat(widths[i] - cell.codePointCount(0, cell.length())));
                }
            }
            out.append('\n');
        }
        return out.toString();
    }
}
