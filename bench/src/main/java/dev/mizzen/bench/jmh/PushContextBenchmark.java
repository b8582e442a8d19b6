package dev.mizzen.bench.jmh;

import dev.mizzen.bench.mesh.MeshShape;
import dev.mizzen.pilot.model.PushContext;
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

import java.util.concurrent.TimeUnit;

/** Building a PushContext (indexing services, VirtualServices, DestinationRules) for the whole mesh. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PushContextBenchmark {
    @Param({"1000"})
    int services;

    @Param({"20"})
    int endpoints;

    private BenchModel model;
    private long version;

    @Setup
    public void setUp() {
        model = BenchModel.of(new MeshShape(services, endpoints, 10, 5, 10));
    }

    @Benchmark
    public PushContext build() {
        return model.pushContext(++version);
    }
}
