package dev.mizzen.pilot.networking.envoy;

import dev.mizzen.pilot.model.Endpoint;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.model.Service;
import dev.mizzen.pilot.model.ServicePort;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The ports a proxy's workload serves: every port of the services that select it, by target port (a named
 * target port is resolved from the workload's endpoints). The first service to claim a target port wins.
 */
public final class InboundPorts {
    private InboundPorts() {
    }

    /** One served port: where the app listens, and the service port it serves. */
    public record InboundPort(int targetPort, Service service, ServicePort servicePort) {
    }

    public static List<InboundPort> of(Proxy proxy, PushContext push) {
        List<InboundPort> out = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (Service service : push.servicesOfWorkload(proxy.namespace(), proxy.labels())) {
            for (ServicePort port : service.ports()) {
                Optional<Integer> target = targetPort(service, port, proxy, push);
                if (target.isPresent() && seen.add(target.get())) {
                    out.add(new InboundPort(target.get(), service, port));
                }
            }
        }
        return out;
    }

    private static Optional<Integer> targetPort(Service service, ServicePort port, Proxy proxy, PushContext push) {
        if (!port.targetPort().isNamed()) {
            return Optional.of(port.targetPort().number());
        }
        for (Endpoint e : push.endpoints(service.hostname())) {
            if (proxy.ipAddresses().contains(e.address()) || e.hasLabels(proxy.labels())) {
                Optional<Integer> resolved = e.portFor(port);
                if (resolved.isPresent()) {
                    return resolved;
                }
            }
        }
        return Optional.empty();
    }
}
