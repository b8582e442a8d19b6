package dev.mizzen.istiod.logging;

import picocli.CommandLine.Option;

/** Istio's logging flags, under their Istio names and their dashed forms. */
public final class LogOptions {
    @Option(names = "--log-level", paramLabel = "LEVEL",
            description = "The level of every log scope: debug, info, warn, error, fatal or none (default info).")
    String level;

    @Option(names = {"--log_output_level", "--log-output-level"}, paramLabel = "SCOPE:LEVEL,...",
            description = "Levels per scope, as Istio's: e.g. ads:debug,model:warn ('all' names every scope). "
                    + "Scopes: all, ads, analysis, ca, default, grpc, inject, klog, kube, local, model, monitoring, "
                    + "security, validation.")
    String outputLevels;

    @Option(names = {"--log-as-json", "--log_as_json"}, description = "Write each log event as one JSON object per line.")
    boolean json;

    public LogSettings settings() {
        return LogSettings.parse(level, outputLevels, json);
    }
}
