package dev.mizzen.api.networking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.mizzen.api.IstioYaml;
import dev.mizzen.api.IstioYaml.Doc;
import dev.mizzen.api.config.SpecReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Istio's bookinfo samples (copied verbatim, see istio/SOURCES.txt) read into the config records. */
class BookinfoSamplesTest {
    private static final String DIR = "istio/bookinfo/networking";

    static Stream<Doc> documents() {
        return IstioYaml.yamlFiles(DIR).stream().flatMap(f -> IstioYaml.documents(f).stream());
    }

    @SuppressWarnings("unchecked")
    private static <S> S read(String file, String kind, String name) {
        Doc doc = IstioYaml.document(DIR + "/" + file, kind, name);
        return (S) SpecReader.read(doc.configKind(), doc.spec());
    }

    @Test
    void everySampleFileHasDocuments() {
        assertThat(IstioYaml.yamlFiles(DIR)).hasSize(21);
        assertThat(documents()).hasSizeGreaterThan(21);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documents")
    void everyDocumentReadsAndSurvivesAJsonRoundTrip(Doc doc) {
        Object spec = SpecReader.read(doc.configKind(), doc.spec());

        assertThat(spec).isInstanceOf(doc.configKind().specType());
        String json = SpecReader.mapper().writeValueAsString(spec);
        Object again = SpecReader.read(doc.configKind(), SpecReader.mapper().readTree(json));
        assertThat(again).isEqualTo(spec);
    }

    @Test
    void reviews8020SplitsBetweenSubsetsV1AndV2() {
        VirtualService vs = read("virtual-service-reviews-80-20.yaml", "VirtualService", "reviews");

        assertThat(vs.hosts()).containsExactly("reviews");
        assertThat(vs.http()).hasSize(1);
        HttpRoute route = vs.http().get(0);
        assertThat(route.match()).isEmpty();
        assertThat(route.route())
                .extracting(d -> d.destination().host(), d -> d.destination().subset(), HttpRouteDestination::weight)
                .containsExactly(tuple("reviews", "v1", 80), tuple("reviews", "v2", 20));
        assertThat(route.timeout()).isNull();
        assertThat(route.retries()).isNull();
        assertThat(route.route().get(0).destination().port()).isNull();
    }

    @Test
    void jasonGoesToV2AndEveryoneElseToV3() {
        VirtualService vs = read("virtual-service-reviews-jason-v2-v3.yaml", "VirtualService", "reviews");

        assertThat(vs.http()).hasSize(2);
        HttpRoute jason = vs.http().get(0);
        assertThat(jason.match()).hasSize(1);
        assertThat(jason.match().get(0).headers()).containsOnlyKeys("end-user");
        assertThat(jason.match().get(0).headers().get("end-user")).isEqualTo(new StringMatch("jason", null, null));
        assertThat(jason.route()).singleElement().satisfies(d -> {
            assertThat(d.destination().subset()).isEqualTo("v2");
            assertThat(d.weight()).as("weight absent is not 0").isNull();
        });
        assertThat(vs.http().get(1).match()).isEmpty();
        assertThat(vs.http().get(1).route().get(0).destination().subset()).isEqualTo("v3");
    }

    @Test
    void reviewsDestinationRuleHasThreeVersionSubsets() {
        DestinationRule dr = read("destination-rule-all.yaml", "DestinationRule", "reviews");

        assertThat(dr.host()).isEqualTo("reviews");
        assertThat(dr.trafficPolicy()).isNull();
        assertThat(dr.exportTo()).isEmpty();
        assertThat(dr.subsets())
                .extracting(Subset::name, Subset::labels)
                .containsExactly(
                        tuple("v1", Map.of("version", "v1")),
                        tuple("v2", Map.of("version", "v2")),
                        tuple("v3", Map.of("version", "v3")));
    }

    @Test
    void ratingsDestinationRuleHasTheMysqlSubsets() {
        DestinationRule dr = read("destination-rule-all.yaml", "DestinationRule", "ratings");

        assertThat(dr.subsets()).extracting(Subset::name).containsExactly("v1", "v2", "v2-mysql", "v2-mysql-vm");
    }

    @Test
    void mtlsRulesUseIstioMutual() {
        List<Doc> docs = IstioYaml.documents(DIR + "/destination-rule-all-mtls.yaml");

        assertThat(docs).isNotEmpty().allSatisfy(doc -> {
            DestinationRule dr = dev.mizzen.api.config.ConfigKind.DESTINATION_RULE.cast(SpecReader.read(doc.configKind(), doc.spec()));
            assertThat(dr.trafficPolicy().tls().mode()).isEqualTo("ISTIO_MUTUAL");
            assertThat(dr.trafficPolicy().tls().subjectAltNames()).isEmpty();
        });
    }

    @Test
    void reviewsRuleOfItsOwnFileBalancesRandomly() {
        DestinationRule dr = read("destination-rule-reviews.yaml", "DestinationRule", "reviews");

        assertThat(dr.trafficPolicy().loadBalancer().simple()).isEqualTo("RANDOM");
        assertThat(dr.trafficPolicy().loadBalancer().consistentHash()).isNull();
        assertThat(dr.trafficPolicy().portLevelSettings()).isEmpty();
    }

    @Test
    void bookinfoGatewayListensOn8080ForAllHosts() {
        Gateway gw = read("bookinfo-gateway.yaml", "Gateway", "bookinfo-gateway");

        assertThat(gw.selector()).containsExactly(Map.entry("istio", "ingressgateway"));
        assertThat(gw.servers()).singleElement().satisfies(server -> {
            assertThat(server.port()).isEqualTo(new Port(8080, "HTTP", "http", null));
            assertThat(server.hosts()).containsExactly("*");
            assertThat(server.tls()).isNull();
        });
    }

    @Test
    void bookinfoVirtualServiceBindsToTheGatewayWithFiveUriMatches() {
        VirtualService vs = read("bookinfo-gateway.yaml", "VirtualService", "bookinfo");

        assertThat(vs.gateways()).containsExactly("bookinfo-gateway");
        HttpRoute route = vs.http().get(0);
        assertThat(route.match()).extracting(HttpMatchRequest::uri).containsExactly(
                new StringMatch("/productpage", null, null),
                new StringMatch(null, "/static", null),
                new StringMatch("/login", null, null),
                new StringMatch("/logout", null, null),
                new StringMatch(null, "/api/v1/products", null));
        assertThat(route.route().get(0).destination()).isEqualTo(
                new Destination("productpage", null, new PortSelector(9080)));
    }

    @Test
    void detailsFaultInjectionAbortsAllRequestsWith555() {
        VirtualService vs = read("fault-injection-details-v1.yaml", "VirtualService", "details");

        HttpFaultInjection fault = vs.http().get(0).fault();
        assertThat(fault.delay()).isNull();
        assertThat(fault.abort().httpStatus()).isEqualTo(555);
        assertThat(fault.abort().grpcStatus()).isNull();
        assertThat(fault.abort().percentage().value()).isEqualTo(100.0);
        assertThat(vs.http().get(1).fault()).isNull();

        DestinationRule dr = read("fault-injection-details-v1.yaml", "DestinationRule", "details");
        assertThat(dr.subsets()).extracting(Subset::name).containsExactly("v1");
    }

    @Test
    void ratingsDelayIsSevenSecondsForJason() {
        VirtualService vs = read("virtual-service-ratings-test-delay.yaml", "VirtualService", "ratings");

        FaultDelay delay = vs.http().get(0).fault().delay();
        assertThat(delay.fixedDelay()).isEqualTo("7s");
        assertThat(Durations.parse(delay.fixedDelay())).isEqualTo(Duration.ofSeconds(7));
        assertThat(delay.percentage()).isEqualTo(new Percent(100.0));
        assertThat(delay.percent()).isNull();
    }

    @Test
    void ratingsAbortIs500ForJason() {
        VirtualService vs = read("virtual-service-ratings-test-abort.yaml", "VirtualService", "ratings");

        assertThat(vs.http().get(0).fault().abort())
                .isEqualTo(new FaultAbort(500, null, null, new Percent(100.0)));
    }

    @Test
    void googleApisServiceEntryWithTlsOrigination() {
        String file = "egress-rule-google-apis.yaml";
        ServiceEntry se = read(file, "ServiceEntry", "googleapis");

        assertThat(se.hosts()).containsExactly("www.googleapis.com");
        assertThat(se.ports()).containsExactly(
                new ServicePort(80, "HTTP", "http", null),
                new ServicePort(443, "HTTPS", "https", null));
        assertThat(se.resolution()).isEqualTo("DNS");
        assertThat(se.location()).isNull();
        assertThat(se.endpoints()).isEmpty();
        assertThat(se.addresses()).isEmpty();

        VirtualService vs = read(file, "VirtualService", "rewrite-port-for-googleapis");
        assertThat(vs.http().get(0).match().get(0).port()).isEqualTo(80);
        assertThat(vs.http().get(0).route().get(0).destination().port().number()).isEqualTo(443);

        DestinationRule dr = read(file, "DestinationRule", "originate-tls-for-googleapis");
        assertThat(dr.trafficPolicy().loadBalancer().simple()).isEqualTo("ROUND_ROBIN");
        assertThat(dr.trafficPolicy().portLevelSettings()).singleElement().satisfies(p -> {
            assertThat(p.port().number()).isEqualTo(443);
            assertThat(p.tls().mode()).isEqualTo("SIMPLE");
        });
    }

    @Test
    void halfOfReviewsGoesToV3() {
        VirtualService vs = read("virtual-service-reviews-50-v3.yaml", "VirtualService", "reviews");

        assertThat(vs.http().get(0).route()).extracting(HttpRouteDestination::weight).containsExactly(50, 50);
    }
}
