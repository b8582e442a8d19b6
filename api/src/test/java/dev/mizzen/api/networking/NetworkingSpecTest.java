package dev.mizzen.api.networking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mizzen.api.IstioYaml;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.config.SpecReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The networking kinds beyond what bookinfo uses, from examples in the style of Istio's documentation. */
class NetworkingSpecTest {

    private static <S> S read(ConfigKind<S> kind, String yaml) {
        return SpecReader.read(kind, IstioYaml.tree(yaml));
    }

    @Test
    void httpRouteOptions() {
        VirtualService vs = read(ConfigKind.VIRTUAL_SERVICE, """
                hosts: [ratings.prod.svc.cluster.local]
                exportTo: ["."]
                http:
                - name: main
                  match:
                  - uri: {regex: "^/v[0-9]+/ratings"}
                    method: {exact: GET}
                    queryParams: {debug: {exact: "1"}}
                    withoutHeaders: {x-skip: {}}
                    ignoreUriCase: true
                    sourceNamespace: frontend
                    statPrefix: ratings-v
                  rewrite:
                    uriRegexRewrite: {match: "^/v[0-9]+/", rewrite: "/"}
                    authority: ratings.internal
                  timeout: 10s
                  retries:
                    attempts: 3
                    perTryTimeout: 2s
                    retryOn: gateway-error,connect-failure,refused-stream
                    retryRemoteLocalities: true
                  mirrors:
                  - destination: {host: ratings-shadow}
                    percentage: {value: 12.5}
                  corsPolicy:
                    allowOrigins: [{exact: "https://example.com"}, {regex: "https://.*\\\\.example\\\\.org"}]
                    allowMethods: [POST, GET]
                    maxAge: 24h
                    allowCredentials: false
                    unmatchedPreflights: IGNORE
                  headers:
                    request:
                      set: {x-env: prod}
                      remove: [x-debug]
                    response:
                      add: {x-served-by: mizzen}
                  route:
                  - destination: {host: ratings, subset: v1}
                    headers:
                      response: {remove: [x-internal]}
                - match: [{uri: {prefix: /old}}]
                  redirect: {uri: /new, redirectCode: 308, derivePort: FROM_REQUEST_PORT}
                - match: [{uri: {exact: /ping}}]
                  directResponse: {status: 200, body: {string: pong}}
                - delegate: {name: ratings-delegate, namespace: ratings}
                """);

        assertThat(vs.exportTo()).containsExactly(".");
        HttpRoute main = vs.http().get(0);
        assertThat(main.name()).isEqualTo("main");
        HttpMatchRequest match = main.match().get(0);
        assertThat(match.uri().regex()).isEqualTo("^/v[0-9]+/ratings");
        assertThat(match.queryParams()).containsEntry("debug", new StringMatch("1", null, null));
        assertThat(match.withoutHeaders()).containsEntry("x-skip", new StringMatch(null, null, null));
        assertThat(match.ignoreUriCase()).isTrue();
        assertThat(match.headers()).isEmpty();
        assertThat(main.rewrite()).isEqualTo(
                new HttpRewrite(null, "ratings.internal", new RegexRewrite("^/v[0-9]+/", "/")));
        assertThat(Durations.parse(main.timeout())).isEqualTo(Duration.ofSeconds(10));
        assertThat(main.retries()).isEqualTo(new HttpRetry(3, "2s", "gateway-error,connect-failure,refused-stream",
                true, null, null));
        assertThat(main.mirrors()).containsExactly(
                new HttpMirrorPolicy(new Destination("ratings-shadow", null, null), new Percent(12.5)));
        assertThat(main.corsPolicy().allowOrigins()).extracting(StringMatch::regex)
                .containsExactly(null, "https://.*\\.example\\.org");
        assertThat(main.corsPolicy().allowCredentials()).isFalse();
        assertThat(main.corsPolicy().allowOrigin()).isEmpty();
        assertThat(main.headers().request().set()).containsExactly(Map.entry("x-env", "prod"));
        assertThat(main.headers().request().remove()).containsExactly("x-debug");
        assertThat(main.headers().response().add()).containsExactly(Map.entry("x-served-by", "mizzen"));
        assertThat(main.route().get(0).headers().response().remove()).containsExactly("x-internal");

        assertThat(vs.http().get(1).redirect())
                .isEqualTo(new HttpRedirect("/new", null, null, "FROM_REQUEST_PORT", null, 308, null));
        assertThat(vs.http().get(2).directResponse())
                .isEqualTo(new HttpDirectResponse(200, new HttpBody("pong", null)));
        assertThat(vs.http().get(3).delegate()).isEqualTo(new Delegate("ratings-delegate", "ratings"));
    }

