package dev.mizzen.pilot.networking.route;

import com.google.protobuf.UInt32Value;
import dev.mizzen.api.networking.HttpRetry;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import dev.mizzen.pilot.xds.XdsResource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Istio's retry semantics: no retries block means the default policy (2 attempts on connect failures,
 * refused streams, unavailable, cancelled and 503), {@code attempts: 0} disables retries. Pure.
 */
public final class RetryPolicies {
    static final String DEFAULT_RETRY_ON = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes";
    private static final int DEFAULT_ATTEMPTS = 2;

    private RetryPolicies() {
    }

    public static Optional<RetryPolicy> translate(HttpRetry retry, RouteContext.Flavor flavor) {
        if (retry != null && retry.attempts() != null && retry.attempts() <= 0) {
            return Optional.empty();
        }
        RetryPolicy.Builder out = RetryPolicy.newBuilder()
                .setNumRetries(UInt32Value.of(retry == null || retry.attempts() == null ? DEFAULT_ATTEMPTS : retry.attempts()));
        String retryOn = retry == null || retry.retryOn() == null || retry.retryOn().isBlank()
                ? DEFAULT_RETRY_ON : retry.retryOn();
        List<String> conditions = new ArrayList<>();
        List<Integer> codes = new ArrayList<>();
        for (String token : Arrays.stream(retryOn.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList()) {
            if (token.chars().allMatch(Character::isDigit)) {
                codes.add(Integer.parseInt(token));
            } else {
                conditions.add(token);
            }
        }
        if (retry == null || retry.retryOn() == null || retry.retryOn().isBlank()) {
            codes.add(503);
        }
        if (!codes.isEmpty() && !conditions.contains("retriable-status-codes")) {
            conditions.add("retriable-status-codes");
        }
        out.setRetryOn(String.join(",", conditions));
        codes.forEach(out::addRetriableStatusCodes);
        if (retry != null && retry.perTryTimeout() != null) {
            out.setPerTryTimeout(ProtoDurations.parse(retry.perTryTimeout()));
        }
        if (retry != null && retry.backoff() != null) {
            out.setRetryBackOff(RetryPolicy.RetryBackOff.newBuilder().setBaseInterval(ProtoDurations.parse(retry.backoff())));
        }
        if (flavor == RouteContext.Flavor.ENVOY) {
            out.addRetryHostPredicate(RetryPolicy.RetryHostPredicate.newBuilder()
                    .setName("envoy.retry_host_predicates.previous_hosts")
                    .setTypedConfig(XdsResource.pack(PreviousHostsPredicate.getDefaultInstance())));
            out.setHostSelectionRetryMaxAttempts(5);
        }
        return Optional.of(out.build());
    }
}
