package dev.mizzen.pilot.push;

import dev.mizzen.api.config.ChangeEvent;
import dev.mizzen.api.config.ConfigStore;
import dev.mizzen.pilot.model.MeshSettings;
import dev.mizzen.pilot.model.PolicyCheck;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.model.ReferenceCheck;
import dev.mizzen.pilot.security.authn.JwksCache;
import dev.mizzen.pilot.serviceregistry.ServiceRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The push pipeline in one place: it hears every change of the service registry, the config store and istiod's
 * JWT key cache (one kind of event), turns each into a {@link PushRequest} ({@link PushRequests}), debounces them ({@link Debouncer}),
 * and for each merged request builds the push context and hands it to the {@link PushTarget}: a full request
 * builds a new {@link PushContext} from one snapshot of each source; an endpoint-only request keeps the config
 * and takes the registry's new endpoints. Problems the config has (references that point nowhere, what the
 * translation of AuthorizationPolicies drops) are logged once, when they first appear, never per proxy.
 *
 * <p>Threading: sources call {@link #onChange} on their threads; it only merges. Pushes run one at a time on
 * the debouncer's thread, the only writer of the current context.
 */
public final class PushController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PushController.class);

    private final MeshSettings mesh;
    private final ServiceRegistry registry;
    private final ConfigStore configs;
    private final JwksCache jwks;
    private final PushTarget target;
    private final Debouncer debouncer;
    private final Timer fullPushes;
    private final Timer endpointPushes;
    private final PushMetrics metrics;
    /** when the first change not yet pushed was heard ({@link System#nanoTime()}); 0 when none waits */
    private final java.util.concurrent.atomic.AtomicLong firstChange = new java.util.concurrent.atomic.AtomicLong();
    private final java.time.Clock clock = java.time.Clock.systemUTC();
    private volatile PushStatus lastPush;
    private volatile PushContext current;
    private long versions;
    private Set<String> knownProblems = new HashSet<>();
    private final List<Consumer<PushRequest>> observers = new CopyOnWriteArrayList<>();

    /** @param jwks istiod's JWT key cache: each push context reads the keys it needs from it once */
    public PushController(MeshSettings mesh, ServiceRegistry registry, ConfigStore configs, JwksCache jwks,
                          PushTarget target, Debouncer.Settings debounce, MeterRegistry meters) {
        this.mesh = mesh;
        this.registry = registry;
        this.configs = configs;
        this.jwks = jwks;
        this.target = target;
        this.debouncer = new Debouncer(debounce, this::push);
        this.fullPushes = Timer.builder("pilot_push_time").tag("type", "full")
                .description("Time of a push: building the push context and sending it to every proxy.").register(meters);
        this.endpointPushes = Timer.builder("pilot_push_time").tag("type", "eds")
                .description("Time of a push: building the push context and sending it to every proxy.").register(meters);
        this.metrics = new PushMetrics(meters, () -> current);
        registry.addListener(this::onChange);
        configs.addListener(this::onChange);
        jwks.addListener(this::onChange);
    }

    private void onChange(ChangeEvent event) {
        PushRequest request = PushRequests.of(event);
        firstChange.compareAndSet(0, System.nanoTime());
        metrics.triggered(request);
        debouncer.onPush(request);
    }

    /** Builds the first push context; call once the registry and the config store have synced. */
    public synchronized void initialize() {
        java.time.Instant startedAt = clock.instant();
        current = build();
        target.initialize(current);
        lastPush = PushMetrics.status(current, PushRequest.full("initial"), startedAt, clock.instant(), knownProblems);
    }

    private PushContext build() {
        long start = System.nanoTime();
        PushContext context = PushContext.build(++versions, mesh, registry.snapshot(), configs.snapshot(), jwks);
        metrics.contextBuilt(System.nanoTime() - start);
        Set<String> problems = new TreeSet<>(ReferenceCheck.problems(context));
        problems.addAll(PolicyCheck.problems(context));
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
        java.time.Instant startedAt = clock.instant();
        long first = firstChange.getAndSet(0);
        first = first == 0 ? start : first;
        metrics.debounced(start - first);
        current = request.isFull() || current == null ? build() : current.withEndpoints(++versions, registry.snapshot());
        target.push(current, request, first);
        long nanos = System.nanoTime() - start;
        lastPush = PushMetrics.status(current, request, startedAt, clock.instant(), knownProblems);
        (request.isFull() ? fullPushes : endpointPushes).record(nanos, TimeUnit.NANOSECONDS);
        LOG.debug("push {} ({}) done in {} ms", current.version(), request, nanos / 1_000_000);
        observers.forEach(o -> o.accept(request));
    }

    /** The push context being served, for the debug views; empty before {@link #initialize()}. */
    public java.util.Optional<PushContext> current() {
        return java.util.Optional.ofNullable(current);
    }

    /** The last push, for the debug views; empty before the first push after start. */
    public java.util.Optional<PushStatus> lastPush() {
        return java.util.Optional.ofNullable(lastPush);
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
