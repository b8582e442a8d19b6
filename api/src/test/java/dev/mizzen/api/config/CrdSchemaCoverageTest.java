package dev.mizzen.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonAlias;
import dev.mizzen.api.IstioYaml;
import dev.mizzen.api.IstioYaml.Doc;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Every field of the schema (at the version we watch) of Istio's CRDs (istio/crds/crd-all.gen.yaml, see istio/SOURCES.txt) has a
 * record component of a fitting type, and no record component is missing from the schema. Integers with
 * neither a format nor a maximum are uint64 in Istio's protos and read as {@code Long}; the others as
 * {@code Integer}.
 */
class CrdSchemaCoverageTest {
    private static final Map<ConfigKind<?>, JsonNode> SPEC_SCHEMAS = loadSpecSchemas();

    private static Map<ConfigKind<?>, JsonNode> loadSpecSchemas() {
        Map<ConfigKind<?>, JsonNode> schemas = new HashMap<>();
        for (Doc doc : IstioYaml.documents("istio/crds/crd-all.gen.yaml")) {
            JsonNode crd = doc.spec();
            String group = crd.path("group").asString();
            String kind = crd.path("names").path("kind").asString();
            ConfigKind.of(group + "/" + "v1", kind).ifPresent(configKind -> {
                // the version we watch; every served version of a kind has the same schema
                for (JsonNode version : crd.path("versions")) {
                    if (version.path("name").asString().equals(configKind.preferredVersion())) {
                        schemas.put(configKind, version.path("schema").path("openAPIV3Schema")
                                .path("properties").path("spec"));
                    }
                }
            });
        }
        return schemas;
    }

    static List<ConfigKind<?>> kinds() {
        return ConfigKind.all();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void theRecordsMatchTheCrdSchema(ConfigKind<?> kind) {
        JsonNode schema = SPEC_SCHEMAS.get(kind);
        assertThat(schema).as("v1 schema of " + kind).isNotNull();

        List<String> problems = new ArrayList<>();
        compareObject(schema, kind.specType(), "spec", problems);

        assertThat(problems).isEmpty();
    }

    private static void compareObject(JsonNode schema, Class<?> type, String path, List<String> problems) {
        if (!type.isRecord()) {
            problems.add(path + ": " + type.getSimpleName() + " is not a record");
            return;
        }
        Map<String, RecordComponent> byJsonName = new LinkedHashMap<>();
        for (RecordComponent component : type.getRecordComponents()) {
            byJsonName.put(component.getName(), component);
            JsonAlias alias = component.getAccessor().getAnnotation(JsonAlias.class);
            if (alias != null) {
                for (String name : alias.value()) {
                    byJsonName.put(name, component);
                }
            }
        }
        JsonNode properties = schema.path("properties");
        for (String name : properties.propertyNames()) {
            RecordComponent component = byJsonName.get(name);
            if (component == null) {
                problems.add(path + "." + name + ": no component in " + type.getSimpleName());
            } else {
                compareValue(properties.get(name), component.getGenericType(), path + "." + name, problems);
            }
        }
        for (RecordComponent component : type.getRecordComponents()) {
            if (!properties.has(component.getName())) {
                problems.add(path + "." + component.getName() + ": not in the CRD schema");
            }
        }
    }

    private static void compareValue(JsonNode schema, Type type, String path, List<String> problems) {
        String schemaType = schema.path("type").asString();
        switch (schemaType) {
            case "string" -> expect(type, String.class, path, problems);
            case "boolean" -> expect(type, Boolean.class, path, problems);
            case "number" -> expect(type, Double.class, path, problems);
            case "integer" -> {
                boolean uint64 = !schema.has("format") && !schema.has("maximum");
                expect(type, uint64 ? Long.class : Integer.class, path, problems);
            }
            case "array" -> {
                if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
                    compareValue(schema.path("items"), p.getActualTypeArguments()[0], path + "[]", problems);
                } else {
                    problems.add(path + ": an array in the CRD but " + type.getTypeName());
                }
            }
            case "object" -> {
                if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false) && !schema.has("properties")) {
                    // free-form (EnvoyFilter's patch value, WasmPlugin's pluginConfig): kept as the tree it is
                    if (!(type instanceof ParameterizedType p && p.getRawType() == Map.class
                            && p.getActualTypeArguments()[1] == Object.class)) {
                        problems.add(path + ": a free-form object in the CRD but " + type.getTypeName());
                    }
                } else if (schema.has("additionalProperties")) {
                    if (type instanceof ParameterizedType p && p.getRawType() == Map.class
                            && p.getActualTypeArguments()[0] == String.class) {
                        compareValue(schema.path("additionalProperties"), p.getActualTypeArguments()[1],
                                path + "{}", problems);
                    } else {
                        problems.add(path + ": a map in the CRD but " + type.getTypeName());
                    }
                } else if (type instanceof Class<?> c) {
                    compareObject(schema, c, path, problems);
                } else {
                    problems.add(path + ": an object in the CRD but " + type.getTypeName());
                }
            }
            default -> problems.add(path + ": unexpected schema type '" + schemaType + "'");
        }
    }

    private static void expect(Type actual, Class<?> expected, String path, List<String> problems) {
        if (actual != expected) {
            problems.add(path + ": expected " + expected.getSimpleName() + " but is " + actual.getTypeName());
        }
    }
}
