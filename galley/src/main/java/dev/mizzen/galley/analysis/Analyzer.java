package dev.mizzen.galley.analysis;

/**
 * One check over a whole {@link AnalysisInput}: a pure function that reports messages to the context. Names and
 * descriptions are Istio's, so {@code istiod analyze -L} lists what {@code istioctl analyze -L} does.
 */
public interface Analyzer {
    /** Istio's name, e.g. {@code virtualservice.GatewayAnalyzer}. */
    String name();

    String description();

    void analyze(AnalysisContext context);
}
