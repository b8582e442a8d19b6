package dev.mizzen.galley.validation;

import dev.mizzen.api.networking.ConnectionPoolSettings;
import dev.mizzen.api.networking.Durations;
import dev.mizzen.api.networking.HttpSettings;
import dev.mizzen.api.networking.TcpSettings;

import java.util.Set;

/** Connection pool settings (DestinationRule, Sidecar ingress): non-negative limits and valid durations. */
final class ConnectionPoolValidator {
    private ConnectionPoolValidator() {
    }

    static void check(Findings out, FieldPath at, ConnectionPoolSettings pool) {
        if (pool == null) {
            return;
        }
        if (pool.http() == null && pool.tcp() == null) {
            out.error(at, "connection pool must have at least one field");
            return;
        }
        http(out, at.field("http"), pool.http());
        tcp(out, at.field("tcp"), pool.tcp());
    }

    private static void http(Findings out, FieldPath at, HttpSettings http) {
        if (http == null) {
            return;
        }
        limit(out, at.field("http1MaxPendingRequests"), http.http1MaxPendingRequests(), "http1 max pending requests");
        limit(out, at.field("http2MaxRequests"), http.http2MaxRequests(), "http2 max requests");
        limit(out, at.field("maxRequestsPerConnection"), http.maxRequestsPerConnection(), "max requests per connection");
        limit(out, at.field("maxRetries"), http.maxRetries(), "max retries");
        limit(out, at.field("maxConcurrentStreams"), http.maxConcurrentStreams(), "max concurrent streams");
        DurationRules.check(out, at.field("idleTimeout"), http.idleTimeout());
        Enums.check(out, at.field("h2UpgradePolicy"), http.h2UpgradePolicy(), Set.of("DEFAULT", "DO_NOT_UPGRADE", "UPGRADE"));
        if ("UPGRADE".equals(http.h2UpgradePolicy()) && Boolean.TRUE.equals(http.useClientProtocol())) {
            out.error(at.field("useClientProtocol"), "use client protocol must not be true when H2UpgradePolicy is UPGRADE");
        }
        if (http.http2KeepAlive() != null) {
            DurationRules.check(out, at.field("http2KeepAlive").field("interval"), http.http2KeepAlive().interval());
            DurationRules.check(out, at.field("http2KeepAlive").field("timeout"), http.http2KeepAlive().timeout());
        }
    }

    private static void tcp(Findings out, FieldPath at, TcpSettings tcp) {
        if (tcp == null) {
            return;
        }
        limit(out, at.field("maxConnections"), tcp.maxConnections(), "max connections");
        DurationRules.check(out, at.field("connectTimeout"), tcp.connectTimeout());
        DurationRules.check(out, at.field("maxConnectionDuration"), tcp.maxConnectionDuration());
        if (!isZero(tcp.idleTimeout())) { // 0s disables the idle timeout
            DurationRules.check(out, at.field("idleTimeout"), tcp.idleTimeout());
        }
        if (tcp.tcpKeepalive() != null) {
            DurationRules.check(out, at.field("tcpKeepalive").field("time"), tcp.tcpKeepalive().time());
            DurationRules.check(out, at.field("tcpKeepalive").field("interval"), tcp.tcpKeepalive().interval());
            TrafficPolicyValidator.nonNegative(out, at.field("tcpKeepalive").field("probes"), tcp.tcpKeepalive().probes());
        }
    }

    private static boolean isZero(String duration) {
        if (duration == null) {
            return false;
        }
        try {
            return Math.abs(Durations.parse(duration).toNanos()) < 1_000_000;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void limit(Findings out, FieldPath at, Integer value, String what) {
        if (value != null && value < 0) {
            out.error(at, what + " must be non-negative");
        }
    }
}
