package dev.mizzen.galley.analysis;

import dev.mizzen.galley.validation.Finding;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validation findings as analysis messages, as Istio's {@code schema.ValidationAnalyzer} reports them: errors are
 * IST0106, an unreachable VirtualService rule IST0130, a duplicate match IST0131, other warnings IST0133.
 */
public final class SchemaMessages {
    private static final Pattern INEFFECTIVE_MATCH = Pattern.compile(
            "virtualService rule (.+?) match (.+?) is not used \\(duplicate/overlapping match in rule (.+)\\)");
    private static final Pattern UNREACHABLE_RULE = Pattern.compile("virtualService rule (.+?) not used \\((.*)\\)");

    private SchemaMessages() {
    }

    public static DiagMessage of(Origin origin, Finding finding) {
        String field = finding.path().equals("(object)") ? null : finding.path();
        if (finding.isError()) {
            return Messages.SCHEMA_VALIDATION_ERROR.on(origin, text(finding)).at(field);
        }
        Matcher m = INEFFECTIVE_MATCH.matcher(finding.message());
        if (m.matches()) {
            return Messages.VIRTUAL_SERVICE_INEFFECTIVE_MATCH.on(origin, m.group(1), m.group(2), m.group(3)).at(field);
        }
        m = UNREACHABLE_RULE.matcher(finding.message());
        if (m.matches()) {
            return Messages.VIRTUAL_SERVICE_UNREACHABLE_RULE.on(origin, m.group(1), m.group(2)).at(field);
        }
        return Messages.SCHEMA_WARNING.on(origin, text(finding)).at(field);
    }

    private static String text(Finding finding) {
        return finding.path().equals("(object)") ? finding.message() : finding.toString();
    }
}
