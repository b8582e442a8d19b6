package dev.mizzen.galley.analysis;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.networking.Gateway;
import dev.mizzen.api.networking.Server;
import dev.mizzen.api.networking.ServerTlsSettings;

import java.util.List;
import java.util.Map;

/**
 * Istio's {@code gateway.CertificateAnalyzer}: two Gateways on the same gateway workloads (the other's selector
 * holds all of this one's labels) serving the same certificate, by credential name or by certificate and key files
 * (IST0138). Clients reusing one HTTP/2 connection for both get 404s from the second.
 */
final class GatewayCertificateAnalyzer implements Analyzer {
    @Override
    public String name() {
        return "gateway.CertificateAnalyzer";
    }

    @Override
    public String description() {
        return "Checks a gateway certificate";
    }

    @Override
    public void analyze(AnalysisContext ctx) {
        List<Config<Gateway>> gateways = Sorted.byName(ctx.list(ConfigKind.GATEWAY));
        for (Config<Gateway> current : gateways) {
            if (current.spec().servers().stream().noneMatch(s -> s.tls() != null)) {
                continue;
            }
            String currentName = AnalysisContext.origin(current).fullName();
            for (Config<Gateway> other : gateways) {
                if (other == current || !selectorSubset(current.spec().selector(), other.spec().selector())) {
                    continue;
                }
                String otherName = AnalysisContext.origin(other).fullName();
                for (Server a : current.spec().servers()) {
                    for (Server b : other.spec().servers()) {
                        if (a.tls() != null && b.tls() != null && sameCertificate(a.tls(), b.tls())) {
                            ctx.report(Messages.GATEWAY_DUPLICATE_CERTIFICATE.on(AnalysisContext.origin(current),
                                    List.of(currentName, otherName)).at("metadata.name"));
                        }
                    }
                }
            }
        }
    }

    /** Every label of {@code x} is in {@code y} with the same value (an empty {@code x} is in every selector). */
    private static boolean selectorSubset(Map<String, String> x, Map<String, String> y) {
        return x.entrySet().stream().allMatch(e -> e.getValue().equals(y.get(e.getKey())));
    }

    private static boolean sameCertificate(ServerTlsSettings a, ServerTlsSettings b) {
        String ca = nonNull(a.credentialName());
        String cb = nonNull(b.credentialName());
        if (!ca.isEmpty() && !cb.isEmpty()) {
            return ca.equals(cb);
        }
        if (!ca.isEmpty() || !cb.isEmpty()) {
            return false;
        }
        String certA = nonNull(a.serverCertificate());
        String keyA = nonNull(a.privateKey());
        return !certA.isEmpty() && certA.equals(b.serverCertificate()) && !keyA.isEmpty() && keyA.equals(b.privateKey());
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
