package dev.mizzen.galley.analysis;

import dev.mizzen.galley.manifest.ManifestDocument;
import dev.mizzen.galley.manifest.ManifestReader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Bookinfo ({@code istio/bookinfo}: the platform file and its ingress Gateway) analysed as {@code istiod analyze -f}
 * does, by Istio's rules: the Gateway listens on 8080 and selects {@code istio=ingressgateway}. A files-only run has
 * no gateway of its own, so, as istioctl, it judges against the stand-in ingress gateway (a pod with that label, its
 * Service on ports 80, 443, 31400, 15443 with the same target ports): the pod exists, so no IST0101, but 8080 is no
 * port or target port of that Service, so IST0162, a warning, exactly what {@code istioctl analyze} prints for these
 * files. Against Istio's real ingress gateway Service (port 80 to target port 8080, as Istio's install ships it) the
 * same files analyze clean.
 */
class BookinfoAnalysisTest {
    private static final String GATEWAY_MESSAGE = "Warning [IST0162] (Gateway default/bookinfo-gateway) The gateway is"
            + " listening on a target port (port 8080) that is not defined in the Service associated with its workload"
            + " instances (Pod selector istio=ingressgateway). If you need to access the gateway port through the"
            + " gateway Service, it will not be available.";

    @Test
    void filesOnlyGiveIstiosGatewayPortWarningAndNothingElse() throws Exception {
        ManifestInputs inputs = bookinfo();
        inputs.addDefaultIngressGateway("istio-system");
        assertEquals(List.of(GATEWAY_MESSAGE), lines(inputs));
    }

    @Test
    void cleanAgainstIstiosIngressGatewayService() throws Exception {
        ManifestInputs inputs = bookinfo();
        String gateway = """
                apiVersion: v1
                kind: Service
                metadata: {name: istio-ingressgateway, namespace: istio-system, labels: {istio: ingressgateway}}
                spec:
                  selector: {istio: ingressgateway}
                  ports:
                  - {name: status-port, port: 15021, targetPort: 15021}
                  - {name: http2, port: 80, targetPort: 8080}
                  - {name: https, port: 443, targetPort: 8443}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: istio-ingressgateway-1, namespace: istio-system, labels: {istio: ingressgateway}}
                spec: {containers: [{name: istio-proxy, image: docker.io/istio/proxyv2:1.28.0}]}
                """;
        for (ManifestDocument doc : ManifestReader.standard().read(gateway)) {
            inputs.add("istio-ingressgateway.yaml", doc);
        }
        assertEquals(List.of(), lines(inputs));
    }

    private static ManifestInputs bookinfo() throws Exception {
        ManifestInputs inputs = new ManifestInputs("default", ManifestInputs.SchemaStage.CRD_SCHEMA);
        for (String file : List.of("istio/bookinfo/platform/kube/bookinfo.yaml",
                "istio/bookinfo/networking/bookinfo-gateway.yaml")) {
            Path path = Path.of(BookinfoAnalysisTest.class.getClassLoader().getResource(file).toURI());
            for (ManifestDocument doc : ManifestReader.standard().read(path)) {
                inputs.add(file, doc);
            }
        }
        return inputs;
    }

    private static List<String> lines(ManifestInputs inputs) {
        return Analyzers.analyze(inputs.input(MeshOptions.DEFAULT)).stream().map(DiagMessage::toString).toList();
    }
}
