package dev.mizzen.galley.validation;

import dev.mizzen.api.networking.ClientTlsSettings;
import dev.mizzen.api.networking.OutlierDetection;
import dev.mizzen.api.networking.PortTrafficPolicy;
import dev.mizzen.api.networking.RetryBudget;
import dev.mizzen.api.networking.TrafficPolicy;
import dev.mizzen.api.networking.TunnelSettings;

import java.util.List;
import java.util.Set;

/**
 * A DestinationRule traffic policy (top level, per subset, per port): outlier detection, connection pool,
 * load balancer ({@link LoadBalancerValidator}), client TLS, tunnel, PROXY protocol and retry budget.
 */
final class TrafficPolicyValidator {
    private static final Set<String> TLS_MODES = Set.of("DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL");

    private TrafficPolicyValidator() {
    }

    static void check(Findings out, FieldPath at, TrafficPolicy policy, String namespace) {
        if (policy == null) {
            return;
        }
        // Istio's list omits retryBudget (newer than this rule); counting it keeps us no stricter than Istio.
        if (Enums.countSet(policy.outlierDetection(), policy.connectionPool(), policy.loadBalancer(), policy.tls(),
                policy.tunnel(), policy.proxyProtocol(), policy.retryBudget()) == 0 && policy.portLevelSettings().isEmpty()) {
            out.error(at, "traffic policy must have at least one field");
            return;
        }
        if (policy.tunnel() != null && policy.proxyProtocol() != null) {
            out.error(at, "tunnel and proxyProtocol must not be set together");
        }
        outlierDetection(out, at.field("outlierDetection"), policy.outlierDetection());
        ConnectionPoolValidator.check(out, at.field("connectionPool"), policy.connectionPool());
        LoadBalancerValidator.check(out, at.field("loadBalancer"), policy.loadBalancer(), policy.outlierDetection());
        clientTls(out, at.field("tls"), policy.tls());
        portLevel(out, at.field("portLevelSettings"), policy.portLevelSettings());
        tunnel(out, at.field("tunnel"), policy.tunnel());
        if (policy.proxyProtocol() != null) {
            Enums.check(out, at.field("proxyProtocol").field("version"), policy.proxyProtocol().version(), Set.of("V1", "V2"));
        }
        retryBudget(out, at.field("retryBudget"), policy.retryBudget());
    }

    private static void portLevel(Findings out, FieldPath at, List<PortTrafficPolicy> policies) {
        for (int i = 0; i < policies.size(); i++) {
            FieldPath p = at.index(i);
            PortTrafficPolicy policy = policies.get(i);
            if (policy.port() == null) {
                out.error(p.field("port"), "portTrafficPolicy must have valid port");
            }
            if (Enums.countSet(policy.outlierDetection(), policy.connectionPool(), policy.loadBalancer(), policy.tls()) == 0) {
                out.error(p, "port traffic policy must have at least one field");
                continue;
            }
            outlierDetection(out, p.field("outlierDetection"), policy.outlierDetection());
            ConnectionPoolValidator.check(out, p.field("connectionPool"), policy.connectionPool());
            LoadBalancerValidator.check(out, p.field("loadBalancer"), policy.loadBalancer(), policy.outlierDetection());
            clientTls(out, p.field("tls"), policy.tls());
        }
    }

    private static void outlierDetection(Findings out, FieldPath at, OutlierDetection outlier) {
        if (outlier == null) {
            return;
        }
        DurationRules.check(out, at.field("baseEjectionTime"), outlier.baseEjectionTime());
        DurationRules.check(out, at.field("interval"), outlier.interval());
        if (outlier.consecutiveErrors() != null && outlier.consecutiveErrors() != 0) {
            out.warning(at.field("consecutiveErrors"), "outlier detection consecutive errors is deprecated, "
                    + "use consecutiveGatewayErrors or consecutive5xxErrors instead");
        }
        if (!Boolean.TRUE.equals(outlier.splitExternalLocalOriginErrors())
                && outlier.consecutiveLocalOriginFailures() != null && outlier.consecutiveLocalOriginFailures() > 0) {
            out.error(at.field("consecutiveLocalOriginFailures"), "outlier detection consecutive local origin failures "
                    + "is specified, but split external local origin errors is set to false");
        }
        Percentages.checkInteger(out, at.field("maxEjectionPercent"), outlier.maxEjectionPercent());
        Percentages.checkInteger(out, at.field("minHealthPercent"), outlier.minHealthPercent());
        nonNegative(out, at.field("consecutive5xxErrors"), outlier.consecutive5xxErrors());
        nonNegative(out, at.field("consecutiveGatewayErrors"), outlier.consecutiveGatewayErrors());
        nonNegative(out, at.field("consecutiveLocalOriginFailures"), outlier.consecutiveLocalOriginFailures());
        for (int i = 0; i < outlier.outlierDetectionHttpErrorCodes().size(); i++) {
            int code = outlier.outlierDetectionHttpErrorCodes().get(i);
            if (code < 100 || code > 599) {
                out.error(at.field("outlierDetectionHttpErrorCodes").index(i), "HTTP status " + code + " is not in range 100-599");
            }
        }
    }

