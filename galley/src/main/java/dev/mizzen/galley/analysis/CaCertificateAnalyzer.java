package dev.mizzen.galley.analysis;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.networking.ClientTlsSettings;
import dev.mizzen.api.networking.DestinationRule;
import dev.mizzen.api.networking.PortTrafficPolicy;
import dev.mizzen.api.networking.TrafficPolicy;

import java.util.List;

/**
 * Istio's {@code destinationrule.CaCertificateAnalyzer}: TLS mode SIMPLE or MUTUAL without caCertificates (nor a
 * credentialName on a DestinationRule with a workload selector, where the credential carries the CA) means the
 * server's certificate is not verified: IST0128 for the whole DestinationRule, IST0129 for a port.
 */
final class CaCertificateAnalyzer implements Analyzer {
    @Override
    public String name() {
        return "destinationrule.CaCertificateAnalyzer";
    }

    @Override
    public String description() {
        return "Checks if caCertificates is set when TLS mode is SIMPLE/MUTUAL";
    }

    @Override
    public void analyze(AnalysisContext ctx) {
        for (Config<DestinationRule> c : ctx.list(ConfigKind.DESTINATION_RULE)) {
            DestinationRule dr = c.spec();
            TrafficPolicy policy = dr.trafficPolicy();
            if (policy == null) {
                continue;
            }
            Origin origin = AnalysisContext.origin(c);
            String host = dr.host() == null ? "" : dr.host();
            if (unverified(policy.tls(), dr)) {
                ctx.report(Messages.NO_SERVER_CERTIFICATE_VERIFICATION_DESTINATION_LEVEL
                        .on(origin, origin.fullName(), c.namespace(), policy.tls().mode(), host)
                        .at("spec.trafficPolicy.tls.mode"));
            }
            List<PortTrafficPolicy> ports = policy.portLevelSettings();
            for (int i = 0; i < ports.size(); i++) {
                PortTrafficPolicy p = ports.get(i);
                if (unverified(p.tls(), dr)) {
                    String port = p.port() == null || p.port().number() == null ? "" : "number:" + p.port().number();
                    ctx.report(Messages.NO_SERVER_CERTIFICATE_VERIFICATION_PORT_LEVEL
                            .on(origin, origin.fullName(), c.namespace(), p.tls().mode(), host, port)
                            .at("spec.trafficPolicy.portLevelSettings[" + i + "].tls.mode"));
                }
            }
        }
    }

    private static boolean unverified(ClientTlsSettings tls, DestinationRule dr) {
        if (tls == null || !("SIMPLE".equals(tls.mode()) || "MUTUAL".equals(tls.mode()))) {
            return false;
        }
        if (tls.caCertificates() != null && !tls.caCertificates().isEmpty()) {
            return false;
        }
        boolean credential = tls.credentialName() != null && !tls.credentialName().isEmpty();
        boolean selector = dr.workloadSelector() != null && dr.workloadSelector().matchLabels() != null
                && !dr.workloadSelector().matchLabels().isEmpty();
        return !(credential && selector);
    }
}
