package dev.mizzen.galley.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mizzen.api.config.ConfigKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

/** The shared rules the kind validators are built from, where a YAML case would not show the edge. */
class RuleHelpersTest {
    @Test
    void regexesAreLimitedTo1024Bytes() {
        assertThat(Regexes.error("a".repeat(1024))).isNull();
        assertThat(Regexes.error("a".repeat(1025))).contains("max length allowed is 1024");
        // bytes, not characters: 512 two-byte characters are 1024 bytes
        assertThat(Regexes.error("é".repeat(512))).isNull();
        assertThat(Regexes.error("é".repeat(513))).contains("too large");
    }

    @Test
    void aLongRegexInAVirtualServiceIsReportedAtItsPath() {
        Map<String, Object> spec = Map.of("hosts", List.of("a"), "http", List.of(Map.of(
                "match", List.of(Map.of("uri", Map.of("regex", "x".repeat(2000)))),
                "route", List.of(Map.of("destination", Map.of("host", "a"))))));

        ValidationReport report = new IstioValidator().validateRaw(ConfigKind.VIRTUAL_SERVICE, "default", spec);

        assertThat(report.errors()).extracting(Finding::toString)
                .containsExactly("spec.http[0].match[0].uri.regex: regex is too large, max length allowed is 1024");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.4", "0.0.0.0", "255.255.255.255", "::", "::1", "2001:db8::8a2e:370:7334",
            "::ffff:192.0.2.1", "fe80::1%eth0", "1:2:3:4:5:6:7:8"})
    void ipAddresses(String ip) {
        assertThat(IpAddresses.isIp(ip)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.-4", "a.b.c.d", "1:2:3:4:5:6:7:8:9",
            "1::2::3", "fe80::1%", "example.com", "12345::"})
    void notIpAddresses(String ip) {
        assertThat(IpAddresses.isIp(ip)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"10.0.0.0/8,true", "10.0.0.0/32,true", "10.0.0.0/33,false", "10.0.0.0/08,false", "::/0,true",
            "2001:db8::/129,false", "fe80::1%eth0/64,false", "10.0.0.0/,false"})
    void cidrBlocks(String cidr, boolean valid) {
        assertThat(IpAddresses.isCidr(cidr)).isEqualTo(valid);
    }

    @ParameterizedTest
    @CsvSource({"*.example.com,foo.example.com,true", "foo.example.com,*.example.com,true", "*,anything.at.all,true",
            "*.a.com,*.b.a.com,true", "foo.com,bar.com,false", "*.example.com,example.com,false"})
    void hostsMatch(String a, String b, boolean expected) {
        assertThat(Hosts.matches(a, b)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"foo.example.com,*.example.com,true", "*.b.a.com,*.a.com,true", "*.a.com,*.b.a.com,false",
            "*.example.com,foo.example.com,false", "a.com,a.com,true"})
    void hostSubsets(String a, String b, boolean expected) {
        assertThat(Hosts.subsetOf(a, b)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "*.example.com", "*-foo.example.com", "example.com", "istio.io.", "a-b.c-d", "UPPER.example"})
    void wildcardDomains(String domain) {
        assertThat(Hosts.wildcardDomainError(domain)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "foo.*.com", "-foo.com", "foo-.com", "a..b", "example.123", "under_score.com"})
    void notWildcardDomains(String domain) {
        assertThat(Hosts.wildcardDomainError(domain)).isNotNull();
    }

    @Test
    void domainsAreAtMost255Long() {
        String label = "a".repeat(63);
        assertThat(Hosts.fqdnError(String.join(".", label, label, label, "a".repeat(63)))).isNull();
        assertThat(Hosts.fqdnError(String.join(".", label, label, label, label, "b"))).contains("too long");
        assertThat(Hosts.isDns1123Label("a".repeat(64))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "%HOSTNAME%", "100%%", "a %START_TIME(%s)% b", "%REQ(x-a)%",
            "%PER_REQUEST_STATE([\"a\", \"b\"])%", "%DYNAMIC_METADATA([\"com.x\", \"k\"])%"})
    void envoyHeaderValues(String value) {
        assertThat(EnvoyHeaderFormat.error(value)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"50%", "%HOSTNAME", "%VAR([\"a\" \"b\"])%", "%VAR([a])%", "%VAR([\"a\"] x)%", "%VAR(a) x%"})
    void brokenEnvoyHeaderValues(String value) {
        assertThat(EnvoyHeaderFormat.error(value)).isNotNull();
    }

    @Test
    void controlCharactersAreNotHeaderValues() {
        assertThat(HeaderRules.valueError("tab\tok")).isNull();
        assertThat(HeaderRules.valueError("new\nline")).contains("is invalid");
    }

    @ParameterizedTest
    @CsvSource({"1,true", "2,true", "3,true", "4,false", "0,false", "65537,true", "65535,false", "5000011,true"})
    void maglevPrimes(long size, boolean prime) {
        assertThat(LoadBalancerValidator.isPrime(size)).isEqualTo(prime);
    }

    @Test
    void findingsKeepEveryProblemInOrder() {
        Findings out = new Findings();
        out.error(FieldPath.SPEC.field("a"), "first");
        out.warning(FieldPath.SPEC.field("b").index(2).key("k"), "second");
        out.errorIf(FieldPath.SPEC, null);

        assertThat(out.report().findings()).extracting(Finding::toString)
                .containsExactly("spec.a: first", "spec.b[2][k]: second");
        assertThat(out.errorCount()).isEqualTo(1);
    }
}
