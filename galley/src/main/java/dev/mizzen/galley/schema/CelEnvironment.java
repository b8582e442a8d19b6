package dev.mizzen.galley.schema;

import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CEL environment of one CRD version, as the apiserver declares it: {@code self} is typed from the schema
 * node that holds the rule (an object with properties is a struct whose fields are its properties, so a rule
 * that names a field the schema lacks does not compile; a map is {@code map(string, V)}, a list
 * {@code list(T)}; int-or-string and preserved unknown fields are {@code dyn}), with the standard macros and
 * functions, cel-java's strings extension and {@link KubernetesCelLibrary}.
 *
 * <p>Thread-safe: the types are built in the constructor and only read; compiled environments per type of
 * {@code self} are cached in a concurrent map.
 */
final class CelEnvironment {
    private final Map<StructuralSchema, CelType> types = new IdentityHashMap<>();
    private final Map<String, CelType> structs = new HashMap<>();
    private final Cel base;
    private final Map<CelType, Cel> bySelfType = new ConcurrentHashMap<>();

    CelEnvironment(String name, StructuralSchema root) {
        declare(root, name);
        ImmutableList<CelType> all = ImmutableList.copyOf(structs.values());
        CelTypeProvider provider = new CelTypeProvider() {
            @Override
            public ImmutableCollection<CelType> types() {
                return all;
            }

            @Override
            public Optional<CelType> findType(String typeName) {
                return Optional.ofNullable(structs.get(typeName));
            }
        };
        this.base = CelFactory.standardCelBuilder()
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .setTypeProvider(provider)
                .addCompilerLibraries(CelExtensions.strings())
                .addRuntimeLibraries(CelExtensions.strings())
                .addFunctionDeclarations(KubernetesCelLibrary.declarations())
                .addFunctionBindings(KubernetesCelLibrary.bindings())
                .build();
    }

    /** The CEL type of values at {@code node}. */
    CelType typeOf(StructuralSchema node) {
        CelType type = types.get(node);
        return type == null ? SimpleType.DYN : type;
    }

    /** Compiles {@code expression} with {@code self} of {@code node}'s type. */
    CelRuntime.Program compile(String expression, StructuralSchema node) throws CelValidationException,
            CelEvaluationException {
        CelType self = typeOf(node);
        Cel cel = bySelfType.computeIfAbsent(self, t -> base.toCelBuilder().addVar("self", t).build());
        CelAbstractSyntaxTree ast = cel.compile(expression).getAst();
        return cel.createProgram(ast);
    }

    private CelType declare(StructuralSchema node, String name) {
        CelType type;
        if (node.traits().intOrString() || node.type() == null) {
            type = SimpleType.DYN;
        } else {
            type = switch (node.type()) {
                case "string" -> SimpleType.STRING;
                case "integer" -> SimpleType.INT;
                case "number" -> SimpleType.DOUBLE;
                case "boolean" -> SimpleType.BOOL;
                case "array" -> ListType.create(node.items() == null ? SimpleType.DYN : declare(node.items(), name + ".items"));
                case "object" -> objectType(node, name);
                default -> SimpleType.DYN;
            };
        }
        types.put(node, type);
        for (StructuralSchema junction : node.junctions().allOf()) {
            declare(junction, name);
        }
        return type;
    }

    private CelType objectType(StructuralSchema node, String name) {
        if (!node.properties().isEmpty()) {
            Map<String, CelType> fields = new HashMap<>();
            node.properties().forEach((field, schema) -> fields.put(field, declare(schema, name + "." + field)));
            StructType struct = StructType.create(name, ImmutableSet.copyOf(node.properties().keySet()),
                    field -> Optional.ofNullable(fields.get(field)));
            structs.put(name, struct);
            return struct;
        }
        if (node.additionalProperties() != null) {
            return MapType.create(SimpleType.STRING, declare(node.additionalProperties(), name + ".values"));
        }
        return SimpleType.DYN;
    }
}
