package dev.mizzen.galley.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The analyzers Mizzen runs, and the entry point: {@link #analyze(AnalysisInput)} runs them all over one input
 * and returns their messages in istioctl's order, duplicates removed. Stateless and thread-safe: each run has
 * its own {@link AnalysisContext}.
 */
public final class Analyzers {
    private static final List<Analyzer> ALL = List.of(
            new AnnotationAnalyzer(),
            new AuthorizationPolicyAnalyzer(),
            new ApplicationUidAnalyzer(),
            new DeploymentServicesAnalyzer(),
            new CaCertificateAnalyzer(),
            new DeprecatedFieldAnalyzer(),
            new DestinationRuleHostAnalyzer(),
            new ConflictingGatewayAnalyzer(),
            new EnvoyFilterPatchAnalyzer(),
            new GatewayCertificateAnalyzer(),
            new GatewayPortAnalyzer(),
            new GatewaySecretAnalyzer(),
            new InjectionAnalyzer(),
            new ProxyImageAnalyzer(),
            new SchemaAnalyzer(),
            new PortNameAnalyzer(),
            new ServiceEntryAddressesAnalyzer(),
            new ServiceEntryProtocolConflictAnalyzer(),
            new SidecarDefaultSelectorAnalyzer(),
            new SidecarEgressHostAnalyzer(),
            new SidecarSelectorAnalyzer(),
            new TelemetryDefaultSelectorAnalyzer(),
            new TelemetryLightstepAnalyzer(),
            new TelemetryProviderAnalyzer(),
            new TelemetrySelectorAnalyzer(),
            new ConflictingMeshGatewayHostsAnalyzer(),
            new VirtualServiceDestinationHostAnalyzer(),
            new VirtualServiceDestinationRuleAnalyzer(),
            new VirtualServiceGatewayAnalyzer(),
            new JwtClaimRouteAnalyzer());

    private Analyzers() {
    }

    /** Every analyzer, sorted by name as {@code istioctl analyze -L} lists them. */
    public static List<Analyzer> all() {
        return ALL.stream().sorted(Comparator.comparing(Analyzer::name)).toList();
    }

    /** Runs every analyzer over the input. */
    public static List<DiagMessage> analyze(AnalysisInput input) {
        return analyze(input, ALL);
    }

    /** Runs these analyzers over the input: messages sorted, exact duplicates dropped. */
    public static List<DiagMessage> analyze(AnalysisInput input, List<Analyzer> analyzers) {
        AnalysisContext ctx = new AnalysisContext(input);
        for (Analyzer a : analyzers) {
            a.analyze(ctx);
        }
        List<DiagMessage> out = new ArrayList<>(new LinkedHashSet<>(ctx.messages()));
        out.sort(DiagMessage.ORDER);
        return List.copyOf(out);
    }
}
