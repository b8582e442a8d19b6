package dev.mizzen.api.admission;

import java.util.List;

/**
 * A webhook's answer. A denial carries a message (all findings, not just the first); a mutation carries a
 * JSONPatch (RFC 6902) as JSON text; warnings go back to the user either way.
 *
 * @param code      the HTTP-like status of a denial (400 for invalid objects), 0 when allowed
 * @param jsonPatch a JSON array of patch operations, or null when nothing changes
 */
public record AdmissionResponse(boolean allowed, int code, String message, List<String> warnings, String jsonPatch) {
    public AdmissionResponse {
        message = message == null ? "" : message;
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    public static AdmissionResponse allow() {
        return new AdmissionResponse(true, 0, "", List.of(), null);
    }

    public static AdmissionResponse allow(List<String> warnings) {
        return new AdmissionResponse(true, 0, "", warnings, null);
    }

    public static AdmissionResponse deny(int code, String message, List<String> warnings) {
        return new AdmissionResponse(false, code, message, warnings, null);
    }

    public static AdmissionResponse patch(String jsonPatch, List<String> warnings) {
        return new AdmissionResponse(true, 0, "", warnings, jsonPatch);
    }
}
