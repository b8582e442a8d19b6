package dev.mizzen.bench.jmh;

import dev.mizzen.bench.mesh.MeshShape;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.networking.grpcgen.GrpcGenerator;
import dev.mizzen.pilot.xds.PushSnapshot;
import dev.mizzen.pilot.xds.TypeUrls;
import dev.mizzen.pilot.xds.XdsResource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The proxyless generator over the whole mesh: one proxy asking for every service's listener, route
 * config, clusters (default and subsets) or endpoints. {@code cold} starts from an empty cache, as the
 * first proxy of a group does in a full push; {@code warm} hits the cache, as every other proxy does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GrpcGeneratorBenchmark {
    @Param({"1000"})
    int services;

    @Param({"LDS", "RDS", "CDS", "EDS"})
    String type;

    @Param({"cold", "warm"})
    String cache;

    private final GrpcGenerator generator = new GrpcGenerator();
    private PushContext context;
    private PushSnapshot warm;
    private Proxy proxy;
    private String typeUrl;
    private Set<String> names;

    @Setup
    public void setUp() {
        BenchModel model = BenchModel.of(new MeshShape(services, 20, 10, 5, 10));
        MeshShape shape = model.shape();
        context = model.pushContext(1);
        proxy = model.grpcProxy(0);
        typeUrl = switch (type) {
            case "LDS" -> TypeUrls.LISTENER;
            case "RDS" -> TypeUrls.ROUTE;
            case "CDS" -> TypeUrls.CLUSTER;
            case "EDS" -> TypeUrls.ENDPOINT;
            default -> throw new IllegalArgumentException(type);
        };
        names = new TreeSet<>();
        for (int s = 0; s < shape.services(); s++) {
            switch (type) {
                case "LDS" -> names.add(shape.listenerName(s));
                case "RDS" -> names.add(shape.routeName(s));
                default -> {
                    names.add(shape.clusterName(s, ""));
                    if (shape.hasRules(s)) {
                        for (String subset : MeshShape.SUBSETS) {
                            names.add(shape.clusterName(s, subset));
                        }
                    }
                }
            }
        }
        warm = PushSnapshot.fresh(context);
        generator.generate(proxy, warm, typeUrl, names);
    }

    @Benchmark
    public List<XdsResource> generate() {
        PushSnapshot snapshot = cache.equals("warm") ? warm : PushSnapshot.fresh(context);
        return generator.generate(proxy, snapshot, typeUrl, names);
    }
}
