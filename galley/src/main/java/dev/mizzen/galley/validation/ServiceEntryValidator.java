package dev.mizzen.galley.validation;

import dev.mizzen.api.networking.ServiceEntry;
import dev.mizzen.api.networking.ServicePort;
import dev.mizzen.api.networking.WorkloadEntry;

import java.util.HashSet;
import java.util.Set;

/**
 * ServiceEntry: hosts (wildcard domains, not {@code *}), addresses (IPs; CIDRs only with NONE/STATIC), ports
 * (unique names and numbers), and what each resolution needs: NONE no endpoints, STATIC IP endpoints on
 * declared ports, DNS FQDN hosts or endpoints (DNS_ROUND_ROBIN at most one); endpoints or a workload
 * selector, not both; several hosts only on HTTP/TLS ports unless resolution is NONE.
 */
final class ServiceEntryValidator implements KindValidator<ServiceEntry> {
    private static final Set<String> RESOLUTIONS = Set.of("NONE", "STATIC", "DNS", "DNS_ROUND_ROBIN", "DYNAMIC_DNS");

    @Override
    public void validate(ServiceEntry se, String namespace, Findings out) {
        FieldPath spec = FieldPath.SPEC;
        String resolution = se.resolution() == null ? "NONE" : se.resolution();
        if (se.workloadSelector() != null) {
            Labels.checkSelector(out, spec.field("workloadSelector").field("labels"), se.workloadSelector().labels(),
                    "service entry: workload selector specified without labels, will be applied to all services in namespace");
            if (!se.endpoints().isEmpty()) {
                out.error(spec, "only one of WorkloadSelector or Endpoints is allowed in Service Entry");
            }
        }
        hosts(out, spec, se);
        boolean cidr = false;
        for (int i = 0; i < se.addresses().size(); i++) {
            String address = se.addresses().get(i);
            cidr |= address.contains("/");
            out.errorIf(spec.field("addresses").index(i), IpAddresses.subnetError(address));
        }
        if (cidr && !resolution.equals("NONE") && !resolution.equals("STATIC")) {
            out.error(spec.field("addresses"), "CIDR addresses are allowed only for NONE/STATIC resolution types");
        }
        Set<String> portNames = ports(out, spec.field("ports"), se);
        Enums.check(out, spec.field("resolution"), se.resolution(), RESOLUTIONS);
        Enums.check(out, spec.field("location"), se.location(), Set.of("MESH_EXTERNAL", "MESH_INTERNAL"));
        resolution(out, spec, se, resolution, portNames);
        if (!resolution.equals("NONE") && se.hosts().size() > 1) {
            for (ServicePort port : se.ports()) {
                Ports.Protocol p = Ports.Protocol.parse(port.protocol());
                if (!p.isHttp() && !p.isTls()) {
                    out.error(spec.field("hosts"), "multiple hosts provided with non-HTTP, non-TLS ports");
                    break;
                }
            }
        }
        ExportTo.check(out, spec.field("exportTo"), namespace, se.exportTo(), ExportTo.Kind.SERVICE_ENTRY);
    }

    private static void hosts(Findings out, FieldPath spec, ServiceEntry se) {
        if (se.hosts().isEmpty()) {
            out.error(spec.field("hosts"), "service entry must have at least one host");
        }
        for (int i = 0; i < se.hosts().size(); i++) {
            String host = se.hosts().get(i);
            FieldPath p = spec.field("hosts").index(i);
            if (host.equals("*")) {
                out.error(p, "invalid host *");
                continue;
            }
            out.errorIf(p, Hosts.wildcardDomainError(host));
            String partial = Hosts.partialWildcardError(host);
            if (partial != null) {
                out.warning(p, partial);
            }
        }
    }

