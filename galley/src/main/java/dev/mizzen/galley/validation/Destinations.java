package dev.mizzen.galley.validation;

import dev.mizzen.api.networking.Destination;

import java.util.List;

/** Route destinations, subset names and gateway references, shared by HTTP, TLS and TCP routes. */
final class Destinations {
    private Destinations() {
    }

    /** A destination: a host (a wildcard domain, but not {@code *}), an optional subset and port. */
    static void check(Findings out, FieldPath at, Destination destination) {
        if (destination == null) {
            return;
        }
        String host = destination.host();
        if ("*".equals(host)) {
            out.error(at.field("host"), "invalid destination host *");
        } else {
            out.errorIf(at.field("host"), Hosts.wildcardDomainError(host));
        }
        if (destination.subset() != null && !destination.subset().isEmpty()) {
            checkSubsetName(out, at.field("subset"), destination.subset());
        }
        if (destination.port() != null) {
            Ports.checkNumber(out, at.field("port").field("number"), destination.port().number());
        }
    }

    /** Subset names are DNS-1123 labels. */
    static void checkSubsetName(Findings out, FieldPath at, String name) {
        if (name == null || name.isEmpty()) {
            out.error(at, "subset name cannot be empty");
        } else if (!Hosts.isDns1123Label(name)) {
            out.error(at, "subset name is invalid: " + name);
        }
    }

    /**
     * Gateway references: {@code namespace/name} with both DNS labels, or a bare name (an FQDN; the old
     * {@code name.namespace} form is accepted with a warning). {@code mesh} means the sidecars.
     */
    static void checkGatewayNames(Findings out, FieldPath at, List<String> gateways) {
        for (int i = 0; i < gateways.size(); i++) {
            String gateway = gateways.get(i);
            FieldPath p = at.index(i);
            int slash = gateway.indexOf('/');
            if (slash < 0) {
                if (gateway.contains(".")) {
                    String[] parts = gateway.split("\\.");
                    String recommended = parts.length > 1 ? parts[1] + "/" + parts[0] : gateway;
                    out.warning(p, "using legacy gatewayName format \"" + gateway
                            + "\"; prefer the <namespace>/<name> format: \"" + recommended + "\"");
                }
                out.errorIf(p, Hosts.fqdnError(gateway));
                continue;
            }
            String ns = gateway.substring(0, slash);
            String name = gateway.substring(slash + 1);
            if (ns.isEmpty() || name.isEmpty()) {
                out.error(p, "config namespace and gateway name cannot be empty");
            }
            if (!Hosts.isDns1123Label(ns)) {
                out.error(p, "invalid value for namespace: \"" + ns + "\"");
            }
            if (!Hosts.isDns1123Label(name)) {
                out.error(p, "invalid value for gateway name: \"" + name + "\"");
            }
        }
    }
}
