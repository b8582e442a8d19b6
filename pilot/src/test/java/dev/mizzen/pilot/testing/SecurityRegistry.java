package dev.mizzen.pilot.testing;

import dev.mizzen.pilot.model.Endpoint;
import dev.mizzen.pilot.model.Location;
import dev.mizzen.pilot.model.Protocol;
import dev.mizzen.pilot.model.Resolution;
import dev.mizzen.pilot.model.Service;
import dev.mizzen.pilot.model.ServicePort;
import dev.mizzen.pilot.model.TargetPort;
import dev.mizzen.pilot.serviceregistry.RegistrySnapshot;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The services of Istio's security tasks as the registry would see them: Bookinfo in {@code default}
 * ({@link BookinfoRegistry}); in {@code foo} httpbin (8000 to 80), tcp-echo (9000 and 9001, TCP; its pods also
 * listen on 9002, which no Service declares) and the sample ext-authz server (HTTP 8000, gRPC 9000); the
 * ingress gateway in {@code istio-system}.
 */
public final class SecurityRegistry {
    public static final String HTTPBIN = "httpbin.foo.svc.cluster.local";
    public static final String TCP_ECHO = "tcp-echo.foo.svc.cluster.local";
    public static final String EXT_AUTHZ = "ext-authz.foo.svc.cluster.local";

    private SecurityRegistry() {
    }

    public static RegistrySnapshot snapshot() {
        RegistrySnapshot bookinfo = BookinfoRegistry.snapshot();
        Map<String, Service> services = new HashMap<>(bookinfo.services());
        Map<String, List<Endpoint>> endpoints = new HashMap<>(bookinfo.endpoints());
        add(services, service("httpbin", "foo", Map.of("app", "httpbin"),
                new ServicePort("http", 8000, TargetPort.of(80), Protocol.HTTP)));
        add(services, service("tcp-echo", "foo", Map.of("app", "tcp-echo"),
                new ServicePort("tcp", 9000, TargetPort.of(9000), Protocol.TCP),
                new ServicePort("tcp-other", 9001, TargetPort.of(9001), Protocol.TCP)));
        add(services, service("ext-authz", "foo", Map.of("app", "ext-authz"),
                new ServicePort("http", 8000, TargetPort.of(8000), Protocol.HTTP),
                new ServicePort("grpc", 9000, TargetPort.of(9000), Protocol.GRPC)));
        add(services, service("istio-ingressgateway", "istio-system", Map.of("istio", "ingressgateway"),
                new ServicePort("http2", 80, TargetPort.of(8080), Protocol.HTTP2),
                new ServicePort("https", 443, TargetPort.of(8443), Protocol.HTTPS)));
        services.keySet().forEach(h -> endpoints.putIfAbsent(h, List.of()));
        return new RegistrySnapshot(services, endpoints, Map.of());
    }

    private static void add(Map<String, Service> services, Service service) {
        services.put(service.hostname(), service);
    }

    private static Service service(String name, String namespace, Map<String, String> selector, ServicePort... ports) {
        return new Service(name + "." + namespace + ".svc.cluster.local", namespace, name, "10.96.1." + (10 + name.length()),
                List.of(ports), Map.of("app", name), selector, Set.of(), Resolution.CLIENT_SIDE_LB, Location.MESH_INTERNAL);
    }
}