    /** Client-side TLS towards the destination: what each mode needs, and what credentialName replaces. */
    private static void clientTls(Findings out, FieldPath at, ClientTlsSettings tls) {
        if (tls == null) {
            return;
        }
        String mode = tls.mode() == null ? "DISABLE" : tls.mode();
        Enums.check(out, at.field("mode"), tls.mode(), TLS_MODES);
        boolean hasCredential = !isEmpty(tls.credentialName());
        if (Boolean.TRUE.equals(tls.insecureSkipVerify())) {
            if (mode.equals("SIMPLE") && (!isEmpty(tls.caCertificates()) || hasCredential || !tls.subjectAltNames().isEmpty())) {
                out.error(at, "cannot specify CaCertificates or CredentialName or SubjectAltNames when InsecureSkipVerify is set true");
            }
            if (mode.equals("MUTUAL") && (!isEmpty(tls.caCertificates()) || !tls.subjectAltNames().isEmpty())) {
                out.error(at, "cannot specify CaCertificates or SubjectAltNames when InsecureSkipVerify is set true");
            }
        }
        if ((mode.equals("SIMPLE") || mode.equals("MUTUAL")) && hasCredential) {
            if (!isEmpty(tls.clientCertificate()) || !isEmpty(tls.caCertificates()) || !isEmpty(tls.privateKey())
                    || !isEmpty(tls.caCrl())) {
                out.error(at, "cannot specify client certificates or CA certificate or CA CRL If credentialName is set");
            }
            return;
        }
        if (mode.equals("MUTUAL")) {
            if (isEmpty(tls.clientCertificate())) {
                out.error(at.field("clientCertificate"), "client certificate required for mutual tls");
            }
            if (isEmpty(tls.privateKey())) {
                out.error(at.field("privateKey"), "private key required for mutual tls");
            }
        }
    }

    private static void tunnel(Findings out, FieldPath at, TunnelSettings tunnel) {
        if (tunnel == null) {
            return;
        }
        String protocol = tunnel.protocol();
        if (!isEmpty(protocol) && !protocol.equals("CONNECT") && !protocol.equals("POST")) {
            out.error(at.field("protocol"), "tunnel protocol must be \"CONNECT\" or \"POST\"");
        }
        String host = tunnel.targetHost();
        String fqdnError = Hosts.fqdnError(host);
        if (fqdnError != null && !IpAddresses.isIp(host)) {
            out.error(at.field("targetHost"), "tunnel target host must be valid FQDN or IP address: " + fqdnError);
        }
        String portError = Ports.numberError(tunnel.targetPort());
        if (portError != null) {
            out.error(at.field("targetPort"), "tunnel target port is invalid: " + portError);
        }
    }

    private static void retryBudget(Findings out, FieldPath at, RetryBudget budget) {
        if (budget == null) {
            return;
        }
        if (budget.percent() != null && (budget.percent() < 0 || budget.percent() > 100)) {
            out.error(at.field("percent"), "percent must be in range 0..100");
        }
        nonNegative(out, at.field("minRetryConcurrency"), budget.minRetryConcurrency());
        DurationRules.check(out, at.field("budgetInterval"), budget.budgetInterval());
    }

    static void nonNegative(Findings out, FieldPath at, Integer value) {
        if (value != null && value < 0) {
            out.error(at, "must be non-negative");
        }
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }
}
