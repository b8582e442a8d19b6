package dev.mizzen.pilot.networking.grpcgen;

import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.model.Service;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How proxyless clients name services: {@code reviews} (in the client's namespace), {@code reviews.ns},
 * {@code reviews.ns.svc}, or the FQDN.
 */
final class GrpcNames {
    private GrpcNames() {
    }

    static Optional<Service> resolveService(String host, Proxy proxy, PushContext push) {
        for (String candidate : candidates(host, proxy, push.mesh().domainSuffix())) {
            Optional<Service> service = push.service(candidate).filter(s -> s.visibleTo(proxy.namespace()));
            if (service.isPresent()) {
                return service;
            }
        }
        return Optional.empty();
    }

    private static List<String> candidates(String host, Proxy proxy, String domainSuffix) {
        List<String> out = new ArrayList<>();
        String[] labels = host.split("\\.");
        if (labels.length == 1) {
            out.add(host + "." + proxy.namespace() + ".svc." + domainSuffix);
        } else if (labels.length == 2) {
            out.add(host + ".svc." + domainSuffix);
        } else if (labels.length == 3 && labels[2].equals("svc")) {
            out.add(host + "." + domainSuffix);
        }
        out.add(host);
        return out;
    }
}
