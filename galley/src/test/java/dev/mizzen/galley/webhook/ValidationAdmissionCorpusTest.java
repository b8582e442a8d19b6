package dev.mizzen.galley.webhook;

import dev.mizzen.api.admission.AdmissionRequest;
import dev.mizzen.api.admission.AdmissionResponse;
import dev.mizzen.galley.manifest.ManifestDocument;
import dev.mizzen.galley.validation.IstioValidator;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code /validate} webhook admits every valid object of Istio's CRD validation corpus
 * (pkg/config/validation/testdata/crds, see istio/SOURCES.txt), of every kind, at the version each is written in:
 * in a cluster the apiserver has applied the CRD schema before the webhook sees the object, so only the webhook's
 * own rules decide here.
 */
class ValidationAdmissionCorpusTest {
    private static final List<String> FILES = List.of("authz", "destinationrule", "envoyfilter", "peerauth",
            "proxyconfig", "reqauth", "serviceentry", "telemetry", "wasm", "workloadentry", "workloadgroup");

    @Test
    void everyValidObjectOfTheCorpusIsAdmitted() throws Exception {
        ValidationAdmission admission = new ValidationAdmission(new IstioValidator());
        List<String> denied = new ArrayList<>();
        Map<String, Integer> admittedByKind = new java.util.TreeMap<>();
        for (String file : FILES) {
            for (ManifestDocument doc : read(file + "-valid.yaml")) {
                Map<String, Object> object = new LinkedHashMap<>(doc.content());
                String apiVersion = (String) object.get("apiVersion");
                String kind = (String) object.get("kind");
                String group = apiVersion.substring(0, apiVersion.indexOf('/'));
                String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
                AdmissionResponse response = admission.admit(new AdmissionRequest("uid", group, version, kind, "default",
                        doc.name(), "CREATE", object, null, false, "admin", List.of("system:masters")));
                if (response.allowed()) {
                    admittedByKind.merge(kind, 1, Integer::sum);
                } else {
                    denied.add(file + " " + doc.name() + ": " + response.message());
                }
            }
        }
        System.out.println("webhook admitted the corpus's valid objects: " + admittedByKind);
        assertThat(denied).isEmpty();
        assertThat(admittedByKind).containsKeys("EnvoyFilter", "ProxyConfig", "Telemetry", "WasmPlugin",
                "WorkloadGroup", "WorkloadEntry", "ServiceEntry", "AuthorizationPolicy", "PeerAuthentication",
                "DestinationRule");
    }

    private static List<ManifestDocument> read(String name) throws Exception {
        try (InputStream in = ValidationAdmissionCorpusTest.class.getResourceAsStream("/istio/crd-corpus/" + name)) {
            return dev.mizzen.galley.manifest.ManifestReader.standard().read(in);
        }
    }
}
