package dev.mizzen.citadel.server;

import dev.mizzen.api.identity.AuthenticationException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The CA server's counters, under Istio's names (Prometheus adds {@code _total} to each). Thread-safe:
 * Micrometer counters are.
 */
public final class CaMetrics {
    private final Counter csrs;
    private final Counter csrParsingErrors;
    private final Counter successes;
    private final Map<AuthenticationException.Kind, Counter> authnFailures = new EnumMap<>(AuthenticationException.Kind.class);
    private final MeterRegistry registry;

    public CaMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.csrs = Counter.builder("citadel_server_csr_count")
                .description("The number of CSRs received by the Citadel server.").register(registry);
        this.csrParsingErrors = Counter.builder("citadel_server_csr_parsing_err_count")
                .description("The number of errors occurred when parsing the CSR.").register(registry);
        this.successes = Counter.builder("citadel_server_success_cert_issuance_count")
                .description("The number of certificate issuances that have succeeded.").register(registry);
        for (AuthenticationException.Kind kind : AuthenticationException.Kind.values()) {
            authnFailures.put(kind, Counter.builder("citadel_server_authentication_failure_count")
                    .description("The number of authentication failures.")
                    .tag("reason", kind.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
    }

    void csrReceived() {
        csrs.increment();
    }

    void csrParsingError() {
        csrParsingErrors.increment();
    }

    void authenticationFailure(AuthenticationException.Kind kind) {
        authnFailures.get(kind).increment();
    }

    void signError(String error) {
        Counter.builder("citadel_server_csr_sign_err_count")
                .description("The number of errors occurred when signing the CSR.")
                .tag("error", error)
                .register(registry)
                .increment();
    }

    void issued() {
        successes.increment();
    }
}