    @Test
    void tlsAndTcpRoutes() {
        VirtualService vs = read(ConfigKind.VIRTUAL_SERVICE, """
                hosts: ["*.example.com"]
                gateways: [mesh, istio-system/egress]
                tls:
                - match:
                  - sniHosts: [login.example.com]
                    port: 443
                    gateways: [mesh]
                  route:
                  - destination: {host: login.example.com}
                tcp:
                - match:
                  - port: 27017
                    destinationSubnets: [10.1.0.0/16]
                    sourceLabels: {app: reviews}
                  route:
                  - destination: {host: mongo.backup.svc.cluster.local, port: {number: 5555}}
                    weight: 100
                """);

        assertThat(vs.tls().get(0).match().get(0).sniHosts()).containsExactly("login.example.com");
        assertThat(vs.tls().get(0).route().get(0).weight()).isNull();
        L4MatchAttributes l4 = vs.tcp().get(0).match().get(0);
        assertThat(l4.port()).isEqualTo(27017);
        assertThat(l4.destinationSubnets()).containsExactly("10.1.0.0/16");
        assertThat(l4.sourceLabels()).containsEntry("app", "reviews");
        assertThat(vs.tcp().get(0).route()).containsExactly(new RouteDestination(
                new Destination("mongo.backup.svc.cluster.local", null, new PortSelector(5555)), 100));
    }

