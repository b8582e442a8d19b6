package dev.mizzen.istiod.registration;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.mizzen.istiod.IstiodServer;
import dev.mizzen.istiod.IstiodSettings;
import dev.mizzen.istiod.local.LocalApiServer;
import dev.mizzen.istiod.testing.WorkloadCertificate;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A VM's proxy registers itself as Istio's do: it connects to istiod's authenticated port with
 * {@code AUTO_REGISTER_GROUP}, its WorkloadEntry appears in the apiserver (owned by the WorkloadGroup), the
 * ServiceEntry that selects the group's labels serves its address to other proxies, and after it disconnects the
 * entry is marked disconnected and, the grace period later, deleted, and the endpoint with it.
 */
class WorkloadAutoRegistrationTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ResourceDefinitionContext ENTRIES = new ResourceDefinitionContext.Builder()
            .withGroup("networking.istio.io").withVersion("v1").withKind("WorkloadEntry").withPlural("workloadentries")
            .withNamespaced(true).build();
    private static final String CLUSTER = "outbound|80||web.vm.example";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private LocalApiServer api;
    private IstiodServer istiod;

    @BeforeEach
    void start() throws Exception {
        api = LocalApiServer.start();
        istiod = IstiodServer.start(IstiodSettings.defaults().withEphemeralPorts()
                .withWorkloadEntryGracePeriod(Duration.ofSeconds(1)), api.client());
        api.client().resource(new NamespaceBuilder().withNewMetadata().withName("vm").endMetadata().build()).create();
        create("""
                {"apiVersion":"networking.istio.io/v1","kind":"WorkloadGroup","metadata":{"name":"web","namespace":"vm"},
                 "spec":{"metadata":{"labels":{"app":"web"}},
                         "template":{"serviceAccount":"web","ports":{"http":8080}}}}""");
        create("""
                {"apiVersion":"networking.istio.io/v1","kind":"ServiceEntry","metadata":{"name":"web","namespace":"vm"},
                 "spec":{"hosts":["web.vm.example"],"location":"MESH_INTERNAL","resolution":"STATIC",
                         "ports":[{"number":80,"name":"http","protocol":"HTTP","targetPort":8080}],
                         "workloadSelector":{"labels":{"app":"web"}}}}""");
    }

    @AfterEach
    void stop() {
        istiod.close();
        api.close();
    }

    private void create(String json) throws Exception {
        api.client().resource(JSON.readValue(json, GenericKubernetesResource.class)).create();
    }

    private GenericKubernetesResource entry() {
        return api.client().genericKubernetesResources(ENTRIES).inNamespace("vm").withName("web-10.9.0.5").get();
    }

    private ManagedChannel secure(String serviceAccount) {
        return Grpc.newChannelBuilderForAddress("127.0.0.1", istiod.secureXdsPort(),
                        WorkloadCertificate.issue(istiod, "vm", serviceAccount).channelCredentials())
                .overrideAuthority("istiod.istio-system.svc").build();
    }

    /** A VM's agent: sidecar of namespace vm at 10.9.0.5, registering into the group {@code web}. */
    private static LinkedBlockingQueue<Object> vm(ManagedChannel channel, String group) {
        return stream(channel, "type.googleapis.com/envoy.config.cluster.v3.Cluster", List.of(), Node.newBuilder()
                .setId("sidecar~10.9.0.5~vm-1.vm~vm.svc.cluster.local")
                .setMetadata(Struct.newBuilder()
                        .putFields("NAMESPACE", string("vm"))
                        .putFields("INSTANCE_IPS", string("10.9.0.5"))
                        .putFields("AUTO_REGISTER_GROUP", string(group))
                        .putFields("LABELS", Value.newBuilder().setStructValue(Struct.newBuilder()
                                .putFields("app", string("web"))).build()))
                .build());
    }

    private static Value string(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }

    private static LinkedBlockingQueue<Object> stream(ManagedChannel channel, String type, List<String> names, Node node) {
        LinkedBlockingQueue<Object> out = new LinkedBlockingQueue<>();
        StreamObserver<DiscoveryRequest> requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
                .streamAggregatedResources(new StreamObserver<>() {
                    @Override
                    public void onNext(DiscoveryResponse value) {
                        out.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        out.add(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(type).addAllResourceNames(names).setNode(node).build());
        return out;
    }

    /** The addresses a sidecar of {@code default} is given for the ServiceEntry, asking afresh each time. */
    private List<String> endpointsSeenByOthers() throws Exception {
        ManagedChannel plain = Grpc.newChannelBuilderForAddress("127.0.0.1", istiod.xdsPort(),
                InsecureChannelCredentials.create()).build();
        try {
            Object answer = stream(plain, "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment",
                    List.of(CLUSTER), Node.newBuilder().setId("sidecar~10.0.0.7~client-1.default~default.svc.cluster.local")
                            .setMetadata(Struct.newBuilder().putFields("NAMESPACE", string("default"))).build())
                    .poll(10, TimeUnit.SECONDS);
            assertThat(answer).isInstanceOf(DiscoveryResponse.class);
            List<String> out = new ArrayList<>();
            for (var any : ((DiscoveryResponse) answer).getResourcesList()) {
                for (var locality : any.unpack(ClusterLoadAssignment.class).getEndpointsList()) {
                    for (LbEndpoint e : locality.getLbEndpointsList()) {
                        var address = e.getEndpoint().getAddress().getSocketAddress();
                        out.add(address.getAddress() + ":" + address.getPortValue());
                    }
                }
            }
            return out;
        } finally {
            plain.shutdownNow();
        }
    }

    @Test
    void aVmRegistersIsServedToOthersAndIsRemovedAfterItLeaves() throws Exception {
        ManagedChannel channel = secure("web");
        LinkedBlockingQueue<Object> answers = vm(channel, "web");
        assertThat(answers.poll(20, TimeUnit.SECONDS)).isInstanceOf(DiscoveryResponse.class);

        GenericKubernetesResource entry = entry();
        assertThat(entry).as("created before the VM is served").isNotNull();
        assertThat(entry.getMetadata().getAnnotations()).containsEntry("istio.io/autoRegistrationGroup", "web")
                .containsKeys("istio.io/workloadController", "istio.io/connectedAt");
        assertThat(entry.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("WorkloadGroup");
            assertThat(o.getName()).isEqualTo("web");
            assertThat(o.getController()).isTrue();
        });
        assertThat(entry.getMetadata().getLabels()).containsEntry("app", "web");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(endpointsSeenByOthers()).containsExactly("10.9.0.5:8080"));

        channel.shutdownNow();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(entry()).isNull());
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(endpointsSeenByOthers()).isEmpty());
    }

    @Test
    void anotherIdentityOrAnUnknownGroupIsRefusedAndRegistersNothing() throws Exception {
        ManagedChannel stranger = secure("someone-else");
        ManagedChannel noGroup = secure("web");
        try {
            assertThat(vm(stranger, "web").poll(20, TimeUnit.SECONDS)).isInstanceOfSatisfying(Throwable.class,
                    e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
            assertThat(vm(noGroup, "no-such-group").poll(20, TimeUnit.SECONDS)).isInstanceOfSatisfying(Throwable.class,
                    e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
            assertThat(entry()).isNull();
        } finally {
            stranger.shutdownNow();
            noGroup.shutdownNow();
        }
    }
}
