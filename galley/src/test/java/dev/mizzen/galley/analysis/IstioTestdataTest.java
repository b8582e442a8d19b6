package dev.mizzen.galley.analysis;

import dev.mizzen.galley.manifest.ManifestDocument;
import dev.mizzen.galley.manifest.ManifestReader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Istio's own analyzer inputs (test resources {@code analysis/istio}, see SOURCES.txt there) run through the
 * analyzer Istio's {@code analyzers_test.go} runs them through, with the default resources Istio's test adds (the
 * stand-in ingress gateway) and no namespace for objects that name none: the codes and origins must be the ones
 * Istio's test expects, as a multiset.
 */
class IstioTestdataTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("misannotated.yaml", new AnnotationAnalyzer(), List.of(
                        "IST0108 Service httpbin", "IST0125 Pod invalid-annotations", "IST0107 Pod grafana-test",
                        "IST0107 Deployment fortio-deploy", "IST0107 Namespace staging",
                        "IST0135 Deployment fortio-deploy")),
                Arguments.of("gateway-no-port.yaml", new GatewayPortAnalyzer(), List.of("IST0162 Gateway httpbin-gateway")),
                Arguments.of("gateway-custom-ingressgateway-translation.yaml", new GatewayPortAnalyzer(), List.of()),
                Arguments.of("gateway-custom-ingressgateway-svcselector.yaml", new GatewayPortAnalyzer(),
                        List.of("IST0162 Gateway httpbin8002-gateway")),
                Arguments.of("conflicting-gateways.yaml", new ConflictingGatewayAnalyzer(),
                        List.of("IST0145 Gateway alpha", "IST0145 Gateway beta")),
                Arguments.of("service-no-port-name.yaml", new PortNameAnalyzer(), List.of(
                        "IST0118 Service my-namespace1/my-service1", "IST0118 Service my-namespace1/my-service1",
                        "IST0118 Service my-namespace2/my-service2")),
                Arguments.of("virtualservice_destinationrules.yaml", new VirtualServiceDestinationRuleAnalyzer(), List.of(
                        "IST0101 VirtualService default/reviews-bogussubset",
                        "IST0101 VirtualService default/reviews-mirror-bogussubset")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void istioExpectations(String file, Analyzer analyzer, List<String> expected) throws Exception {
        ManifestInputs inputs = new ManifestInputs("", ManifestInputs.SchemaStage.NONE);
        inputs.addDefaultIngressGateway("istio-system");
        Path path = Path.of(getClass().getResource("/analysis/istio/" + file).toURI());
        for (ManifestDocument doc : ManifestReader.standard().read(path)) {
            inputs.add(file, doc);
        }
        List<String> got = new ArrayList<>(Analyzers.analyze(inputs.input(MeshOptions.DEFAULT), List.of(analyzer)).stream()
                .map(m -> m.code() + " " + m.origin().friendlyName()).sorted().toList());
        assertEquals(expected.stream().sorted().toList(), got);
    }
}
