package dev.mizzen.pilot.testing.simulation;

import dev.mizzen.pilot.testing.simulation.TableCall.ProxyKind;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.mizzen.pilot.testing.simulation.Outcome.failed;
import static dev.mizzen.pilot.testing.simulation.Outcome.routed;
import static dev.mizzen.pilot.testing.simulation.Outcome.split;
import static dev.mizzen.pilot.testing.simulation.Outcome.tcp;

/**
 * Requests from Bookinfo's productpage sidecar and its ingress gateway under Istio's Bookinfo samples
 * (samples/bookinfo/networking), with what Envoy does with each. Two simulations are held to this one table: ours
 * over the config generated for pilot's Bookinfo registry (BookinfoCallTableTest), and Istio's own
 * ({@code pilot/pkg/simulation}, through it/istio/cmd/xdscheck) over the config a running istiod serves for
 * Bookinfo's own bookinfo.yaml (IstioSimulationTest in the it module). Where the two disagree, Istio's is right.
 */
public final class BookinfoCalls {
    public static final String DR_ALL = "destination-rule-all";
    private static final String OUT = "0.0.0.0_9080";
    private static final String RC = "9080";

    private BookinfoCalls() {
    }

    public static List<TableCall> all() {
        List<TableCall> rows = new ArrayList<>();
        rows.addAll(withoutRoutes());
        rows.addAll(routing());
        rows.addAll(failures());
        rows.addAll(gateway());
        return List.copyOf(rows);
    }

    /** The sample sets of the table, in order; each row names one. */
    public static List<List<String>> sampleSets() {
        Set<List<String>> sets = new LinkedHashSet<>();
        all().forEach(r -> sets.add(r.samples()));
        return List.copyOf(sets);
    }

    static String cluster(String subset, String service) {
        return "outbound|9080|" + subset + "|" + service + ".default.svc.cluster.local";
    }

    static String vhost(String service) {
        return service + ".default.svc.cluster.local:9080";
    }

    private static TableCall.Builder sidecar(String name, String... samples) {
        return new TableCall.Builder(name, ProxyKind.PRODUCTPAGE_SIDECAR, List.of(samples));
    }

    private static TableCall.Builder ingress(String name, String... samples) {
        return new TableCall.Builder(name, ProxyKind.INGRESS_GATEWAY, List.of(samples));
    }

    private static List<TableCall> withoutRoutes() {
        String[] s = {DR_ALL};
        return List.of(
                sidecar("reviews by short name", s).toService("reviews", "reviews:9080")
                        .expect(routed(OUT, RC, vhost("reviews"), cluster("", "reviews")).withEndpoints(3)),
                sidecar("reviews by namespaced name", s).toService("reviews", "reviews.default")
                        .expect(routed(OUT, RC, vhost("reviews"), cluster("", "reviews"))),
                sidecar("reviews by FQDN and port", s).toService("reviews", "reviews.default.svc.cluster.local:9080")
                        .expect(routed(OUT, RC, vhost("reviews"), cluster("", "reviews"))),
                sidecar("the port in Host is ignored, as Istio's route configurations say", s)
                        .toService("reviews", "reviews:9999")
                        .expect(routed(OUT, RC, vhost("reviews"), cluster("", "reviews"))),
                sidecar("ratings", s).toService("ratings", "ratings:9080")
                        .expect(routed(OUT, RC, vhost("ratings"), cluster("", "ratings")).withEndpoints(1)),
                sidecar("details", s).toService("details", "details")
                        .expect(routed(OUT, RC, vhost("details"), cluster("", "details")).withEndpoints(1)),
                sidecar("productpage calls itself", s).toService("productpage", "productpage:9080")
                        .expect(routed(OUT, RC, vhost("productpage"), cluster("", "productpage"))),
                sidecar("a path and a header change nothing", s).toService("reviews", "reviews").path("/reviews/0")
                        .header("end-user", "jason")
                        .expect(routed(OUT, RC, vhost("reviews"), cluster("", "reviews"))),
                sidecar("an unknown Host on a mesh port goes out as it came", s).toService("reviews", "example.com")
                        .expect(routed(OUT, RC, "allow_any", "PassthroughCluster")),
                sidecar("raw TCP to an HTTP port reaches an HTTP connection manager", s).toService("reviews", "reviews").tcp()
                        .expect(failed(Failure.Kind.NOT_HTTP, OUT)),
                sidecar("HTTP to an address and port outside the mesh passes through", s)
                        .to(new TableCall.Target.Literal("10.10.10.10"), 5000).host("10.10.10.10:5000")
                        .expect(tcp("virtualOutbound", "PassthroughCluster")),
                sidecar("TCP to an address and port outside the mesh passes through", s)
                        .to(new TableCall.Target.Literal("10.10.10.10"), 5000).tcp()
                        .expect(tcp("virtualOutbound", "PassthroughCluster")),
                sidecar("inbound plaintext HTTP to productpage's port", s).inbound().host("productpage:9080")
                        .expect(routed("virtualInbound", null, null, "inbound|9080||")),
                sidecar("inbound mutual TLS HTTP to productpage's port", s).inbound().host("productpage:9080").mtls()
                        .expect(routed("virtualInbound", null, null, "inbound|9080||")),
                sidecar("inbound TCP to a port nobody serves passes through", s).inbound().port(7777).tcp()
                        .expect(tcp("virtualInbound", "InboundPassthroughCluster")));
    }

