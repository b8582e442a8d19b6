package dev.mizzen.pilot.inject;

/** Booleans as Go's strconv.ParseBool reads them, which is what Istio's boolean annotations accept. */
final class GoBool {
    private GoBool() {
    }

    /** TRUE, FALSE, or null when the text is not a Go boolean. */
    static Boolean parse(String s) {
        if (s == null) {
            return null;
        }
        return switch (s) {
            case "1", "t", "T", "TRUE", "true", "True" -> Boolean.TRUE;
            case "0", "f", "F", "FALSE", "false", "False" -> Boolean.FALSE;
            default -> null;
        };
    }
}
