package dev.mizzen.galley.analysis;

import dev.mizzen.galley.manifest.ManifestDocument;
import dev.mizzen.galley.manifest.ManifestReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Istio's own analyzer test grid (test resources {@code analysis/istio/cases.yaml}, the data of Istio's
 * {@code analyzers_test.go}; inputs and attribution beside it, see SOURCES.txt and CASES.md there). Each case that
 * applies runs its input files through the Mizzen analyzers that do the work of the Istio analyzer the case names,
 * with the default resources Istio's test adds (the stand-in ingress gateway) and no namespace for objects that
 * name none: the codes and origins must be the ones Istio's test expects, as a multiset. Every case is judged:
 * either its analyzer is one Mizzen runs, or it is listed as not applying, with the reason.
 */
class IstioTestdataTest {
    private static final String DIR = "/analysis/istio/";

    /** Istio's analyzer (its Go type, as the test grid names it) to the Mizzen analyzers doing its work. */
    private static final Map<String, List<Analyzer>> APPLYING = Map.ofEntries(
            Map.entry("annotations.K8sAnalyzer", List.of(new AnnotationAnalyzer())),
            Map.entry("authz.AuthorizationPoliciesAnalyzer", List.of(new AuthorizationPolicyAnalyzer())),
            Map.entry("deployment.ApplicationUIDAnalyzer", List.of(new ApplicationUidAnalyzer())),
            Map.entry("deployment.ServiceAssociationAnalyzer", List.of(new DeploymentServicesAnalyzer())),
            Map.entry("deprecation.FieldAnalyzer", List.of(new DeprecatedFieldAnalyzer())),
            Map.entry("destinationrule.CaCertificateAnalyzer", List.of(new CaCertificateAnalyzer())),
            Map.entry("destinationrule.PodNotSelectedAnalyzer", List.of(new DestinationRuleHostAnalyzer())),
            Map.entry("envoyfilter.EnvoyPatchAnalyzer", List.of(new EnvoyFilterPatchAnalyzer())),
            Map.entry("gateway.CertificateAnalyzer", List.of(new GatewayCertificateAnalyzer())),
            Map.entry("gateway.ConflictingGatewayAnalyzer", List.of(new ConflictingGatewayAnalyzer())),
            Map.entry("gateway.IngressGatewayPortAnalyzer", List.of(new GatewayPortAnalyzer())),
            Map.entry("gateway.SecretAnalyzer", List.of(new GatewaySecretAnalyzer())),
            Map.entry("injection.Analyzer", List.of(new InjectionAnalyzer())),
            Map.entry("injection.ImageAnalyzer", List.of(new ProxyImageAnalyzer())),
            Map.entry("schemaValidation.CollectionValidationAnalyzer", List.of(new SchemaAnalyzer())),
            Map.entry("service.PortNameAnalyzer", List.of(new PortNameAnalyzer())),
            Map.entry("serviceentry.ConflictingServiceEntryProtocolAnalyzer",
                    List.of(new ServiceEntryProtocolConflictAnalyzer())),
            Map.entry("serviceentry.ProtocolAddressesAnalyzer", List.of(new ServiceEntryAddressesAnalyzer())),
            Map.entry("sidecar.SelectorAnalyzer", List.of(new SidecarSelectorAnalyzer(),
                    new SidecarDefaultSelectorAnalyzer())),
            Map.entry("telemetry.DefaultSelectorAnalyzer", List.of(new TelemetryDefaultSelectorAnalyzer())),
            Map.entry("telemetry.LightstepAnalyzer", List.of(new TelemetryLightstepAnalyzer())),
            Map.entry("telemetry.ProviderAnalyzer", List.of(new TelemetryProviderAnalyzer())),
            Map.entry("telemetry.SelectorAnalyzer", List.of(new TelemetrySelectorAnalyzer())),
            Map.entry("virtualservice.ConflictingMeshGatewayHostsAnalyzer",
                    List.of(new ConflictingMeshGatewayHostsAnalyzer())),
            Map.entry("virtualservice.DestinationHostAnalyzer", List.of(new VirtualServiceDestinationHostAnalyzer())),
            Map.entry("virtualservice.DestinationRuleAnalyzer", List.of(new VirtualServiceDestinationRuleAnalyzer())),
            Map.entry("virtualservice.JWTClaimRouteAnalyzer", List.of(new JwtClaimRouteAnalyzer())),
            Map.entry("virtualservice.GatewayAnalyzer", List.of(new VirtualServiceGatewayAnalyzer())));

