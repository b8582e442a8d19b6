package dev.mizzen.pilot.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.config.ConfigMeta;
import dev.mizzen.api.config.SpecReader;
import dev.mizzen.api.security.AuthorizationPolicy;
import dev.mizzen.api.security.RequestAuthentication;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Security config from YAML test resources, annotations kept (dry-run needs them), creation times
 * increasing in document order; and signed test tokens.
 */
public final class SecurityFixtures {
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private SecurityFixtures() {
    }

    public static List<Config<?>> load(String... resources) {
        List<Config<?>> out = new ArrayList<>();
        for (String resource : resources) {
            for (JsonNode doc : documents(resource)) {
                out.add(parse(doc, Instant.ofEpochSecond(1_000_000 + out.size())));
            }
        }
        return out;
    }

    public static List<Config<?>> parseYaml(String yaml) {
        List<Config<?>> out = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    out.add(parse(doc, Instant.ofEpochSecond(1_000_000 + out.size())));
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    public static List<Config<AuthorizationPolicy>> authorizationPolicies(List<Config<?>> configs) {
        return configs.stream().filter(c -> c.spec() instanceof AuthorizationPolicy)
                .map(c -> (Config<AuthorizationPolicy>) c).toList();
    }

    @SuppressWarnings("unchecked")
    public static List<Config<RequestAuthentication>> requestAuthentications(List<Config<?>> configs) {
        return configs.stream().filter(c -> c.spec() instanceof RequestAuthentication)
                .map(c -> (Config<RequestAuthentication>) c).toList();
    }

    private static Config<?> parse(JsonNode doc, Instant created) {
        ConfigKind kind = ConfigKind.of(doc.path("apiVersion").asString(), doc.path("kind").asString())
                .orElseThrow(() -> new IllegalArgumentException("not Istio config: " + doc));
        String ns = doc.path("metadata").path("namespace").asString("default");
        Map<String, String> annotations = new LinkedHashMap<>();
        JsonNode a = doc.path("metadata").path("annotations");
        if (a.isObject()) {
            a.properties().forEach(e -> annotations.put(e.getKey(), e.getValue().asString()));
        }
        JsonNode spec = doc.get("spec");
        Object parsed = SpecReader.read(kind, spec == null ? YAML.createObjectNode() : spec);
        return new Config<>(ConfigKey.of(kind, ns, doc.path("metadata").path("name").asString()),
                new ConfigMeta(Map.of(), annotations, created, "1", 1), parsed);
    }

    private static List<JsonNode> documents(String resource) {
        try (InputStream in = SecurityFixtures.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + resource);
            }
            return parseDocs(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<JsonNode> parseDocs(String yaml) {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    /** An RSA signing key of the tests and its public JWKS. */
    public record Issuer(String issuer, RSAKey key) {
        public static Issuer generate(String issuer, String keyId) {
            try {
                return new Issuer(issuer, new RSAKeyGenerator(2048).keyID(keyId).generate());
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        public String jwks() {
            return new JWKSet(key.toPublicJWK()).toString();
        }

        /** A token with iss, sub (default: the issuer, as Istio's sample tokens), exp in an hour, and claims. */
        public String token(Map<String, Object> claims) {
            JWTClaimsSet.Builder c = new JWTClaimsSet.Builder().issuer(issuer).subject(issuer)
                    .expirationTime(new Date(System.currentTimeMillis() + 3_600_000));
            claims.forEach(c::claim);
            try {
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                        c.build());
                jwt.sign(new RSASSASigner(key));
                return jwt.serialize();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
