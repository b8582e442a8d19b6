package dev.mizzen.galley.analysis;

import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The part of Go's {@code fmt.Sprintf} Istio's message templates use: {@code %s}, {@code %v}, {@code %d},
 * {@code %t} and {@code %q}; a list prints as Go prints a slice ({@code [a b]}), {@code %q} quotes as Go does
 * (a list's elements each quoted).
 */
final class GoFormat {
    private GoFormat() {
    }

    static String sprintf(String template, List<Object> args) {
        StringBuilder out = new StringBuilder();
        int next = 0;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c != '%' || i + 1 >= template.length()) {
                out.append(c);
                continue;
            }
            char verb = template.charAt(++i);
            if (verb == '%') {
                out.append('%');
                continue;
            }
            if (next >= args.size()) {
                out.append("%!").append(verb).append("(MISSING)");
                continue;
            }
            Object arg = args.get(next++);
            out.append(verb == 'q' ? quote(arg) : plain(arg));
        }
        return out.toString();
    }

    private static String plain(Object arg) {
        if (arg instanceof Collection<?> list) {
            return list.stream().map(GoFormat::plain).collect(Collectors.joining(" ", "[", "]"));
        }
        return String.valueOf(arg);
    }

    private static String quote(Object arg) {
        if (arg instanceof Collection<?> list) {
            return list.stream().map(GoFormat::quote).collect(Collectors.joining(" ", "[", "]"));
        }
        String s = String.valueOf(arg);
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
