package dev.mizzen.galley.validation;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import java.nio.charset.StandardCharsets;

/**
 * Regexes in Istio config are RE2 (what Envoy runs), at most 1024 bytes long: Envoy limits the compiled
 * program size, which is always larger than the length, so Istio bounds the length instead.
 */
final class Regexes {
    static final int MAX_LENGTH = 1024;

    private Regexes() {
    }

    /** The problem with a regex, or null. */
    static String error(String regex) {
        if (regex.getBytes(StandardCharsets.UTF_8).length > MAX_LENGTH) {
            return "regex is too large, max length allowed is " + MAX_LENGTH;
        }
        try {
            Pattern.compile(regex);
            return null;
        } catch (PatternSyntaxException e) {
            return "invalid regex: " + e.getDescription() + "; Istio uses RE2 syntax (https://github.com/google/re2/wiki/Syntax)";
        }
    }
}