    @Test
    void destinationRulePolicies() {
        DestinationRule dr = read(ConfigKind.DESTINATION_RULE, """
                host: reviews.prod.svc.cluster.local
                workloadSelector:
                  matchLabels: {app: productpage}
                trafficPolicy:
                  connectionPool:
                    tcp:
                      maxConnections: 100
                      connectTimeout: 30ms
                      tcpKeepalive: {time: 7200s, interval: 75s, probes: 9}
                    http:
                      http1MaxPendingRequests: 1024
                      http2MaxRequests: 1024
                      maxRequestsPerConnection: 10
                      maxRetries: 3
                      idleTimeout: 1h
                      h2UpgradePolicy: UPGRADE
                      useClientProtocol: true
                  outlierDetection:
                    consecutive5xxErrors: 7
                    consecutiveGatewayErrors: 2
                    interval: 5m
                    baseEjectionTime: 15m
                    maxEjectionPercent: 50
                    minHealthPercent: 10
                    splitExternalLocalOriginErrors: true
                    consecutiveLocalOriginFailures: 4
                  loadBalancer:
                    consistentHash:
                      httpCookie: {name: user, ttl: 0s, attributes: [{name: SameSite, value: Strict}]}
                      ringHash: {minimumRingSize: 1024}
                    localityLbSetting:
                      enabled: true
                      distribute:
                      - from: us-west/zone1/*
                        to: {"us-west/zone1/*": 80, "us-west/zone2/*": 20}
                      failover: [{from: us-east, to: eu-west}]
                      failoverPriority: [topology.kubernetes.io/region]
                    warmup: {duration: 60s, minimumPercent: 10, aggression: 1.5}
                  tls:
                    mode: MUTUAL
                    clientCertificate: /etc/certs/myclientcert.pem
                    privateKey: /etc/certs/client_private_key.pem
                    caCertificates: /etc/certs/rootcacerts.pem
                    subjectAltNames: [reviews.example.com]
                    sni: reviews.example.com
                    insecureSkipVerify: false
                  tunnel: {protocol: CONNECT, targetHost: 1.2.3.4, targetPort: 443}
                  proxyProtocol: {version: V2}
                  portLevelSettings:
                  - port: {number: 80}
                    loadBalancer: {simple: LEAST_REQUEST}
                subsets:
                - name: testversion
                  labels: {version: v3}
                  trafficPolicy:
                    loadBalancer:
                      consistentHash: {maglev: {tableSize: 65537}, useSourceIp: true}
                """);

        assertThat(dr.workloadSelector().matchLabels()).containsExactly(Map.entry("app", "productpage"));
        TrafficPolicy policy = dr.trafficPolicy();
        TcpSettings tcp = policy.connectionPool().tcp();
        assertThat(tcp.maxConnections()).isEqualTo(100);
        assertThat(Durations.parse(tcp.connectTimeout())).isEqualTo(Duration.ofMillis(30));
        assertThat(tcp.tcpKeepalive()).isEqualTo(new TcpKeepalive(9, "7200s", "75s"));
        HttpSettings http = policy.connectionPool().http();
        assertThat(http.http1MaxPendingRequests()).isEqualTo(1024);
        assertThat(http.maxRetries()).isEqualTo(3);
        assertThat(http.h2UpgradePolicy()).isEqualTo("UPGRADE");
        assertThat(http.maxConcurrentStreams()).isNull();
        OutlierDetection od = policy.outlierDetection();
        assertThat(od.consecutive5xxErrors()).isEqualTo(7);
        assertThat(od.consecutiveErrors()).isNull();
        assertThat(od.baseEjectionTime()).isEqualTo("15m");
        assertThat(od.splitExternalLocalOriginErrors()).isTrue();
        ConsistentHashLb hash = policy.loadBalancer().consistentHash();
        assertThat(hash.httpCookie().attributes()).containsExactly(new CookieAttribute("SameSite", "Strict"));
        assertThat(hash.ringHash().minimumRingSize()).isEqualTo(1024L);
        assertThat(policy.loadBalancer().simple()).isNull();
        LocalityLbSetting locality = policy.loadBalancer().localityLbSetting();
        assertThat(locality.enabled()).isTrue();
        assertThat(locality.distribute().get(0).to()).containsExactly(
                Map.entry("us-west/zone1/*", 80), Map.entry("us-west/zone2/*", 20));
        assertThat(locality.failover()).containsExactly(new LocalityFailover("us-east", "eu-west"));
        assertThat(locality.failoverPriority()).containsExactly("topology.kubernetes.io/region");
        assertThat(policy.loadBalancer().warmup()).isEqualTo(new WarmupConfiguration("60s", 10.0, 1.5));
        assertThat(policy.tls().mode()).isEqualTo("MUTUAL");
        assertThat(policy.tls().insecureSkipVerify()).isFalse();
        assertThat(policy.tls().subjectAltNames()).containsExactly("reviews.example.com");
        assertThat(policy.tunnel()).isEqualTo(new TunnelSettings("CONNECT", "1.2.3.4", 443));
        assertThat(policy.proxyProtocol()).isEqualTo(new ProxyProtocol("V2"));
        assertThat(policy.portLevelSettings().get(0).loadBalancer().simple()).isEqualTo("LEAST_REQUEST");
        ConsistentHashLb subsetHash = dr.subsets().get(0).trafficPolicy().loadBalancer().consistentHash();
        assertThat(subsetHash.maglev().tableSize()).isEqualTo(65537L);
        assertThat(subsetHash.useSourceIp()).isTrue();
    }

    @Test
    void gatewayWithTls() {
        Gateway gw = read(ConfigKind.GATEWAY, """
                selector: {app: my-gateway-controller}
                servers:
                - port: {number: 443, name: https-443, protocol: HTTPS}
                  hosts: [uk.bookinfo.com, eu.bookinfo.com]
                  tls:
                    mode: SIMPLE
                    credentialName: bookinfo-secret
                    minProtocolVersion: TLSV1_2
                    cipherSuites: [ECDHE-ECDSA-AES256-GCM-SHA384]
                - port: {number: 80, name: http, protocol: HTTP}
                  hosts: [ns1/*]
                  tls: {httpsRedirect: true}
                - port: {number: 9443, name: https-9443, protocol: HTTPS}
                  hosts: ["bookinfo-namespace/*.bookinfo.com"]
                  tls:
                    mode: MUTUAL
                    tlsCertificates:
                    - {serverCertificate: /etc/certs/rsa.pem, privateKey: /etc/certs/rsa-key.pem}
                    - {serverCertificate: /etc/certs/ec.pem, privateKey: /etc/certs/ec-key.pem}
                """);

        assertThat(gw.servers()).hasSize(3);
        ServerTlsSettings simple = gw.servers().get(0).tls();
        assertThat(simple.mode()).isEqualTo("SIMPLE");
        assertThat(simple.credentialName()).isEqualTo("bookinfo-secret");
        assertThat(simple.minProtocolVersion()).isEqualTo("TLSV1_2");
        assertThat(simple.cipherSuites()).containsExactly("ECDHE-ECDSA-AES256-GCM-SHA384");
        assertThat(simple.httpsRedirect()).isNull();
        assertThat(gw.servers().get(1).tls().httpsRedirect()).isTrue();
        assertThat(gw.servers().get(2).tls().tlsCertificates()).extracting(TlsCertificate::serverCertificate)
                .containsExactly("/etc/certs/rsa.pem", "/etc/certs/ec.pem");
    }