    private static Set<String> ports(Findings out, FieldPath at, ServiceEntry se) {
        Set<String> names = new HashSet<>();
        Set<Integer> numbers = new HashSet<>();
        for (int i = 0; i < se.ports().size(); i++) {
            FieldPath p = at.index(i);
            ServicePort port = se.ports().get(i);
            if (!names.add(port.name() == null ? "" : port.name())) {
                out.error(p.field("name"), "service entry port name \"" + port.name() + "\" already defined");
            }
            if (!numbers.add(port.number() == null ? 0 : port.number())) {
                out.error(p.field("number"), "service entry port " + port.number() + " already defined");
            }
            if (port.targetPort() != null && port.targetPort() != 0) {
                Ports.checkNumber(out, p.field("targetPort"), port.targetPort());
            }
            Ports.checkName(out, p.field("name"), port.name());
            Ports.checkProtocol(out, p.field("protocol"), port.protocol());
            Ports.checkNumber(out, p.field("number"), port.number());
        }
        return names;
    }

    private static void resolution(Findings out, FieldPath spec, ServiceEntry se, String resolution, Set<String> ports) {
        FieldPath endpoints = spec.field("endpoints");
        switch (resolution) {
            case "NONE" -> {
                if (!se.endpoints().isEmpty()) {
                    out.error(endpoints, "no endpoints should be provided for resolution type none");
                }
                if (se.workloadSelector() != null) {
                    out.warning(spec.field("workloadSelector"), "workloadSelector should not be set when resolution mode is NONE");
                }
            }
            case "STATIC" -> {
                for (int i = 0; i < se.endpoints().size(); i++) {
                    WorkloadEntryValidator.check(out, endpoints.index(i), se.endpoints().get(i), ports, false);
                }
            }
            case "DNS", "DNS_ROUND_ROBIN" -> dns(out, spec, se, resolution, ports);
            default -> {
                // DYNAMIC_DNS is newer than Istio's rules for the others: accepted as the CRD accepts it
            }
        }
    }

    private static void dns(Findings out, FieldPath spec, ServiceEntry se, String resolution, Set<String> ports) {
        FieldPath endpoints = spec.field("endpoints");
        if (se.endpoints().isEmpty()) {
            for (int i = 0; i < se.hosts().size(); i++) {
                if (Hosts.fqdnError(se.hosts().get(i)) != null) {
                    out.error(spec.field("hosts").index(i),
                            "hosts must be FQDN if no endpoints are provided for resolution mode " + resolution);
                }
            }
        }
        if (resolution.equals("DNS_ROUND_ROBIN") && se.endpoints().size() > 1) {
            out.error(endpoints, "there must only be 0 or 1 endpoint for resolution mode " + resolution);
        }
        for (int i = 0; i < se.endpoints().size(); i++) {
            FieldPath p = endpoints.index(i);
            WorkloadEntry endpoint = se.endpoints().get(i);
            String address = endpoint.address() == null ? "" : endpoint.address();
            if (!IpAddresses.isIp(address) && Hosts.fqdnError(address) != null) {
                out.error(p.field("address"), "endpoint address \"" + address + "\" is not a valid FQDN or an IP address");
            }
            Labels.check(out, p.field("labels"), endpoint.labels());
            endpoint.ports().forEach((name, number) -> {
                FieldPath pp = p.field("ports").key(name);
                if (!ports.contains(name)) {
                    out.error(pp, "endpoint port " + number + " is not defined by the service entry");
                }
                Ports.checkName(out, pp, name);
                Ports.checkNumber(out, pp, number);
            });
        }
        if (se.workloadSelector() != null) {
            out.warning(spec.field("workloadSelector"), "workloadSelector should not be set when resolution mode is " + resolution);
        }
        if (!se.addresses().isEmpty() && se.hosts().size() > 1
                && se.ports().stream().anyMatch(p -> Ports.Protocol.parse(p.protocol()).isTcp())) {
            out.warning(spec.field("hosts"),
                    "service entry can not have more than one host specified simultaneously with address and tcp port");
        }
    }
}
