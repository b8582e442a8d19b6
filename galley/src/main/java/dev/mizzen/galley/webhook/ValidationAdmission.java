package dev.mizzen.galley.webhook;

import dev.mizzen.api.admission.AdmissionController;
import dev.mizzen.api.admission.AdmissionRequest;
import dev.mizzen.api.admission.AdmissionResponse;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.galley.validation.ConfigValidator;
import dev.mizzen.galley.validation.Finding;
import dev.mizzen.galley.validation.IstioObjects;
import dev.mizzen.galley.validation.ValidationReport;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code /validate} webhook's logic: CREATE and UPDATE of Istio config are validated with the same
 * rules as the config store and the CLI; errors deny (400) with every message, warnings go back either way.
 * DELETE and CONNECT are allowed; so is anything outside Istio's groups, while an unknown kind inside them is
 * denied, as Istio's webhook does, with the kinds we know listed. A kind is known by group and kind, whatever
 * its version (Istio's webhook does the same; every served version has one schema). A dry run is judged the same: nothing here has state to change.
 * Stateless and thread-safe.
 */
public final class ValidationAdmission implements AdmissionController {
    static final int INVALID = 400;

    private final ConfigValidator validator;

    public ValidationAdmission(ConfigValidator validator) {
        this.validator = validator;
    }

    @Override
    public AdmissionResponse admit(AdmissionRequest request) {
        if (!request.operation().equals("CREATE") && !request.operation().equals("UPDATE")) {
            return AdmissionResponse.allow();
        }
        String apiVersion = request.group().isEmpty() ? request.version() : request.group() + "/" + request.version();
        Optional<ConfigKind<?>> kind = ConfigKind.of(apiVersion, request.kind());
        if (kind.isEmpty()) {
            return ConfigKind.isIstioGroup(apiVersion)
                    ? AdmissionResponse.deny(INVALID, unrecognized(request), List.of())
                    : AdmissionResponse.allow();
        }
        Map<String, Object> object = request.object();
        if (object == null) {
            return AdmissionResponse.deny(INVALID, "configuration is invalid: the request carries no object", List.of());
        }
        Optional<String> unknown = IstioObjects.unknownTopLevelField(object);
        if (unknown.isPresent()) {
            return AdmissionResponse.deny(INVALID, "unknown field \"" + unknown.get() + "\" on " + request.kind()
                    + " resource " + request.namespace() + "/" + request.name(), List.of());
        }
        ValidationReport report = validator.validateRaw(kind.get(), namespace(request, object), object.get("spec"));
        List<String> warnings = report.warnings().stream().map(Finding::toString).toList();
        if (report.hasErrors()) {
            return AdmissionResponse.deny(INVALID, "configuration is invalid: "
                    + ValidationReport.describe(report.errors()), warnings);
        }
        return AdmissionResponse.allow(warnings);
    }

    /** Names the kinds we do know, so that a typo or a kind of a newer Istio is told apart at a glance. */
    private static String unrecognized(AdmissionRequest request) {
        List<String> known = ConfigKind.kindsOf(request.group());
        return "unrecognized type " + request.kind() + (known.isEmpty()
                ? "; no kinds of " + request.group() + " are known"
                : "; known kinds of " + request.group() + ": " + String.join(", ", known));
    }

    /** The request's namespace; the object's own for requests that omit it. */
    private static String namespace(AdmissionRequest request, Map<String, Object> object) {
        if (!request.namespace().isEmpty()) {
            return request.namespace();
        }
        if (object.get("metadata") instanceof Map<?, ?> meta && meta.get("namespace") instanceof String ns) {
            return ns;
        }
        return "default";
    }
}
