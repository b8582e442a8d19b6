package dev.mizzen.galley.schema;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ShippedCrdRulesTest {
    @Test
    void everyCelRuleOfEveryShippedCrdCompiles() {
        CrdSchemas schemas = CrdSchemas.shipped();
        assertThat(schemas.all()).extracting(KindSchema::kind).contains("VirtualService", "DestinationRule", "Gateway",
                "ServiceEntry", "WorkloadEntry", "WorkloadGroup", "Sidecar", "EnvoyFilter", "ProxyConfig",
                "PeerAuthentication", "AuthorizationPolicy", "RequestAuthentication", "Telemetry", "WasmPlugin");
        int rules = 0;
        List<String> errors = new java.util.ArrayList<>();
        for (KindSchema kind : schemas.all()) {
            rules += kind.rules().size();
            errors.addAll(kind.compileErrors());
        }
        assertThat(errors).isEmpty();
        assertThat(rules).isEqualTo(398);
    }
}
