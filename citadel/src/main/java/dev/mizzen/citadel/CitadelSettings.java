package dev.mizzen.citadel;

import dev.mizzen.citadel.pki.KeyType;
import dev.mizzen.citadel.servingcert.IstiodDnsNames;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How citadel runs. Validated on construction, so a bad value stops istiod at start with its name.
 *
 * @param namespace      istiod's namespace: where {@code istio-ca-secret} and {@code cacerts} live
 * @param trustDomain    the SPIFFE trust domain of workload identities
 * @param keyType        the kind of key for the self-signed root and istiod's serving certificate
 * @param root           the self-signed root (ignored with a plugged CA)
 * @param workloads      workload certificates and how callers authenticate
 * @param serving        istiod's own serving certificate
 * @param pluginCertsDir a directory holding a plugged CA (Istio's {@code cacerts} files); when it has no
 *                       {@code ca-key.pem}, the Secret {@code cacerts} is tried, then the self-signed root
 */
public record CitadelSettings(String namespace, String trustDomain, KeyType keyType, RootSettings root,
                              WorkloadSettings workloads, ServingSettings serving, Optional<Path> pluginCertsDir) {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern TRUST_DOMAIN = Pattern.compile("[a-z0-9._-]+");

    /**
     * @param validity      lifetime of a new self-signed root (Istio: 10 years)
     * @param gracePercent  a root in this last share of its life is replaced (Istio: 20)
     * @param checkInterval how often the root is checked (Istio: 1 hour)
     */
    public record RootSettings(Duration validity, int gracePercent, Duration checkInterval) {
        public static final RootSettings ISTIO_DEFAULTS = new RootSettings(Duration.ofDays(3650), 20, Duration.ofHours(1));

        public RootSettings {
            positive("root validity", validity);
            positive("root check interval", checkInterval);
            percent("root grace", gracePercent);
        }
    }

    /**
     * @param defaultValidity when a request names none (Istio: 24 h)
     * @param maxValidity     longer requests are cut to this (Istio: 90 days)
     * @param tokenAudiences  the audiences a caller's token must be valid for (Istio: istio-ca)
     */
    public record WorkloadSettings(Duration defaultValidity, Duration maxValidity, List<String> tokenAudiences) {
        public static final WorkloadSettings ISTIO_DEFAULTS =
                new WorkloadSettings(Duration.ofHours(24), Duration.ofDays(90), List.of("istio-ca"));

        public WorkloadSettings {
            positive("workload certificate validity", defaultValidity);
            Objects.requireNonNull(maxValidity, "max workload certificate validity");
            if (maxValidity.compareTo(defaultValidity) < 0) {
                throw new IllegalArgumentException("max workload certificate validity " + maxValidity
                        + " is below the default " + defaultValidity);
            }
            tokenAudiences = List.copyOf(tokenAudiences);
            if (tokenAudiences.isEmpty() || tokenAudiences.stream().anyMatch(String::isBlank)) {
                throw new IllegalArgumentException("token audiences must be non-empty names: " + tokenAudiences);
            }
        }
    }

    /**
     * @param dnsNames       the names in istiod's certificate
     * @param validity       its lifetime
     * @param renewAtPercent it is re-issued once this share of its life has passed
     */
    public record ServingSettings(List<String> dnsNames, Duration validity, int renewAtPercent) {
        public ServingSettings {
            dnsNames = List.copyOf(dnsNames);
            if (dnsNames.isEmpty() || dnsNames.stream().anyMatch(String::isBlank)) {
                throw new IllegalArgumentException("istiod's serving certificate needs DNS names: " + dnsNames);
            }
            positive("serving certificate validity", validity);
            percent("serving certificate renewal", renewAtPercent);
        }

        public static ServingSettings forIstiod(String namespace, String domainSuffix) {
            return new ServingSettings(IstiodDnsNames.of(namespace, domainSuffix), Duration.ofHours(24), 80);
        }
    }

    public CitadelSettings {
        if (namespace == null || !DNS_LABEL.matcher(namespace).matches()) {
            throw new IllegalArgumentException("istiod's namespace is not a DNS label: " + namespace);
        }
        if (trustDomain == null || !TRUST_DOMAIN.matcher(trustDomain).matches()) {
            throw new IllegalArgumentException("the trust domain is not a domain name: " + trustDomain);
        }
        Objects.requireNonNull(keyType, "key type");
        Objects.requireNonNull(root, "root settings");
        Objects.requireNonNull(workloads, "workload settings");
        Objects.requireNonNull(serving, "serving settings");
        Objects.requireNonNull(pluginCertsDir, "plugin certs dir (Optional.empty() for none)");
    }

    /** Istio's defaults: trust domain and DNS suffix cluster.local, RSA 2048, self-signed root unless plugged. */
    public static CitadelSettings defaults(String namespace) {
        return new CitadelSettings(namespace, "cluster.local", KeyType.RSA_2048, RootSettings.ISTIO_DEFAULTS,
                WorkloadSettings.ISTIO_DEFAULTS, ServingSettings.forIstiod(namespace, "cluster.local"), Optional.empty());
    }

    public CitadelSettings withKeyType(KeyType type) {
        return new CitadelSettings(namespace, trustDomain, type, root, workloads, serving, pluginCertsDir);
    }

    public CitadelSettings withRoot(RootSettings next) {
        return new CitadelSettings(namespace, trustDomain, keyType, next, workloads, serving, pluginCertsDir);
    }

    public CitadelSettings withServing(ServingSettings next) {
        return new CitadelSettings(namespace, trustDomain, keyType, root, workloads, next, pluginCertsDir);
    }

    public CitadelSettings withPluginCertsDir(Path dir) {
        return new CitadelSettings(namespace, trustDomain, keyType, root, workloads, serving, Optional.of(dir));
    }

    private static void positive(String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
    }

    private static void percent(String what, int p) {
        if (p < 1 || p > 99) {
            throw new IllegalArgumentException(what + " percent must be in 1..99: " + p);
        }
    }
}
