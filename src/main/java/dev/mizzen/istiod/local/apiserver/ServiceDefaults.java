package dev.mizzen.istiod.local.apiserver;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * What the kube-apiserver's Service storage does to a Service before it stores it: a cluster IP from the service
 * range unless the Service is headless ({@code clusterIP: None}) or ExternalName, {@code clusterIPs},
 * {@code ipFamilies} and {@code ipFamilyPolicy} to match, {@code type: ClusterIP}, {@code sessionAffinity: None},
 * and each port's {@code protocol} (TCP) and {@code targetPort} (the port). On update the cluster IP is kept when
 * the new object leaves it out, and may not change. Functions over the JSON tree.
 */
final class ServiceDefaults {
    static final String NONE = "None";

    private ServiceDefaults() {
    }

    /**
     * Defaults a Service being created.
     *
     * @return the address allocated for it, or null when none was (headless, ExternalName, given by the caller)
     * @throws IllegalArgumentException when the given cluster IP is outside the range or taken, or none is left
     */
    static String onCreate(ObjectNode service, IpAllocator ips) {
        ObjectNode spec = spec(service);
        defaults(spec);
        if ("ExternalName".equals(spec.path("type").asString(""))) {
            spec.remove("clusterIP");
            spec.remove("clusterIPs");
            return null;
        }
        String given = spec.path("clusterIP").asString("");
        if (given.isEmpty() && spec.path("clusterIPs").isArray() && !spec.path("clusterIPs").isEmpty()) {
            given = spec.path("clusterIPs").get(0).asString("");
        }
        if (NONE.equals(given)) {
            setIp(spec, NONE);
            return null;
        }
        if (!given.isEmpty()) {
            try {
                ips.reserve(given);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("spec.clusterIPs: Invalid value: [\"" + given + "\"]: failed to allocate IP "
                        + given + ": " + e.getMessage());
            }
            setIp(spec, given);
            return given;
        }
        String ip = ips.allocate().orElseThrow(() -> new IllegalArgumentException(
                "spec.clusterIPs: Internal error: no address is left in the service range " + ips.block()));
        setIp(spec, ip);
        return ip;
    }

    /**
     * Defaults a Service being replaced by {@code service}, given what is stored.
     *
     * @throws IllegalArgumentException when the update changes the cluster IP
     */
    static void onUpdate(ObjectNode service, ObjectNode current) {
        ObjectNode spec = spec(service);
        defaults(spec);
        List<String> stored = clusterIps(current);
        String given = spec.path("clusterIP").asString("");
        if (stored.isEmpty() || "ExternalName".equals(spec.path("type").asString(""))) {
            return;
        }
        if (given.isEmpty()) {
            setIp(spec, stored.get(0));
        } else if (!given.equals(stored.get(0))) {
            throw new IllegalArgumentException("spec.clusterIPs[0]: Invalid value: [\"" + given + "\"]: may not change once set");
        }
    }

    /** The addresses a stored Service holds (not {@code None}). */
    static List<String> clusterIps(JsonNode service) {
        List<String> out = new ArrayList<>();
        JsonNode spec = service.path("spec");
        String ip = spec.path("clusterIP").asString("");
        if (!ip.isEmpty() && !NONE.equals(ip)) {
            out.add(ip);
        }
        return out;
    }

    private static ObjectNode spec(ObjectNode service) {
        return service.get("spec") instanceof ObjectNode spec ? spec : service.putObject("spec");
    }

    private static void defaults(ObjectNode spec) {
        if (spec.path("type").asString("").isEmpty()) {
            spec.put("type", "ClusterIP");
        }
        if (spec.path("sessionAffinity").asString("").isEmpty()) {
            spec.put("sessionAffinity", "None");
        }
        if (spec.get("ports") instanceof ArrayNode ports) {
            for (JsonNode p : ports) {
                if (p instanceof ObjectNode port) {
                    if (port.path("protocol").asString("").isEmpty()) {
                        port.put("protocol", "TCP");
                    }
                    if (port.get("targetPort") == null || port.get("targetPort").isNull()) {
                        port.set("targetPort", port.get("port"));
                    }
                }
            }
        }
    }

    private static void setIp(ObjectNode spec, String ip) {
        spec.put("clusterIP", ip);
        spec.putArray("clusterIPs").add(ip);
        if (!NONE.equals(ip)) {
            spec.putArray("ipFamilies").add("IPv4");
            spec.put("ipFamilyPolicy", "SingleStack");
        }
    }
}
