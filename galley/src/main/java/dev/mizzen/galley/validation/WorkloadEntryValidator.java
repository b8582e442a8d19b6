package dev.mizzen.galley.validation;

import dev.mizzen.api.networking.WorkloadEntry;

import java.util.Set;

/**
 * WorkloadEntry, standalone or as a ServiceEntry endpoint: an address (IP, FQDN where allowed, or
 * {@code unix://} socket without ports) unless a network is given, port names and numbers, labels.
 */
final class WorkloadEntryValidator implements KindValidator<WorkloadEntry> {
    private static final String UNIX = "unix://";

    @Override
    public void validate(WorkloadEntry entry, String namespace, Findings out) {
        check(out, FieldPath.SPEC, entry, null, true);
    }

    /**
     * @param servicePorts the port names of the owning ServiceEntry, or null for a standalone entry
     * @param fqdnAllowed  whether the address may be a host name (not for STATIC ServiceEntries)
     */
    static void check(Findings out, FieldPath at, WorkloadEntry entry, Set<String> servicePorts, boolean fqdnAllowed) {
        String address = entry.address() == null ? "" : entry.address();
        if (address.isEmpty()) {
            if (entry.network() == null || entry.network().isEmpty()) {
                out.error(at.field("address"), "address is required");
                return;
            }
            out.warning(at.field("address"), "address is unset with network \"" + entry.network() + "\"");
        }
        boolean unix = address.startsWith(UNIX);
        if (unix) {
            out.errorIf(at.field("address"), GatewayValidator.unixAddressError(address.substring(UNIX.length())));
            if (!entry.ports().isEmpty()) {
                out.error(at.field("ports"), "unix endpoint " + address + " must not include ports");
            }
        } else if (!address.isEmpty() && !IpAddresses.isIp(address)) {
            if (!fqdnAllowed) {
                out.error(at.field("address"), "endpoint address \"" + address + "\" is not a valid IP address");
            } else if (Hosts.fqdnError(address) != null) {
                out.error(at.field("address"), "endpoint address \"" + address + "\" is not a valid FQDN or an IP address");
            }
        }
        entry.ports().forEach((name, port) -> {
            FieldPath p = at.field("ports").key(name);
            if (servicePorts != null && !servicePorts.contains(name)) {
                out.error(p, "endpoint port " + port + " is not defined by the service entry");
            }
            Ports.checkName(out, p, name);
            Ports.checkNumber(out, p, port);
        });
        Labels.check(out, at.field("labels"), entry.labels());
        if (unix && servicePorts != null && servicePorts.size() != 1) {
            out.error(at.field("address"), "exactly 1 service port required for unix endpoints");
        }
    }
}
