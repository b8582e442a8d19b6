package dev.mizzen.pilot.security.authz;

import java.util.List;

/**
 * Generated filters, in the order Envoy must run them, and the warnings for the operator (one per policy
 * with a rule dropped or narrowed, a bad CUSTOM provider, ...). The warnings are for a log line or a status
 * condition; they never change the filters.
 *
 * @param <F> {@code HttpFilter} for HTTP chains, {@code Filter} (network) for TCP chains
 */
public record AuthzFilters<F>(List<F> filters, List<String> warnings) {
    public AuthzFilters {
        filters = List.copyOf(filters);
        warnings = List.copyOf(warnings);
    }

    public static <F> AuthzFilters<F> none() {
        return new AuthzFilters<>(List.of(), List.of());
    }
}
