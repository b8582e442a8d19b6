package dev.mizzen.galley.manifest;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestReaderTest {
    private static final ManifestReader READER = ManifestReader.standard();

    private static ManifestDocument one(String yaml) throws ManifestException {
        List<ManifestDocument> docs = READER.read(yaml);
        assertThat(docs).hasSize(1);
        return docs.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Object at(Object tree, Object... path) {
        Object node = tree;
        for (Object step : path) {
            node = step instanceof Integer i ? ((List<Object>) node).get(i) : ((Map<String, Object>) node).get(step);
        }
        return node;
    }

    private static ManifestException failure(String yaml) {
        try {
            READER.read(yaml);
        } catch (ManifestException e) {
            return e;
        }
        throw new AssertionError("expected a failure for " + yaml);
    }

    @Test
    void aliasesStandForTheAnchoredValue() throws Exception {
        ManifestDocument doc = one("""
                spec:
                  http:
                  - route:
                    - destination: {host: &h reviews}
                      weight: &w 50
                    - destination: {host: *h}
                      weight: *w
                """);
        Object route = at(doc.content(), "spec", "http", 0, "route");
        assertThat(at(route, 1, "destination", "host")).isEqualTo("reviews");
        assertThat(at(route, 1, "weight")).isEqualTo(50);
    }

    @Test
    void mergeKeysMergeAndWrittenKeysWin() throws Exception {
        ManifestDocument doc = one("""
                base: &b
                  timeout: 5s
                  retries: {attempts: 3}
                other: &o
                  timeout: 9s
                  mirror: m
                route:
                  <<: [*b, *o]
                  timeout: 1s
                """);
        Object route = at(doc.content(), "route");
        assertThat(route).isEqualTo(Map.of("timeout", "1s", "retries", Map.of("attempts", 3), "mirror", "m"));
        // a merged field is where it is written: in the anchored mapping
        assertThat(doc.position("route.retries.attempts")).isEqualTo(new Position(3, 13));
        assertThat(doc.position("route.timeout")).isEqualTo(new Position(9, 3));
    }

    @Test
    void aMergedValueWithAnErrorIsReadAsWritten() throws Exception {
        ManifestDocument doc = one("""
                base: &b {weight: -10}
                route: {<<: *b}
                """);
        assertThat(at(doc.content(), "route", "weight")).isEqualTo(-10);
    }

    @Test
    void duplicateKeysAreRefusedWithTheirPosition() {
        ManifestException e = failure("""
                spec:
                  host: a
                  host: b
                """);
        assertThat(e.position()).isEqualTo(new Position(3, 3));
        assertThat(e.problem()).isEqualTo("duplicate key \"host\"");
        assertThat(failure("{\"a\": 1, \"a\": 2}").problem()).contains("duplicate key \"a\"");
    }

    @Test
    void billionLaughsStopsAtTheLimits() {
        StringBuilder yaml = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 10; i++) {
            yaml.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 9; j++) {
                yaml.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            yaml.append("]\n");
        }
        assertThat(failure(yaml.toString()).problem()).contains("values once aliases are expanded");
        StringBuilder many = new StringBuilder("a: &a x\nl:\n");
        for (int i = 0; i <= 100; i++) {
            many.append("- *a\n");
        }
        assertThat(failure(many.toString()).problem()).isEqualTo("more than 100 aliases in one document");
        // fewer aliases, each doubling: the expansion limit holds
        StringBuilder doubling = new StringBuilder("d0: &d0 [x, x]\n");
        for (int i = 1; i <= 30; i++) {
            doubling.append("d").append(i).append(": &d").append(i).append(" [*d").append(i - 1).append(", *d")
                    .append(i - 1).append("]\n");
        }
        assertThat(failure(doubling.toString()).problem()).contains("values once aliases are expanded");
    }

    @Test
    void anAliasInsideItsOwnAnchorIsRefused() {
        assertThat(failure("a: &x {b: *x}").problem()).contains("used inside itself");
        assertThat(failure("a: *nope").problem()).contains("unknown anchor \"nope\"");
    }

    @Test
    void notUtf8IsReportedWhereTheByteIs() {
        byte[] bytes = "kind: Gateway\nmetadata:\n  name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> READER.read(bytes)).isInstanceOfSatisfying(ManifestException.class, e -> {
            assertThat(e.position()).isEqualTo(new Position(3, 12));
            assertThat(e.problem()).startsWith("not UTF-8: invalid byte 0xE9");
        });
    }

    @Test
    void utf8WithAByteOrderMarkAndUtf16AreRead() throws Exception {
        byte[] bom = "\uFEFFkind: A\n".getBytes(StandardCharsets.UTF_8);
        assertThat(READER.read(bom).get(0).kind()).isEqualTo("A");
        byte[] utf16 = "\uFEFFkind: B\n".getBytes(StandardCharsets.UTF_16BE);
        assertThat(READER.read(utf16).get(0).kind()).isEqualTo("B");
    }

    @Test
    void nestingDeeperThanTheLimitIsReportedWithItsLine() {
        String deep = "a:\n  b: " + "[".repeat(200) + "]".repeat(200) + "\n";
        ManifestException e = failure(deep);
        assertThat(e.position().line()).isEqualTo(2);
        assertThat(e.problem()).contains("nested deeper than 100 levels");
    }

    @Test
    void ipv6AddressesInFlowListsAreStringsAsTheApiserverReadsThem() throws Exception {
        ManifestDocument doc = one("addresses: [1.2.3.4, 001:db8::, '::1', fd00::]\nother: [a: b]\n");
        assertThat(at(doc.content(), "addresses")).isEqualTo(List.of("1.2.3.4", "001:db8::", "::1", "fd00::"));
        assertThat(at(doc.content(), "other")).isEqualTo(List.of(Map.of("a", "b")));
    }

    @Test
    void scalarsFollowTheCoreSchema() throws Exception {
        ManifestDocument doc = one("""
                i: 42
                neg: -7
                hex: 0x1F
                long: 4294967296
                big: 123456789012345678901234567890
                f: 1.5
                b: True
                yes: yes
                n: ~
                quoted: "42"
                env: ${HOME}
                ver: 1.10
                """);
        assertThat(doc.content()).containsEntry("i", 42).containsEntry("neg", -7).containsEntry("hex", 31)
                .containsEntry("long", 4294967296L).containsEntry("big", new BigInteger("123456789012345678901234567890")).containsEntry("f", 1.5)
                .containsEntry("b", true).containsEntry("yes", "yes").containsEntry("n", null)
                .containsEntry("quoted", "42").containsEntry("env", "${HOME}").containsEntry("ver", 1.1);
        assertThat(failure("x: .inf").problem()).contains("cannot be written in JSON");
        assertThat(failure("x: !custom 1").problem()).isEqualTo("unsupported tag !custom");
        assertThat(failure("x: !!int abc").problem()).contains("not a valid !!int");
        assertThat(failure("? [a]\n: b").problem()).contains("mapping key must be a string");
        assertThat(one("80: STRICT").content()).containsEntry("80", "STRICT");
    }

    @Test
    void positionsPointAtKeysAndItems() throws Exception {
        ManifestDocument doc = one("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: reviews
                  annotations:
                    sidecar.istio.io/inject: "false"
                spec:
                  http:
                  - route:
                    - destination:
                        host: reviews
                      weigth: 100
                """);
        assertThat(doc.start()).isEqualTo(new Position(1, 1));
        assertThat(doc.position("spec.http[0].route[0].weigth")).isEqualTo(new Position(12, 7));
        assertThat(doc.position("spec.http[0]")).isEqualTo(new Position(9, 5));
        assertThat(doc.position("spec.http[0].route[0].weight")).isEqualTo(new Position(10, 7));
        assertThat(doc.position("metadata.annotations.sidecar.istio.io/inject")).isEqualTo(new Position(6, 5));
        assertThat(doc.position("metadata.annotations[sidecar.istio.io/inject]")).isEqualTo(new Position(6, 5));
        assertThat(doc.position("nothing.here")).isEqualTo(doc.start());
    }

    @Test
    void documentsAreSplitAndEmptyOnesSkipped() throws Exception {
        List<ManifestDocument> docs = READER.read("---\nkind: A\n---\n# only a comment\n---\nkind: B\n...\n");
        assertThat(docs).extracting(ManifestDocument::kind).containsExactly("A", "B");
        assertThat(docs.get(1).start()).isEqualTo(new Position(6, 1));
        assertThat(failure("---\n- a\n- b\n").problem()).contains("must be a mapping");
    }

    @Test
    void jsonIsReadToo() throws Exception {
        ManifestDocument doc = one("{\n\t\"kind\": \"Gateway\",\n\t\"spec\": {\"servers\": [{\"port\": {\"number\": 80}}]}\n}");
        assertThat(at(doc.content(), "spec", "servers", 0, "port", "number")).isEqualTo(80);
        assertThat(doc.position("spec.servers[0].port.number")).isEqualTo(new Position(3, 33));
    }

    @Test
    void yamlErrorsCarryTheirPosition() {
        ManifestException e = failure("a: b\n\tc: d\n");
        assertThat(e.position().line()).isEqualTo(2);
        ManifestException big = failureWith(new ManifestReader(new ReaderLimits(1 << 20, 100, 10, 100, 10)),
                "a: " + "x".repeat(200) + "\n");
        assertThat(big.problem()).contains("exceeds the limit");
    }

    private static ManifestException failureWith(ManifestReader reader, String yaml) {
        try {
            reader.read(yaml);
        } catch (ManifestException e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }
}
