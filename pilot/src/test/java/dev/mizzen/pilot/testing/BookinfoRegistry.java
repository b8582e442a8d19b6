package dev.mizzen.pilot.testing;

import dev.mizzen.pilot.model.Endpoint;
import dev.mizzen.pilot.model.Locality;
import dev.mizzen.pilot.model.Location;
import dev.mizzen.pilot.model.Resolution;
import dev.mizzen.pilot.model.Protocol;
import dev.mizzen.pilot.model.Service;
import dev.mizzen.pilot.model.ServicePort;
import dev.mizzen.pilot.model.TargetPort;
import dev.mizzen.pilot.serviceregistry.RegistrySnapshot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Bookinfo's services and endpoints as the registry would see them in a cluster. */
public final class BookinfoRegistry {
    public static final String NAMESPACE = "default";

    private BookinfoRegistry() {
    }

    public static RegistrySnapshot snapshot() {
        Map<String, Service> services = new HashMap<>();
        Map<String, List<Endpoint>> endpoints = new HashMap<>();
        String[][] pods = {
                {"productpage", "v1", "10.1.0.1"}, {"details", "v1", "10.1.0.2"}, {"reviews", "v1", "10.1.0.3"},
                {"reviews", "v2", "10.1.0.4"}, {"reviews", "v3", "10.1.0.5"}, {"ratings", "v1", "10.1.0.6"}};
        int vip = 10;
        for (String app : List.of("productpage", "details", "reviews", "ratings")) {
            Service service = new Service(app + "." + NAMESPACE + ".svc.cluster.local", NAMESPACE, app, "10.96.0." + vip++,
                    List.of(new ServicePort("http", 9080, TargetPort.of(9080), Protocol.HTTP)),
                    Map.of("app", app), Map.of("app", app), Set.of(), Resolution.CLIENT_SIDE_LB, Location.MESH_INTERNAL);
            services.put(service.hostname(), service);
            List<Endpoint> list = new ArrayList<>();
            for (String[] pod : pods) {
                if (pod[0].equals(app)) {
                    list.add(new Endpoint(pod[2], Map.of("http", 9080), app + "-" + pod[1] + "-abc", NAMESPACE,
                            Map.of("app", app, "version", pod[1]), "bookinfo-" + app, true,
                            new Locality("us-east1", "us-east1-b", "")));
                }
            }
            endpoints.put(service.hostname(), list);
        }
        return new RegistrySnapshot(services, endpoints, java.util.Map.of());
    }
}
