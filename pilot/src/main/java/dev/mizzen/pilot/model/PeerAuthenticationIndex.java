package dev.mizzen.pilot.model;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.security.Mtls;
import dev.mizzen.api.security.PeerAuthentication;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Istio's PeerAuthentication precedence for one workload port: the oldest policy whose selector matches the
 * workload (its port-level setting first), then its namespace's policy, then the mesh-wide policy in the
 * root namespace; UNSET inherits from the next level; PERMISSIVE when nothing says otherwise.
 */
public final class PeerAuthenticationIndex {
    private final List<Config<PeerAuthentication>> policies;
    private final MeshSettings mesh;

    private PeerAuthenticationIndex(List<Config<PeerAuthentication>> policies, MeshSettings mesh) {
        this.policies = policies;
        this.mesh = mesh;
    }

    public static PeerAuthenticationIndex build(List<Config<PeerAuthentication>> policies, MeshSettings mesh) {
        return new PeerAuthenticationIndex(policies.stream().sorted(Config.BY_CREATION).toList(), mesh);
    }

    public MtlsMode modeFor(String namespace, Map<String, String> labels, int port) {
        Optional<Config<PeerAuthentication>> workload = policies.stream()
                .filter(p -> p.namespace().equals(namespace) && hasSelector(p)
                        && labels.entrySet().containsAll(p.spec().selector().matchLabels().entrySet()))
                .findFirst();
        if (workload.isPresent()) {
            Mtls portLevel = workload.get().spec().portLevelMtls().get(Integer.toString(port));
            Optional<MtlsMode> mode = parse(portLevel).or(() -> parse(workload.get().spec().mtls()));
            if (mode.isPresent()) {
                return mode.get();
            }
        }
        for (String ns : List.of(namespace, mesh.rootNamespace())) {
            Optional<MtlsMode> mode = policies.stream()
                    .filter(p -> p.namespace().equals(ns) && !hasSelector(p))
                    .findFirst()
                    .flatMap(p -> parse(p.spec().mtls()));
            if (mode.isPresent()) {
                return mode.get();
            }
        }
        return MtlsMode.PERMISSIVE;
    }

    private static boolean hasSelector(Config<PeerAuthentication> p) {
        return p.spec().selector() != null && !p.spec().selector().matchLabels().isEmpty();
    }

    private static Optional<MtlsMode> parse(Mtls mtls) {
        if (mtls == null || mtls.mode() == null) {
            return Optional.empty();
        }
        return switch (mtls.mode()) {
            case "STRICT" -> Optional.of(MtlsMode.STRICT);
            case "PERMISSIVE" -> Optional.of(MtlsMode.PERMISSIVE);
            case "DISABLE" -> Optional.of(MtlsMode.DISABLE);
            default -> Optional.empty();
        };
    }
}
