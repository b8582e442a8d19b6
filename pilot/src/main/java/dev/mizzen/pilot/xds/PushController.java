package dev.mizzen.pilot.xds;

import dev.mizzen.api.config.ConfigStore;
import dev.mizzen.pilot.model.MeshSettings;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.model.ReferenceCheck;
import dev.mizzen.pilot.push.Debouncer;
import dev.mizzen.pilot.push.PushListener;
import dev.mizzen.pilot.push.PushRequest;
import dev.mizzen.pilot.serviceregistry.ServiceRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Turns debounced push requests into pushes: a full request builds a new {@link PushContext} from one view
 * of the registry and the config store; an endpoint-only request keeps the config and its cached
 * resources, refreshing only the endpoints of the services that changed.
 *
 * <p>Threading: {@link #listener()} may be called from any thread; pushes run one at a time on the
 * debouncer's thread, which is the only writer of the current snapshot.
 */
public final class PushController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PushController.class);

    private final MeshSettings mesh;
    private final ServiceRegistry registry;
    private final ConfigStore configs;
    private final AdsServer ads;
    private final Debouncer debouncer;
    private final Timer fullPushes;
    private final Timer endpointPushes;
    private PushSnapshot current;
    private long versions;
    private Set<String> knownProblems = new HashSet<>();
    private final List<Consumer<PushRequest>> observers = new CopyOnWriteArrayList<>();

    public PushController(MeshSettings mesh, ServiceRegistry registry, ConfigStore configs, AdsServer ads,
                          Debouncer.Settings debounce, MeterRegistry meters) {
        this.mesh = mesh;
        this.registry = registry;
        this.configs = configs;
        this.ads = ads;
        this.debouncer = new Debouncer(debounce, this::push);
        this.fullPushes = Timer.builder("pilot_push_time").tag("type", "full").register(meters);
        this.endpointPushes = Timer.builder("pilot_push_time").tag("type", "eds").register(meters);
    }

    /** Where the registry and the config store send their push requests. */
    public PushListener listener() {
        return debouncer;
    }

    /** Builds the first push context; call once the registry and the config store have synced. */
    public synchronized void initialize() {
        current = PushSnapshot.fresh(build());
        ads.initialize(current);
    }

    private PushContext build() {
        PushContext context = PushContext.build(++versions, mesh, registry.snapshot(), configs);
        Set<String> problems = ReferenceCheck.problems(context);
        for (String problem : problems) {
            if (!knownProblems.contains(problem)) {
                LOG.warn("{}", problem);
            }
        }
        knownProblems = problems;
        return context;
    }

    synchronized void push(PushRequest request) {
        long start = System.nanoTime();
        if (request.isFull() || current == null) {
            current = PushSnapshot.fresh(build());
        } else {
            current = new PushSnapshot(current.context().withRegistry(++versions, registry.snapshot()),
                    current.cache().withoutEndpointsOf(request.hostsUpdated()));
        }
        ads.push(current, request);
        long nanos = System.nanoTime() - start;
        (request.isFull() ? fullPushes : endpointPushes).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        LOG.debug("push {} ({}) done in {} ms", current.context().version(), request, nanos / 1_000_000);
        observers.forEach(o -> o.accept(request));
    }

    /** Hears about every push once it was sent to all proxies (tools and tests wait on it). */
    public void addObserver(Consumer<PushRequest> observer) {
        observers.add(observer);
    }

    @Override
    public void close() {
        debouncer.close();
    }
}
