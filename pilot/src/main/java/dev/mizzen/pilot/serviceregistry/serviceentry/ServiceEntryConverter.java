package dev.mizzen.pilot.serviceregistry.serviceentry;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.networking.ServiceEntry;
import dev.mizzen.api.networking.WorkloadEntry;
import dev.mizzen.pilot.model.Endpoint;
import dev.mizzen.pilot.model.Locality;
import dev.mizzen.pilot.model.Location;
import dev.mizzen.pilot.model.Protocol;
import dev.mizzen.pilot.model.Resolution;
import dev.mizzen.pilot.model.Service;
import dev.mizzen.pilot.model.ServicePort;
import dev.mizzen.pilot.model.TargetPort;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns ServiceEntries (and the WorkloadEntries they select) into first-class services and endpoints:
 * one service per host, with the entry's ports, resolution and location. Pure.
 */
public final class ServiceEntryConverter {
    private ServiceEntryConverter() {
    }

    /** Services and their endpoints, from every ServiceEntry. */
    public record Converted(Map<String, Service> services, Map<String, List<Endpoint>> endpoints) {
    }

    public static Converted convert(List<Config<ServiceEntry>> entries, List<Config<WorkloadEntry>> workloadEntries) {
        Map<String, Service> services = new HashMap<>();
        Map<String, List<Endpoint>> endpoints = new HashMap<>();
        for (Config<ServiceEntry> entry : entries.stream().sorted(Config.BY_CREATION).toList()) {
            ServiceEntry se = entry.spec();
            List<ServicePort> ports = se.ports().stream()
                    .filter(p -> p.number() != null)
                    .map(p -> new ServicePort(p.name(), p.number(),
                            TargetPort.of(p.targetPort() != null ? p.targetPort() : p.number()), Protocol.parse(p.protocol())))
                    .toList();
            Resolution resolution = resolution(se.resolution());
            Location location = "MESH_INTERNAL".equals(se.location()) ? Location.MESH_INTERNAL : Location.MESH_EXTERNAL;
            String vip = se.addresses().size() == 1 && !se.addresses().get(0).contains("/") ? se.addresses().get(0) : "";
            for (String host : se.hosts()) {
                if (services.containsKey(host)) {
                    continue; // the oldest entry for a host wins
                }
                Service service = new Service(host, entry.namespace(), host, vip, ports, Map.of(), Map.of(),
                        Set.copyOf(se.exportTo()), resolution, location);
                services.put(host, service);
                endpoints.put(host, endpoints(entry, service, workloadEntries));
            }
        }
        return new Converted(services, endpoints);
    }

    private static Resolution resolution(String value) {
        if (value == null) {
            return Resolution.PASSTHROUGH;
        }
        return switch (value) {
            case "STATIC" -> Resolution.CLIENT_SIDE_LB;
            case "DNS" -> Resolution.DNS_LB;
            case "DNS_ROUND_ROBIN" -> Resolution.DNS_ROUND_ROBIN_LB;
            default -> Resolution.PASSTHROUGH;
        };
    }

    private static List<Endpoint> endpoints(Config<ServiceEntry> entry, Service service, List<Config<WorkloadEntry>> workloadEntries) {
        List<Endpoint> out = new ArrayList<>();
        ServiceEntry se = entry.spec();
        for (WorkloadEntry we : se.endpoints()) {
            out.add(endpoint(we, service, entry.namespace(), ""));
        }
        if (se.workloadSelector() != null) {
            for (Config<WorkloadEntry> we : workloadEntries) {
                if (we.namespace().equals(entry.namespace())
                        && we.spec().labels().entrySet().containsAll(se.workloadSelector().labels().entrySet())) {
                    out.add(endpoint(we.spec(), service, we.namespace(), we.name()));
                }
            }
        }
        if (out.isEmpty() && (service.resolution() == Resolution.DNS_LB || service.resolution() == Resolution.DNS_ROUND_ROBIN_LB)
                && !service.hostname().startsWith("*")) {
            // DNS entries without endpoints resolve their own host name
            out.add(endpoint(new WorkloadEntry(service.hostname(), Map.of(), Map.of(), null, null, null, null),
                    service, entry.namespace(), ""));
        }
        return out;
    }

    private static Endpoint endpoint(WorkloadEntry we, Service service, String namespace, String name) {
        Map<String, Integer> ports = new HashMap<>();
        for (ServicePort port : service.ports()) {
            Integer mapped = we.ports().get(port.name());
            ports.put(port.name(), mapped != null ? mapped : port.targetPort().number());
        }
        return new Endpoint(we.address() == null ? "" : we.address(), ports, name, namespace, we.labels(),
                we.serviceAccount(), true, locality(we.locality()));
    }

    private static Locality locality(String value) {
        if (value == null || value.isEmpty()) {
            return Locality.UNKNOWN;
        }
        String[] parts = value.split("/", 3);
        return new Locality(parts[0], parts.length > 1 ? parts[1] : "", parts.length > 2 ? parts[2] : "");
    }
}
