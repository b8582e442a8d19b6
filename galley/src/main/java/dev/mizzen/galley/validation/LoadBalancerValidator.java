package dev.mizzen.galley.validation;

import dev.mizzen.api.networking.ConsistentHashLb;
import dev.mizzen.api.networking.LoadBalancerSettings;
import dev.mizzen.api.networking.OutlierDetection;
import dev.mizzen.api.networking.WarmupConfiguration;

import java.util.Set;

/**
 * Load balancer settings: one algorithm (simple, consistent hash or backend utilisation), a consistent hash
 * with one key and one of ring hash or Maglev (a prime table size below 5,000,011, as Envoy requires),
 * locality settings ({@link LocalityLbValidator}) and warmup.
 */
final class LoadBalancerValidator {
    private static final Set<String> SIMPLE = Set.of("UNSPECIFIED", "LEAST_CONN", "RANDOM", "PASSTHROUGH", "ROUND_ROBIN",
            "LEAST_REQUEST");
    private static final long MAGLEV_MAX_TABLE = 5_000_011L;

    private LoadBalancerValidator() {
    }

    static void check(Findings out, FieldPath at, LoadBalancerSettings lb, OutlierDetection outlier) {
        if (lb == null) {
            return;
        }
        if (Enums.countSet(lb.simple(), lb.consistentHash(), lb.backendUtilization()) > 1) {
            out.error(at, "only one of simple, consistentHash or backendUtilization can be set");
        }
        Enums.check(out, at.field("simple"), lb.simple(), SIMPLE);
        consistentHash(out, at.field("consistentHash"), lb.consistentHash());
        LocalityLbValidator.check(out, at.field("localityLbSetting"), lb.localityLbSetting(), outlier);
        DurationRules.check(out, at.field("warmupDurationSecs"), lb.warmupDurationSecs());
        warmup(out, at.field("warmup"), lb.warmup());
        if (lb.zoneAwareLbSetting() != null && lb.zoneAwareLbSetting().minClusterSize() != null
                && lb.zoneAwareLbSetting().minClusterSize() < 1) {
            out.error(at.field("zoneAwareLbSetting").field("minClusterSize"), "minClusterSize must be at least 1");
        }
    }

    private static void consistentHash(Findings out, FieldPath at, ConsistentHashLb hash) {
        if (hash == null) {
            return;
        }
        if (Enums.countSet(hash.httpHeaderName(), hash.httpCookie(), hash.useSourceIp(), hash.httpQueryParameterName()) > 1) {
            out.error(at, "only one of httpHeaderName, httpCookie, useSourceIp or httpQueryParameterName can be set");
        }
        if (hash.ringHash() != null && hash.maglev() != null) {
            out.error(at, "only one of ringHash or maglev can be set");
        }
        if (hash.httpCookie() != null) {
            if (hash.httpCookie().name() == null || hash.httpCookie().name().isEmpty()) {
                out.error(at.field("httpCookie").field("name"), "name required for HttpCookie");
            }
            for (int i = 0; i < hash.httpCookie().attributes().size(); i++) {
                String name = hash.httpCookie().attributes().get(i).name();
                if (name == null || name.isEmpty()) {
                    out.error(at.field("httpCookie").field("attributes").index(i).field("name"), "cookie attribute name is required");
                }
            }
        }
        long minimumRingSize = hash.minimumRingSize() == null ? 0 : hash.minimumRingSize();
        if (minimumRingSize != 0) {
            out.warning(at.field("minimumRingSize"), "consistent hash MinimumRingSize is deprecated, "
                    + "use ConsistentHashLB's RingHash configuration instead");
            if (hash.ringHash() != null || hash.maglev() != null) {
                out.error(at.field("minimumRingSize"), "only one of MinimumRingSize or Maglev/Ringhash can be specified");
            }
        }
        if (hash.maglev() != null) {
            FieldPath p = at.field("maglev").field("tableSize");
            long size = hash.maglev().tableSize() == null ? 0 : hash.maglev().tableSize();
            if (size == 0) {
                out.error(p, "tableSize must be set for maglev");
            }
            if (size >= MAGLEV_MAX_TABLE) {
                out.error(p, "tableSize must be less than 5000011 for maglev");
            }
            if (!isPrime(size)) {
                out.error(p, "tableSize must be a prime number for maglev");
            }
        }
    }

    /** Envoy's primality test for Maglev table sizes (0 is not prime, 1 counts as one). */
    static boolean isPrime(long x) {
        if (x > 0 && x < 4) {
            return true;
        }
        if (x <= 0 || x % 2 == 0) {
            return false;
        }
        long limit = (long) Math.sqrt((double) x);
        for (long f = 3; f <= limit; f += 2) {
            if (x % f == 0) {
                return false;
            }
        }
        return true;
    }

    private static void warmup(Findings out, FieldPath at, WarmupConfiguration warmup) {
        if (warmup == null) {
            return;
        }
        if (warmup.duration() == null) {
            out.error(at.field("duration"), "duration is required");
        } else {
            DurationRules.check(out, at.field("duration"), warmup.duration());
        }
        Double min = warmup.minimumPercent();
        if (min != null && (min > 100 || min < 0)) {
            out.error(at.field("minimumPercent"), "minimumPercent value should be between 0 and 100");
        }
        if (warmup.aggression() != null && warmup.aggression() < 1) {
            out.error(at.field("aggression"), "aggression should be greater than or equal to 1");
        }
    }
}
