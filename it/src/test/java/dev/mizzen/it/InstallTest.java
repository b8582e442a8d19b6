package dev.mizzen.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mizzen.istiod.IstiodServer;
import dev.mizzen.citadel.pki.Pem;
import dev.mizzen.istiod.IstiodSettings;
import dev.mizzen.istiod.testing.SelfSignedCertificate;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 13, scenarios 1 to 3, on one real control plane: Mizzen's {@code install/kubernetes} applied as shipped,
 * istiod serving as its own ServiceAccount, the apiserver calling its webhooks through the Service the webhook
 * configurations name, and the ReplicaSet controller's Pods injected.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstallTest {
    private static final Duration WAIT = Duration.ofMinutes(1);
    private static final String BOOKINFO = "bookinfo";
    private static final ResourceDefinitionContext VIRTUAL_SERVICES = new ResourceDefinitionContext.Builder()
            .withGroup("networking.istio.io").withVersion("v1").withKind("VirtualService").withPlural("virtualservices")
            .withNamespaced(true).build();

    private static KubeCluster cluster;
    private static KubernetesClient admin;
    private static KubernetesClient asIstiod;
    private static IstiodServer istiod;
    private static List<HasMetadata> installed;

    @BeforeAll
    static void install() {
        int webhookPort = ClusterIstiod.freePort();
        cluster = KubeCluster.start("install-test", ClusterIstiod.serviceAddressFlag(webhookPort));
        admin = cluster.client();
        installed = MizzenInstall.apply(admin, WAIT);
        asIstiod = ClusterIstiod.clientAs(cluster, MizzenInstall.NAMESPACE, MizzenInstall.SERVICE_ACCOUNT);
        istiod = ClusterIstiod.start(asIstiod, new IstiodSettings.Ports(0, 0, webhookPort, 0));
    }

    @AfterAll
    static void stop() {
        if (istiod != null) {
            istiod.close();
        }
        if (asIstiod != null) {
            asIstiod.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Scenario 1: every CRD of the install is accepted, its CEL rules compiled and enforced by the apiserver. */
    @Test
    @Order(1)
    void everyCrdIsEstablishedAndItsCelRulesAreEnforced() throws Exception {
        long shipped;
        try (Stream<String> lines = Files.lines(MizzenInstall.installDir().resolve("crds/crd-all.gen.yaml"))) {
            shipped = lines.filter(l -> l.equals("kind: CustomResourceDefinition")).count();
        }
        List<CustomResourceDefinition> crds = admin.apiextensions().v1().customResourceDefinitions().list().getItems();
        assertThat(crds.stream().filter(c -> c.getSpec().getGroup().endsWith("istio.io"))).hasSize((int) shipped);
        assertThat(crds).allSatisfy(crd -> assertThat(crd.getStatus().getConditions())
                .anySatisfy(c -> {
                    assertThat(c.getType()).isEqualTo("Established");
                    assertThat(c.getStatus()).isEqualTo("True");
                }));
        assertThat(installed).extracting(HasMetadata::getKind)
                .contains("Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Deployment", "Service",
                        "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration");

        // A CEL rule of a CRD, which the apiserver judges itself, before any webhook is called
        GenericKubernetesResource bad = admin.getKubernetesSerialization().unmarshal("""
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: cel-check, namespace: default}
                spec:
                  hosts: [cel.example.com]
                  ports: [{number: 80, name: http, protocol: HTTP}]
                  resolution: NONE
                  endpoints: [{address: 10.1.2.3}]
                """, GenericKubernetesResource.class);
        assertThatThrownBy(() -> admin.resource(bad).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getMessage()).contains("NONE mode cannot set endpoints");
                });
    }

    /** Scenario 1: istiod runs with its ServiceAccount's token and nothing but the shipped ClusterRole. */
    @Test
    @Order(2)
    void istiodServesAsItsOwnServiceAccount() {
        SelfSubjectReview me = asIstiod.authentication().v1().selfSubjectReviews()
                .create(new SelfSubjectReviewBuilder().build());
        assertThat(me.getStatus().getUserInfo().getUsername()).isEqualTo("system:serviceaccount:istio-system:istiod");
        assertThat(me.getStatus().getUserInfo().getGroups()).doesNotContain("system:masters");

        // what it did with those rights: its CA Secret, and the root published in every namespace (one made now too)
        assertThat(admin.secrets().inNamespace(MizzenInstall.NAMESPACE).withName("istio-ca-secret").get()).isNotNull();
        admin.resource(new NamespaceBuilder().withNewMetadata().withName("late").endMetadata().build()).create();
        await().atMost(WAIT).untilAsserted(() -> {
            for (String ns : List.of("default", "kube-system", MizzenInstall.NAMESPACE, "late")) {
                ConfigMap root = admin.configMaps().inNamespace(ns).withName("istio-ca-root-cert").get();
                assertThat(root).as("istio-ca-root-cert in %s", ns).isNotNull();
                assertThat(root.getData().get("root-cert.pem")).isEqualTo(istiod.citadel().rootsPem());
            }
        });
    }

    /**
     * Scenario 1: before it sends a gateway a key over SDS, istiod asks the apiserver (SubjectAccessReview) whether
     * the gateway's service account may read Secrets of its namespace; the gateway with a Role that lets it gets
     * the key, the one without gets the CA certificate only. istiod needs the right to create those reviews.
     */
    @Test
    @Order(3)
    void aGatewayGetsTheKeysItsServiceAccountMayRead() throws Exception {
        String ns = "gateways";
        admin.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        var credentials = SelfSignedCertificate.generate(List.of("bookinfo.example.com"), Clock.systemUTC());
        admin.resource(new SecretBuilder().withNewMetadata().withName("ingress-cert").withNamespace(ns).endMetadata()
                .withType("kubernetes.io/tls")
                .addToData("tls.crt", base64(Pem.encode(credentials.chain())))
                .addToData("tls.key", base64(Pem.encode(credentials.key())))
                .addToData("ca.crt", base64(Pem.encode(credentials.chain())))
                .build()).create();
        for (String sa : List.of("ingress", "intruder")) {
            admin.resource(new ServiceAccountBuilder().withNewMetadata().withName(sa).withNamespace(ns).endMetadata()
                    .build()).create();
        }
        admin.resource(new RoleBuilder().withNewMetadata().withName("secret-reader").withNamespace(ns).endMetadata()
                .addNewRule().withApiGroups("").withResources("secrets").withVerbs("get", "list", "watch").endRule()
                .build()).create();
        admin.resource(new RoleBindingBuilder().withNewMetadata().withName("ingress-reads-secrets").withNamespace(ns)
                .endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("secret-reader")
                .endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withName("ingress").withNamespace(ns).endSubject()
                .build()).create();
        await().atMost(WAIT).until(() -> admin.configMaps().inNamespace(ns).withName(XdsConnections.ROOT_CONFIG_MAP)
                .get() != null);

        assertThat(GatewaySds.ask(cluster, istiod.secureXdsPort(), ns, "ingress", "kubernetes://ingress-cert"))
                .isEqualTo(GatewaySds.Outcome.KEY);
        assertThat(GatewaySds.ask(cluster, istiod.secureXdsPort(), ns, "intruder", "kubernetes://ingress-cert"))
                .isEqualTo(GatewaySds.Outcome.NO_KEY);
        assertThat(GatewaySds.ask(cluster, istiod.secureXdsPort(), ns, "intruder", "kubernetes://ingress-cert-cacert"))
                .isEqualTo(GatewaySds.Outcome.CA_CERTIFICATE);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Scenario 2: istiod set the webhooks' CA bundle and turned validation to Fail, as it does in a cluster. */
    @Test
    @Order(4)
    void istiodPatchedItsWebhookConfigurations() {
        String caBundle = Base64.getEncoder().encodeToString(istiod.citadel().rootsPem().getBytes(StandardCharsets.UTF_8));
        await().atMost(WAIT).untilAsserted(() -> {
            ValidatingWebhookConfiguration validation = admin.admissionRegistration().v1()
                    .validatingWebhookConfigurations().withName("istio-validator-istio-system").get();
            assertThat(validation.getWebhooks()).isNotEmpty().allSatisfy(w -> {
                assertThat(w.getFailurePolicy()).isEqualTo("Fail");
                assertThat(w.getClientConfig().getCaBundle()).isEqualTo(caBundle);
            });
            MutatingWebhookConfiguration injection = admin.admissionRegistration().v1()
                    .mutatingWebhookConfigurations().withName("istio-sidecar-injector").get();
            assertThat(injection.getWebhooks()).isNotEmpty()
                    .allSatisfy(w -> assertThat(w.getClientConfig().getCaBundle()).isEqualTo(caBundle));
        });
    }

    /** Scenario 2: the apiserver calls /validate; a negative weight is refused with Mizzen's message and field path. */
    @Test
    @Order(5)
    void theApiserverRefusesANegativeWeightWithOurMessage() {
        GenericKubernetesResource vs = admin.getKubernetesSerialization().unmarshal("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: negative, namespace: default}
                spec:
                  hosts: [reviews]
                  http:
                  - route:
                    - destination: {host: reviews, subset: v1}
                      weight: 110
                    - destination: {host: reviews, subset: v2}
                      weight: -10
                """, GenericKubernetesResource.class);
        assertThatThrownBy(() -> admin.genericKubernetesResources(VIRTUAL_SERVICES).inNamespace("default")
                .resource(vs).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(400);
                    assertThat(e.getMessage())
                            .contains("admission webhook \"rev.validation.istio.io\" denied the request")
                            .contains("spec.http[0].route[1].weight")
                            .contains("weight -10 is negative; weights must be >= 0");
                });
        assertThat(admin.genericKubernetesResources(VIRTUAL_SERVICES).inNamespace("default").withName("negative").get())
                .isNull();
    }

    /** Scenario 2: the walkthrough's gateway and every VirtualService of the Bookinfo samples are accepted. */
    @Test
    @Order(6)
    void theBookinfoGatewayAndVirtualServicesAreAccepted() {
        admin.resource(new NamespaceBuilder().withNewMetadata().withName(BOOKINFO).endMetadata().build()).create();
        MizzenInstall.applyResource(admin, "/istio/bookinfo/networking/bookinfo-gateway.yaml", BOOKINFO);
        List<String> samples = List.of("all-v1", "details-v2", "ratings-db", "ratings-mysql", "ratings-mysql-vm",
                "ratings-test-abort", "ratings-test-delay", "reviews-50-v3", "reviews-80-20", "reviews-90-10",
                "reviews-jason-v2-v3", "reviews-test-v2", "reviews-v2-v3", "reviews-v3");
        for (String sample : samples) {
            List<HasMetadata> applied = MizzenInstall.applyResource(admin,
                    "/istio/bookinfo/networking/virtual-service-" + sample + ".yaml", BOOKINFO);
            assertThat(applied).as(sample).isNotEmpty();
        }
        assertThat(admin.genericKubernetesResources(VIRTUAL_SERVICES).inNamespace(BOOKINFO).list().getItems())
                .extracting(r -> r.getMetadata().getName())
                .contains("bookinfo", "reviews", "ratings", "details", "productpage");
    }

    /**
     * Scenario 3: in a namespace labelled istio-injection=enabled, the ReplicaSet controller's Pods pass through
     * /inject and are stored with the sidecar (native: istio-proxy an init container that always restarts) and
     * istio-init.
     */
    @Test
    @Order(7)
    void bookinfoPodsAreStoredInjected() {
        admin.namespaces().withName(BOOKINFO).edit(ns -> new NamespaceBuilder(ns).editMetadata()
                .addToLabels("istio-injection", "enabled").endMetadata().build());
        MizzenInstall.applyResource(admin, "/istio/bookinfo/platform/kube/bookinfo.yaml", BOOKINFO);
        await().atMost(WAIT).untilAsserted(() -> {
            List<Pod> pods = admin.pods().inNamespace(BOOKINFO).list().getItems();
            // details-v1, ratings-v1, reviews-v1..v3, productpage-v1
            assertThat(pods).hasSize(6);
            assertThat(pods).allSatisfy(pod -> {
                assertThat(pod.getMetadata().getOwnerReferences()).singleElement()
                        .satisfies(o -> assertThat(o.getKind()).isEqualTo("ReplicaSet"));
                assertThat(pod.getMetadata().getAnnotations()).containsKey("sidecar.istio.io/status");
                List<Container> init = pod.getSpec().getInitContainers();
                assertThat(init).extracting(Container::getName).contains("istio-init", "istio-proxy");
                assertThat(init).filteredOn(c -> c.getName().equals("istio-proxy")).singleElement()
                        .satisfies(c -> assertThat(c.getRestartPolicy()).isEqualTo("Always"));
                assertThat(pod.getSpec().getContainers()).extracting(Container::getName)
                        .doesNotContain("istio-proxy");
                assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
            });
        });
        // the pod a user makes with inject=false is left alone
        Map<String, String> labels = Map.of("app", "plain", "sidecar.istio.io/inject", "false");
        admin.pods().inNamespace(BOOKINFO).resource(new io.fabric8.kubernetes.api.model.PodBuilder()
                .withNewMetadata().withName("plain").withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("example.invalid/app:1").endContainer().endSpec()
                .build()).create();
        Pod plain = admin.pods().inNamespace(BOOKINFO).withName("plain").get();
        assertThat(plain.getSpec().getInitContainers()).isEmpty();
        assertThat(plain.getMetadata().getAnnotations()).doesNotContainKey("sidecar.istio.io/status");
    }
}