    @Test
    void serviceEntryWithEndpointsAndWorkloadEntry() {
        ServiceEntry se = read(ConfigKind.SERVICE_ENTRY, """
                hosts: [mymongodb.somedomain]
                addresses: [192.192.192.192/24]
                ports: [{number: 27018, name: mongodb, protocol: MONGO, targetPort: 27019}]
                location: MESH_INTERNAL
                resolution: STATIC
                endpoints:
                - address: 2.2.2.2
                  ports: {mongodb: 7777}
                  labels: {app: mongo}
                  locality: us-west/zone1
                  weight: 3
                - address: 3.3.3.3
                  network: vm-net
                  serviceAccount: mongo-sa
                workloadSelector:
                  labels: {app: mongo-vm}
                subjectAltNames: ["spiffe://cluster.local/ns/db/sa/mongo"]
                """);

        assertThat(se.ports()).containsExactly(new ServicePort(27018, "MONGO", "mongodb", 27019));
        assertThat(se.location()).isEqualTo("MESH_INTERNAL");
        assertThat(se.endpoints()).containsExactly(
                new WorkloadEntry("2.2.2.2", Map.of("mongodb", 7777), Map.of("app", "mongo"), null, "us-west/zone1",
                        3, null),
                new WorkloadEntry("3.3.3.3", null, null, "vm-net", null, null, "mongo-sa"));
        assertThat(se.workloadSelector().labels()).containsExactly(Map.entry("app", "mongo-vm"));
        assertThat(se.subjectAltNames()).hasSize(1);

        WorkloadEntry we = read(ConfigKind.WORKLOAD_ENTRY,
                "address: 10.0.0.5\nlabels: {app: details-legacy}\nserviceAccount: details-legacy");
        assertThat(we.ports()).isEmpty();
        assertThat(we.weight()).isNull();
    }

    @Test
    void sidecarListeners() {
        Sidecar sidecar = read(ConfigKind.SIDECAR, """
                workloadSelector:
                  labels: {app: ratings}
                ingress:
                - port: {number: 9080, protocol: HTTP, name: somename}
                  defaultEndpoint: unix:///var/run/someuds.sock
                  captureMode: NONE
                  connectionPool: {http: {http1MaxPendingRequests: 10}}
                egress:
                - port: {number: 9080, protocol: HTTP, name: egresshttp}
                  hosts: [prod-us1/*]
                - hosts: ["istio-system/*"]
                outboundTrafficPolicy:
                  mode: REGISTRY_ONLY
                  egressProxy: {host: foo.bar.com, subset: v1, port: {number: 443}}
                inboundConnectionPool:
                  http: {http2MaxRequests: 100}
                """);

        assertThat(sidecar.workloadSelector()).isEqualTo(new WorkloadSelector(Map.of("app", "ratings")));
        IstioIngressListener in = sidecar.ingress().get(0);
        assertThat(in.port()).isEqualTo(new SidecarPort(9080, "HTTP", "somename", null));
        assertThat(in.captureMode()).isEqualTo("NONE");
        assertThat(in.connectionPool().http().http1MaxPendingRequests()).isEqualTo(10);
        assertThat(sidecar.egress()).extracting(IstioEgressListener::hosts)
                .containsExactly(List.of("prod-us1/*"), List.of("istio-system/*"));
        assertThat(sidecar.egress().get(1).port()).isNull();
        assertThat(sidecar.outboundTrafficPolicy().mode()).isEqualTo("REGISTRY_ONLY");
        assertThat(sidecar.outboundTrafficPolicy().egressProxy().port().number()).isEqualTo(443);
        assertThat(sidecar.inboundConnectionPool().http().http2MaxRequests()).isEqualTo(100);
    }
}
