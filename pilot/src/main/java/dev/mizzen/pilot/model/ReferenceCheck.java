package dev.mizzen.pilot.model;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.networking.Destination;
import dev.mizzen.api.networking.HttpRoute;
import dev.mizzen.api.networking.VirtualService;

import java.util.Set;
import java.util.TreeSet;

/**
 * Finds references in config that point nowhere: a VirtualService destination whose host is no known
 * service, or whose subset no DestinationRule defines. Such routes go to a cluster that does not exist
 * (requests fail there, as in Istio); this check only says so in the log. Pure.
 */
public final class ReferenceCheck {
    private ReferenceCheck() {
    }

    public static Set<String> problems(PushContext push) {
        Set<String> out = new TreeSet<>();
        for (VirtualServiceIndex.Entry entry : push.virtualServices().all()) {
            Config<VirtualService> vs = entry.config();
            for (int i = 0; i < vs.spec().http().size(); i++) {
                HttpRoute http = vs.spec().http().get(i);
                for (int j = 0; j < http.route().size(); j++) {
                    Destination d = http.route().get(j).destination();
                    if (d != null && d.host() != null) {
                        check(push, vs, d, "spec.http[" + i + "].route[" + j + "].destination", out);
                    }
                }
            }
        }
        return out;
    }

    private static void check(PushContext push, Config<VirtualService> vs, Destination d, String path, Set<String> out) {
        String host = Hostnames.resolve(d.host(), vs.namespace(), push.mesh().domainSuffix());
        if (host.contains("*")) {
            return;
        }
        var service = push.service(host);
        if (service.isEmpty()) {
            out.add(vs.key() + " " + path + ".host: no service " + host + " is known; requests routed there fail");
            return;
        }
        if (d.subset() != null && !d.subset().isEmpty()) {
            boolean defined = push.destinationRule(host, vs.namespace())
                    .map(r -> r.subsets().stream().anyMatch(s -> d.subset().equals(s.name())))
                    .orElse(false);
            if (!defined) {
                out.add(vs.key() + " " + path + ".subset: no DestinationRule defines subset '" + d.subset()
                        + "' of " + host + "; requests routed there fail");
            }
        }
    }
}
