package dev.mizzen.istiod;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * istiod's version as Istio reports its own ({@code pkg/version.BuildInfo}): {@code /version} prints
 * {@link #toString()} ({@code version-revision-status}), the xDS debug types carry {@link #json()}.
 */
public record BuildInfo(String version, String revision, String status, String tag) {
    public static final BuildInfo CURRENT = current();

    private static BuildInfo current() {
        String v = BuildInfo.class.getPackage().getImplementationVersion();
        String version = v == null ? "dev" : v;
        return new BuildInfo(version, "unknown", "Clean", version);
    }

    /** Istio's {@code BuildInfo} JSON fields. */
    public Map<String, String> json() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("version", version);
        out.put("revision", revision);
        out.put("golang_version", "java " + System.getProperty("java.version"));
        out.put("status", status);
        out.put("tag", tag);
        return out;
    }

    @Override
    public String toString() {
        return version + "-" + revision + "-" + status;
    }
}