    /** Istio's analyzers that check what Mizzen does not serve, with why; CASES.md gives the same list. */
    private static final Map<String, String> NOT_APPLYING = Map.of(
            "maturity.AlphaAnalyzer", "not run by istioctl analyze (Istio's test marks it skipAll)",
            "externalcontrolplane.ExternalControlPlaneAnalyzer", "external control plane installs are not supported",
            "multicluster.MeshNetworksAnalyzer", "one cluster only: no meshNetworks",
            "webhook.Analyzer", "checks overlap of revision and tag injector webhooks; one injector, no revisions",
            "k8sgateway.SelectorAnalyzer", "Kubernetes Gateway API gateways are not deployed or served",
            "k8sgateway.CRDVersionAnalyzer", "Kubernetes Gateway API is not served",
            "conditions.ConditionAnalyzer", "reads status conditions that Istio's Gateway API and ambient controllers"
                    + " write; there are no such controllers",
            "authn.BlockedCIDRsAnalyzer", "reads istiod's BLOCKED_CIDRS_IN_JWKS_URIS, a setting istiod does not have");

    /** Istio's analyzers that apply but are not built yet; their cases count as applying and not passing. */
    private static final Map<String, String> PENDING = Map.ofEntries(
            Map.entry("injection.ImageAutoAnalyzer", "IST0146/IST0147 not built: needs the injector webhooks' selectors"));

    /** Cases of applying analyzers that do not pass yet, with what is missing: skipped, and counted as not passing. */
    private static final Map<Integer, String> PENDING_CASES = Map.of(
            62, "overlapping (not identical) HTTP matches: the validator finds repeated and catch-all matches only",
            103, "a ServiceEntry's status.addresses (allocated by Istio's controller) is not read");

    record Case(int number, String name, String analyzer, List<String> files, String meshConfig,
                List<String> expected) {
        @Override
        public String toString() {
            return "#" + number + " " + name + " (" + analyzer + ")";
        }
    }

    @SuppressWarnings("unchecked")
    static List<Case> all() throws Exception {
        try (InputStream in = IstioTestdataTest.class.getResourceAsStream(DIR + "cases.yaml")) {
            List<Map<String, Object>> rows = (List<Map<String, Object>>) new Load(LoadSettings.builder().build())
                    .loadFromInputStream(in);
            return rows.stream().map(r -> new Case((Integer) r.get("case"), (String) r.get("name"),
                    (String) r.get("analyzer"), (List<String>) r.get("files"), (String) r.get("meshConfig"),
                    (List<String>) r.get("expected"))).toList();
        }
    }

    static Stream<Case> applying() throws Exception {
        return all().stream().filter(c -> APPLYING.containsKey(c.analyzer()));
    }

    @Test
    void everyCaseIsJudged() throws Exception {
        Map<String, Integer> unjudged = new TreeMap<>();
        for (Case c : all()) {
            boolean applies = APPLYING.containsKey(c.analyzer()) || PENDING.containsKey(c.analyzer());
            if (applies == NOT_APPLYING.containsKey(c.analyzer())) {
                unjudged.merge(c.analyzer(), 1, Integer::sum);
            }
        }
        assertEquals(Map.of(), unjudged, "Istio analyzers neither applying nor listed as not applying");
        long applying = all().stream().filter(c -> !NOT_APPLYING.containsKey(c.analyzer())).count();
        long run = all().stream().filter(c -> APPLYING.containsKey(c.analyzer())).count();
        long passing = run - all().stream().filter(c -> APPLYING.containsKey(c.analyzer())
                && PENDING_CASES.containsKey(c.number())).count();
        String count = applying + " of " + all().size() + " Istio analyzer test cases apply; " + passing + " pass.";
        System.out.println(count);
        try (InputStream in = IstioTestdataTest.class.getResourceAsStream(DIR + "CASES.md")) {
            assertTrue(new String(in.readAllBytes(), StandardCharsets.UTF_8).contains("**" + count + "**"),
                    "CASES.md must state: " + count);
        }
        assertTrue(run > 0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("applying")
    void istioExpectations(Case c) throws Exception {
        assumeFalse(PENDING_CASES.containsKey(c.number()), () -> "pending: " + PENDING_CASES.get(c.number()));
        ManifestInputs inputs = new ManifestInputs("", ManifestInputs.SchemaStage.NONE);
        inputs.addDefaultIngressGateway("istio-system");
        for (String file : c.files()) {
            Path path = Path.of(getClass().getResource(DIR + file).toURI());
            for (ManifestDocument doc : ManifestReader.standard().read(path)) {
                inputs.add(file, doc);
            }
        }
        MeshOptions mesh = MeshOptions.DEFAULT;
        if (c.meshConfig() != null) {
            mesh = MeshOptions.fromMeshConfig(mesh.rootNamespace(),
                    ManifestReader.standard().read(Path.of(getClass().getResource(DIR + c.meshConfig()).toURI()))
                            .get(0).content());
        }
        List<String> got = new ArrayList<>(Analyzers.analyze(inputs.input(mesh), APPLYING.get(c.analyzer())).stream()
                .map(m -> m.code() + " " + m.origin().friendlyName()).sorted().toList());
        assertEquals(c.expected().stream().sorted().toList(), got);
    }
}
