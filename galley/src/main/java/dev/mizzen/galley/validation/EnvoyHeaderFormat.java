package dev.mizzen.galley.validation;

/**
 * Checks the {@code %VARIABLE%} syntax of Envoy custom header values: {@code %%} is a literal percent,
 * {@code %NAME%} or {@code %NAME(args)%} a variable whose arguments are either raw text or a JSON array of
 * strings. Which variables exist is not checked (Istio does not either). One scanner per call.
 */
final class EnvoyHeaderFormat {
    private final String value;
    private int pos;
    private String stringProblem;

    private EnvoyHeaderFormat(String value) {
        this.value = value;
    }

    /** The problem with a header value, or null. */
    static String error(String value) {
        return new EnvoyHeaderFormat(value).scan();
    }

    private String scan() {
        while (pos < value.length()) {
            if (value.charAt(pos) != '%') {
                pos++;
            } else if (pos + 1 == value.length()) {
                return "invalid header configuration. Un-escaped %";
            } else if (value.charAt(pos + 1) == '%') {
                pos += 2;
            } else {
                pos++;
                String problem = variable();
                if (problem != null) {
                    return problem;
                }
            }
        }
        return null;
    }

    /** From after the opening {@code %} to after the closing one. */
    private String variable() {
        while (pos < value.length()) {
            char c = value.charAt(pos++);
            if (c == '%') {
                return null;
            }
            if (c == '(') {
                return arguments();
            }
        }
        return unterminated();
    }

    private String arguments() {
        skipSpaces();
        if (pos == value.length()) {
            return unterminated();
        }
        boolean array = value.charAt(pos) == '[';
        pos++; // the '[', or the first character of raw text, taken as is
        return argumentList(array);
    }

    /**
     * Strings separated by commas up to {@code ]} and {@code )}; raw text starts inside its first "string".
     * A {@code )} inside a string ends the whole argument list, as in Envoy's parser.
     */
    private String argumentList(boolean expectQuote) {
        boolean inString = !expectQuote;
        while (true) {
            if (!inString) {
                skipSpaces();
                if (pos == value.length()) {
                    return unterminated();
                }
                if (value.charAt(pos++) != '"') {
                    return "invalid header configuration. Expecting '\"'";
                }
            }
            inString = false;
            Boolean argumentsClosed = readString();
            if (argumentsClosed == null) {
                return stringProblem;
            }
            if (argumentsClosed) {
                return variableEnd();
            }
            skipSpaces();
            if (pos == value.length()) {
                return unterminated();
            }
            char c = value.charAt(pos++);
            if (c == ']') {
                skipSpaces();
                if (pos == value.length()) {
                    return unterminated();
                }
                if (value.charAt(pos++) != ')') {
                    return "invalid header configuration. Expecting ')' or whitespace";
                }
                return variableEnd();
            }
            if (c != ',') {
                return "invalid header configuration. Expecting ',', ']', or whitespace";
            }
        }
    }

    /**
     * Reads string text: true when it ran into {@code )}, false at its closing quote, null on a problem
     * (then in {@link #stringProblem}).
     */
    private Boolean readString() {
        while (pos < value.length()) {
            char c = value.charAt(pos++);
            if (c == '\\') {
                if (pos == value.length()) {
                    stringProblem = "invalid header configuration. Un-terminated backslash in JSON string";
                    return null;
                }
                pos++;
            } else if (c == ')') {
                return true;
            } else if (c == '"') {
                return false;
            }
        }
        stringProblem = unterminated();
        return null;
    }

    private String variableEnd() {
        skipSpaces();
        if (pos == value.length()) {
            return unterminated();
        }
        return value.charAt(pos++) == '%' ? null : "invalid header configuration. Expecting '%' or whitespace";
    }

    private void skipSpaces() {
        while (pos < value.length() && value.charAt(pos) == ' ') {
            pos++;
        }
    }

    private String unterminated() {
        return "invalid header configuration. Un-terminated variable expression '" + value + "'";
    }
}
