package dev.mizzen.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mizzen.api.IstioYaml;
import dev.mizzen.api.networking.Destination;
import dev.mizzen.api.networking.DestinationRule;
import dev.mizzen.api.networking.HttpMatchRequest;
import dev.mizzen.api.networking.HttpRoute;
import dev.mizzen.api.networking.HttpRouteDestination;
import dev.mizzen.api.networking.VirtualService;
import dev.mizzen.api.networking.WorkloadEntry;
import dev.mizzen.api.security.RequestAuthentication;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

class SpecReaderTest {

    private static SpecReadException readFailure(ConfigKind<?> kind, String yaml) {
        return catchThrowableOfType(SpecReadException.class, () -> SpecReader.read(kind, IstioYaml.tree(yaml)));
    }

    static List<ConfigKind<?>> kinds() {
        return ConfigKind.all();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void specTypeIsARecordOfTheKindsPackage(ConfigKind<?> kind) {
        Class<?> type = kind.specType();

        assertThat(type.isRecord()).isTrue();
        assertThat(type.getSimpleName()).isEqualTo(kind.kind());
        String pkg = kind.group().groupName().substring(0, kind.group().groupName().indexOf('.'));
        assertThat(type.getPackageName()).isEqualTo("dev.mizzen.api." + pkg);
    }

    static Stream<Arguments> emptySpecs() {
        List<Object> empties = new ArrayList<>();
        empties.add(null);
        empties.add(Map.of());
        empties.add(JsonNodeFactory.instance.nullNode());
        empties.add(JsonNodeFactory.instance.missingNode());
        empties.add(JsonNodeFactory.instance.objectNode());
        return ConfigKind.all().stream()
                .flatMap(kind -> empties.stream().map(e -> Arguments.of(kind, e)));
    }

    @ParameterizedTest(name = "{0} from {1}")
    @MethodSource("emptySpecs")
    void anEmptySpecHasEmptyListsAndMapsAndNullEverythingElse(ConfigKind<?> kind, Object empty) throws Exception {
        Object spec = SpecReader.read(kind, empty);

        assertThat(spec).isInstanceOf(kind.specType());
        for (RecordComponent component : kind.specType().getRecordComponents()) {
            Object value = component.getAccessor().invoke(spec);
            if (Collection.class.isAssignableFrom(component.getType())) {
                assertThat((Collection<?>) value).as(component.getName()).isNotNull().isEmpty();
            } else if (Map.class.isAssignableFrom(component.getType())) {
                assertThat((Map<?, ?>) value).as(component.getName()).isNotNull().isEmpty();
            } else {
                assertThat(value).as(component.getName()).isNull();
            }
        }
    }

    @Test
    void recordsBuiltInCodeHaveNoNullLists() {
        VirtualService vs = new VirtualService(null, null, null, null, null, null);

        assertThat(vs.hosts()).isEmpty();
        assertThat(vs.http()).isEmpty();
        assertThat(new HttpRoute(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null).match()).isEmpty();
    }

    @Test
    void readsTheMapsFabric8Gives() {
        Map<String, Object> destination = Map.of("host", "reviews", "subset", "v2", "port", Map.of("number", 9080));
        Map<String, Object> spec = Map.of(
                "hosts", List.of("reviews"),
                "http", List.of(Map.of("route", List.of(Map.of("destination", destination, "weight", 100L)))));

        VirtualService vs = SpecReader.read(ConfigKind.VIRTUAL_SERVICE, spec);

        HttpRouteDestination route = vs.http().get(0).route().get(0);
        assertThat(route.weight()).isEqualTo(100);
        assertThat(route.destination().port().number()).isEqualTo(9080);
    }

    @Test
    void unknownFieldsAreIgnoredAtEveryLevel() {
        VirtualService vs = SpecReader.read(ConfigKind.VIRTUAL_SERVICE, IstioYaml.tree("""
                hosts: [reviews]
                someFutureField: {a: 1}
                http:
                - fancyNewThing: true
                  route:
                  - destination: {host: reviews, colour: blue}
                    weight: 100
                """));

        assertThat(vs.hosts()).containsExactly("reviews");
        assertThat(vs.http().get(0).route().get(0).destination()).isEqualTo(new Destination("reviews", null, null));
    }

    @Test
    void aWordForAWeightNamesTheField() {
        SpecReadException e = readFailure(ConfigKind.VIRTUAL_SERVICE, """
                hosts: [reviews]
                http:
                - route:
                  - destination: {host: reviews}
                    weight: "abc"
                """);

        assertThat(e.fieldPath()).isEqualTo("spec.http[0].route[0].weight");
        assertThat(e.detail()).isEqualTo("cannot read \"abc\" as an integer");
        assertThat(e).hasMessage("spec.http[0].route[0].weight: cannot read \"abc\" as an integer");
        assertThat(e.getCause()).isInstanceOf(JacksonException.class);
    }

    @Test
    void thePathCountsListIndexes() {
        SpecReadException e = readFailure(ConfigKind.VIRTUAL_SERVICE, """
                http:
                - route: [{destination: {host: a}}]
                - route:
                  - destination: {host: a}
                  - destination: {host: b}
                    weight: ten
                """);

        assertThat(e).hasMessage("spec.http[1].route[1].weight: cannot read \"ten\" as an integer");
    }

    @Test
    void aQuotedNumberIsANumber() {
        VirtualService vs = SpecReader.read(ConfigKind.VIRTUAL_SERVICE,
                IstioYaml.tree("http: [{route: [{destination: {host: a}, weight: \"80\"}]}]"));

        assertThat(vs.http().get(0).route().get(0).weight()).isEqualTo(80);
    }

    @Test
    void aFractionIsNotAnInteger() {
        SpecReadException e = readFailure(ConfigKind.VIRTUAL_SERVICE,
                "http: [{route: [{destination: {host: a}, weight: 1.5}]}]");

        assertThat(e).hasMessage("spec.http[0].route[0].weight: cannot read 1.5 as an integer");
    }

    @Test
    void aNumberTooBigForItsFieldIsOutOfRange() {
        SpecReadException e = readFailure(ConfigKind.VIRTUAL_SERVICE,
                "http: [{route: [{destination: {host: a}, weight: 3000000000}]}]");

        assertThat(e.fieldPath()).isEqualTo("spec.http[0].route[0].weight");
        assertThat(e.detail()).isEqualTo("cannot read 3000000000 as an integer (out of range)");
    }

    @Test
    void aScalarWhereAListBelongs() {
        SpecReadException e = readFailure(ConfigKind.VIRTUAL_SERVICE, "hosts: reviews");

        assertThat(e).hasMessage("spec.hosts: cannot read \"reviews\" as a list");
    }

    @Test
    void aScalarWhereAnObjectBelongs() {
        SpecReadException e = readFailure(ConfigKind.VIRTUAL_SERVICE, "http: [{route: [{destination: reviews}]}]");

        assertThat(e).hasMessage("spec.http[0].route[0].destination: cannot read \"reviews\" as an object");
    }

    @Test
    void anObjectWhereAStringBelongs() {
        SpecReadException e = readFailure(ConfigKind.VIRTUAL_SERVICE, "http: [{timeout: {seconds: 10}}]");

        assertThat(e).hasMessage("spec.http[0].timeout: cannot read {\"seconds\":10} as a string");
    }

    @Test
    void aNumberWhereABooleanBelongs() {
        SpecReadException e = readFailure(ConfigKind.VIRTUAL_SERVICE, "http: [{match: [{ignoreUriCase: 1}]}]");

        assertThat(e).hasMessage("spec.http[0].match[0].ignoreUriCase: cannot read 1 as a boolean");
    }

    @Test
    void aWrongValueInAMapNamesTheKey() {
        SpecReadException e = readFailure(ConfigKind.WORKLOAD_ENTRY, "address: 1.2.3.4\nports: {http: eighty}");

        assertThat(e).hasMessage("spec.ports.http: cannot read \"eighty\" as an integer");
    }

    @Test
    void aNullListElementIsAnErrorAtItsIndex() {
        SpecReadException e = readFailure(ConfigKind.VIRTUAL_SERVICE, "hosts: [reviews, null]");

        assertThat(e.fieldPath()).isEqualTo("spec.hosts[1]");
        assertThat(e.detail()).startsWith("cannot read null");
    }

    @Test
    void aNullMapValueIsDropped() {
        WorkloadEntry we = SpecReader.read(ConfigKind.WORKLOAD_ENTRY,
                IstioYaml.tree("address: 1.2.3.4\nlabels: {app: ratings, version: }\nports: {http: 8080, grpc: }"));

        assertThat(we.labels()).containsExactly(Map.entry("app", "ratings"));
        assertThat(we.ports()).containsExactly(Map.entry("http", 8080));
    }

    @Test
    void aSpecThatIsNoObject() {
        assertThatThrownBy(() -> SpecReader.read(ConfigKind.GATEWAY, "servers"))
                .isInstanceOf(SpecReadException.class)
                .hasMessage("spec: cannot read \"servers\" as an object");
        assertThatThrownBy(() -> SpecReader.read(ConfigKind.GATEWAY, List.of("servers")))
                .isInstanceOf(SpecReadException.class)
                .hasMessage("spec: cannot read [\"servers\"] as an object");
    }

    @Test
    void longValuesAreShortenedInMessages() {
        SpecReadException e = readFailure(ConfigKind.VIRTUAL_SERVICE, "hosts: " + "x".repeat(200));

        assertThat(e.detail()).hasSizeLessThan(100).contains("...");
    }

    @Test
    void listsAndMapsAreImmutable() {
        VirtualService vs = SpecReader.read(ConfigKind.VIRTUAL_SERVICE,
                IstioYaml.tree("hosts: [a]\nhttp: [{match: [{sourceLabels: {app: b}}]}]"));

        assertThatThrownBy(() -> vs.hosts().add("b")).isInstanceOf(UnsupportedOperationException.class);
        HttpMatchRequest match = vs.http().get(0).match().get(0);
        assertThatThrownBy(() -> match.sourceLabels().put("c", "d")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void mapsKeepTheOrderTheyWereWrittenIn() {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String key : List.of("zeta", "alpha", "mu", "beta", "omega", "gamma")) {
            labels.put(key, key);
        }
        DestinationRule dr = SpecReader.read(ConfigKind.DESTINATION_RULE,
                Map.of("host", "a", "subsets", List.of(Map.of("name", "v1", "labels", labels))));

        assertThat(dr.subsets().get(0).labels().keySet()).containsExactlyElementsOf(labels.keySet());
    }

    @Test
    void deprecatedSnakeCaseNamesAreAliases() {
        VirtualService vs = SpecReader.read(ConfigKind.VIRTUAL_SERVICE,
                IstioYaml.tree("http: [{mirror: {host: shadow}, mirror_percent: 5}]"));
        RequestAuthentication ra = SpecReader.read(ConfigKind.REQUEST_AUTHENTICATION,
                IstioYaml.tree("jwtRules: [{issuer: me, jwks_uri: 'https://example.com/jwks'}]"));

        assertThat(vs.http().get(0).mirrorPercent()).isEqualTo(5);
        assertThat(ra.jwtRules().get(0).jwksUri()).isEqualTo("https://example.com/jwks");
    }

    @Test
    void enumsStayStringsSoUnknownValuesReachTheValidator() {
        DestinationRule dr = SpecReader.read(ConfigKind.DESTINATION_RULE,
                IstioYaml.tree("host: a\ntrafficPolicy: {loadBalancer: {simple: FASTEST}, tls: {mode: SOMETIMES}}"));

        assertThat(dr.trafficPolicy().loadBalancer().simple()).isEqualTo("FASTEST");
        assertThat(dr.trafficPolicy().tls().mode()).isEqualTo("SOMETIMES");
    }

    @Test
    void theMapperWritesCompactSortedJson() {
        WorkloadEntry we = new WorkloadEntry("1.2.3.4", Map.of("http", 8080), Map.of("b", "2", "a", "1"),
                null, "", null, null);

        String json = SpecReader.mapper().writeValueAsString(we);

        assertThat(json).doesNotContain("null").doesNotContain("locality");
        assertThat(json).contains("\"labels\":{\"a\":\"1\",\"b\":\"2\"}");
        JsonNode back = SpecReader.mapper().readTree(json);
        assertThat(SpecReader.<WorkloadEntry>read(ConfigKind.WORKLOAD_ENTRY, back).labels())
                .isEqualTo(Map.of("a", "1", "b", "2"));
    }
}