    private static List<TableCall> routing() {
        List<TableCall> rows = new ArrayList<>();
        for (String service : List.of("reviews", "ratings", "details", "productpage")) {
            rows.add(sidecar(service + " to v1", DR_ALL, "virtual-service-all-v1").toService(service, service + ":9080")
                    .expect(routed(OUT, RC, vhost(service), cluster("v1", service)).withEndpoints(1)));
        }
        rows.add(sidecar("80/20", DR_ALL, "virtual-service-reviews-80-20").toService("reviews", "reviews")
                .expect(split(OUT, RC, vhost("reviews"), Map.of(cluster("v1", "reviews"), 80, cluster("v2", "reviews"), 20))));
        rows.add(sidecar("90/10", DR_ALL, "virtual-service-reviews-90-10").toService("reviews", "reviews")
                .expect(split(OUT, RC, vhost("reviews"), Map.of(cluster("v1", "reviews"), 90, cluster("v2", "reviews"), 10))));
        rows.add(sidecar("50/50 v1 and v3", DR_ALL, "virtual-service-reviews-50-v3").toService("reviews", "reviews")
                .expect(split(OUT, RC, vhost("reviews"), Map.of(cluster("v1", "reviews"), 50, cluster("v3", "reviews"), 50))));
        rows.add(sidecar("50/50 v2 and v3", DR_ALL, "virtual-service-reviews-v2-v3").toService("reviews", "reviews")
                .expect(split(OUT, RC, vhost("reviews"), Map.of(cluster("v2", "reviews"), 50, cluster("v3", "reviews"), 50))));
        String[] jason = {DR_ALL, "virtual-service-reviews-jason-v2-v3"};
        rows.add(sidecar("jason to v2", jason).toService("reviews", "reviews").header("end-user", "jason")
                .expect(routed(OUT, RC, vhost("reviews"), cluster("v2", "reviews")).withEndpoints(1)));
        rows.add(sidecar("bob to v3", jason).toService("reviews", "reviews").header("end-user", "bob")
                .expect(routed(OUT, RC, vhost("reviews"), cluster("v3", "reviews"))));
        rows.add(sidecar("anonymous to v3", jason).toService("reviews", "reviews")
                .expect(routed(OUT, RC, vhost("reviews"), cluster("v3", "reviews"))));
        rows.add(sidecar("JASON is not jason", jason).toService("reviews", "reviews").header("end-user", "JASON")
                .expect(routed(OUT, RC, vhost("reviews"), cluster("v3", "reviews"))));
        String[] test = {DR_ALL, "virtual-service-reviews-test-v2"};
        rows.add(sidecar("test-v2: jason to v2", test).toService("reviews", "reviews").header("end-user", "jason")
                .expect(routed(OUT, RC, vhost("reviews"), cluster("v2", "reviews"))));
        rows.add(sidecar("test-v2: others to v1", test).toService("reviews", "reviews")
                .expect(routed(OUT, RC, vhost("reviews"), cluster("v1", "reviews"))));
        rows.add(sidecar("test-v2 leaves ratings alone", test).toService("ratings", "ratings")
                .expect(routed(OUT, RC, vhost("ratings"), cluster("", "ratings"))));
        rows.add(sidecar("v3 for everyone", DR_ALL, "virtual-service-reviews-v3").toService("reviews", "reviews")
                .header("end-user", "jason").expect(routed(OUT, RC, vhost("reviews"), cluster("v3", "reviews"))));
        String[] delay = {DR_ALL, "virtual-service-ratings-test-delay"};
        rows.add(sidecar("delayed jason to ratings v1", delay).toService("ratings", "ratings").header("end-user", "jason")
                .expect(routed(OUT, RC, vhost("ratings"), cluster("v1", "ratings"))));
        rows.add(sidecar("others to ratings v1 without delay", delay).toService("ratings", "ratings")
                .expect(routed(OUT, RC, vhost("ratings"), cluster("v1", "ratings"))));
        String[] abort = {DR_ALL, "virtual-service-ratings-test-abort"};
        rows.add(sidecar("aborted jason's route still names ratings v1", abort).toService("ratings", "ratings")
                .header("end-user", "jason").expect(routed(OUT, RC, vhost("ratings"), cluster("v1", "ratings"))));
        rows.add(sidecar("others to ratings v1 without abort", abort).toService("ratings", "ratings")
                .expect(routed(OUT, RC, vhost("ratings"), cluster("v1", "ratings"))));
        rows.add(sidecar("details fault route names details v1", DR_ALL, "fault-injection-details-v1")
                .toService("details", "details").expect(routed(OUT, RC, vhost("details"), cluster("v1", "details"))));
        rows.add(sidecar("mutual TLS rules change no route", "destination-rule-all-mtls", "virtual-service-all-v1")
                .toService("reviews", "reviews").expect(routed(OUT, RC, vhost("reviews"), cluster("v1", "reviews"))));
        return rows;
    }

