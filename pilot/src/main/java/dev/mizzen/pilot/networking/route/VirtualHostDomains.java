package dev.mizzen.pilot.networking.route;

import dev.mizzen.pilot.model.Service;

import java.util.ArrayList;
import java.util.List;

/**
 * Every name a client may use for a service port, as Istio lists them in a virtual host: the FQDN,
 * {@code name.ns.svc}, {@code name.ns}, the short name (only for clients in the service's namespace) and
 * the VIP, each with and without the port.
 */
public final class VirtualHostDomains {
    private VirtualHostDomains() {
    }

    public static List<String> of(Service service, int port, String clientNamespace, String domainSuffix) {
        List<String> hosts = new ArrayList<>();
        hosts.add(service.hostname());
        String suffix = ".svc." + domainSuffix;
        if (service.hostname().endsWith(suffix)) {
            String withSvc = service.hostname().substring(0, service.hostname().length() - domainSuffix.length() - 1);
            String withNamespace = service.hostname().substring(0, service.hostname().length() - suffix.length());
            hosts.add(withSvc);
            hosts.add(withNamespace);
            if (service.namespace().equals(clientNamespace)) {
                hosts.add(service.name());
            }
        }
        if (!service.clusterIp().isEmpty()) {
            hosts.add(service.clusterIp());
        }
        List<String> out = new ArrayList<>();
        for (String h : hosts) {
            out.add(h);
            out.add(h + ":" + port);
        }
        return out;
    }
}