    private static List<TableCall> failures() {
        return List.of(
                sidecar("a subset without pods has no endpoints", DR_ALL, "virtual-service-details-v2")
                        .toService("details", "details")
                        .expect(routed(OUT, RC, vhost("details"), cluster("v2", "details")).withEndpoints(0)),
                sidecar("a subset no rule defines has no cluster", "virtual-service-details-v2")
                        .toService("details", "details")
                        .expect(new Outcome(Failure.Kind.CLUSTER_NOT_FOUND, OUT, RC, vhost("details"),
                                Map.of(cluster("v2", "details"), 100), null)));
    }

    private static List<TableCall> gateway() {
        List<TableCall> rows = new ArrayList<>();
        String[] gw = {DR_ALL, "bookinfo-gateway"};
        for (String path : List.of("/productpage", "/static/css/style.css", "/login", "/logout", "/api/v1/products/1")) {
            rows.add(ingress("gateway " + path, gw).to(new TableCall.Target.Literal("10.1.9.1"), 8080).gateway()
                    .host("bookinfo.example.com").path(path)
                    .expect(routed("0.0.0.0_8080", "http.8080", "*:8080", cluster("", "productpage"))));
        }
        rows.add(ingress("gateway: a path no route names", gw).to(new TableCall.Target.Literal("10.1.9.1"), 8080).gateway()
                .host("bookinfo.example.com").path("/admin").expect(failed(Failure.Kind.NO_ROUTE, "0.0.0.0_8080")));
        rows.add(ingress("gateway: a port no server opens", gw).to(new TableCall.Target.Literal("10.1.9.1"), 9999).gateway()
                .host("bookinfo.example.com").path("/productpage").expect(failed(Failure.Kind.NO_LISTENER, null)));
        return rows;
    }
}
