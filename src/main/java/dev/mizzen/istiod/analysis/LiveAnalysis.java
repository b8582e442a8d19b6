package dev.mizzen.istiod.analysis;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.mizzen.api.config.ConfigSnapshot;
import dev.mizzen.api.config.ConfigStore;
import dev.mizzen.api.kube.KubeInformers;
import dev.mizzen.galley.analysis.AnalysisInput;
import dev.mizzen.galley.analysis.Analyzers;
import dev.mizzen.galley.analysis.DiagMessage;
import dev.mizzen.galley.analysis.KubeNamespace;
import dev.mizzen.galley.analysis.KubeObjects;
import dev.mizzen.galley.analysis.KubeSecret;
import dev.mizzen.galley.analysis.KubeService;
import dev.mizzen.galley.analysis.KubeWorkload;
import dev.mizzen.galley.analysis.Level;
import dev.mizzen.galley.analysis.MeshOptions;
import dev.mizzen.pilot.serviceregistry.kube.KubeServiceRegistry;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Analysis of the live mesh: after each push, Istio's cross-object checks over the config store's snapshot and
 * the informers' Services, Pods, Namespaces and credential Secrets (reduced to their certificates' validity); the
 * latest messages are served on {@code /debug/analyze} and counted by level in the gauge
 * {@code istiod_analysis_messages}.
 *
 * <p>Concurrency: {@link #requestAnalysis()} is called on the push thread and only flags work; one daemon thread
 * runs analyses, at most one queued behind the one running (later requests coalesce into it), started no sooner
 * than Istio's analysis interval after the previous one ({@link AnalysisPace}), so pushes cost at most one
 * analysis per interval and never wait for one. The thread is the only writer of {@code latest},
 * a volatile immutable list that readers (the monitoring server's threads) read whole. Listeners (the status writes)
 * are told each result on that thread, after {@code latest} is set.
 */
public final class LiveAnalysis implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveAnalysis.class);

    private final ConfigStore configs;
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<Namespace> namespaces;
    private final SharedIndexInformer<Secret> secrets;
    private final MeshOptions mesh;
    private final KubernetesSerialization serialization = new KubernetesSerialization();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(
            new ThreadFactoryBuilder().setNameFormat("live-analysis").setDaemon(true).build());
    private final AnalysisPace pace;
    private final AtomicBoolean queued = new AtomicBoolean();
    private volatile List<DiagMessage> latest = List.of();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Counter runs;

    /** Told each analysis's result, on the analysis thread: hand slow work (writes) to a thread of its own. */
    public interface Listener {
        /** The messages of one analysis of {@code snapshot} (and the registry at that moment). */
        void analyzed(ConfigSnapshot snapshot, List<DiagMessage> messages);
    }
    private final Converted<Service, KubeService> convertedServices = new Converted<>();
    private final Converted<Pod, KubeWorkload> convertedPods = new Converted<>();
    private final Converted<Namespace, KubeNamespace> convertedNamespaces = new Converted<>();
    // Secrets too: converting one parses its certificate
    private final Converted<Secret, KubeSecret> convertedSecrets = new Converted<>();

    /** Registers its informers: call before the informers start. */
    public LiveAnalysis(KubeInformers informers, ConfigStore configs, MeshOptions mesh, MeterRegistry meters) {
        this(informers, configs, mesh, meters, AnalysisPace.ISTIO_INTERVAL);
    }

    /** With another interval between analyses: tests. */
    LiveAnalysis(KubeInformers informers, ConfigStore configs, MeshOptions mesh, MeterRegistry meters,
                 java.time.Duration interval) {
        this.pace = new AnalysisPace(interval);
        this.configs = configs;
        this.services = informers.of(Service.class);
        this.pods = informers.of(Pod.class);
        this.namespaces = informers.of(Namespace.class);
        this.secrets = informers.of(Secret.class, KubeServiceRegistry.CREDENTIAL_SECRETS); // the registry's watch
        this.mesh = mesh;
        this.runs = Counter.builder("istiod_analysis_runs").description("Live analyses of the mesh run").register(meters);
        for (Level level : Level.values()) {
            Gauge.builder("istiod_analysis_messages", this, a -> a.count(level))
                    .description("Analysis messages about the live mesh after the last push, by level")
                    .tag("level", level.text()).register(meters);
        }
    }

    /** Asks for an analysis of the current state; returns at once. */
    public void requestAnalysis() {
        if (queued.compareAndSet(false, true)) {
            long delay;
            synchronized (pace) {
                delay = pace.delayNanos(System.nanoTime());
            }
            worker.schedule(() -> {
                queued.set(false);
                synchronized (pace) {
                    pace.started(System.nanoTime());
                }
                try {
                    ConfigSnapshot snapshot = configs.snapshot();
                    List<DiagMessage> messages = analyze(snapshot);
                    latest = messages;
                    runs.increment();
                    for (Listener listener : listeners) {
                        listener.analyzed(snapshot, messages);
                    }
                } catch (RuntimeException e) {
                    LOG.warn("live analysis failed: {}", e.toString());
                }
            }, delay, TimeUnit.NANOSECONDS);
        }
    }

    /** Runs one analysis on the caller's thread. */
    public List<DiagMessage> analyzeNow() {
        return analyze(configs.snapshot());
    }

    /** Adds a listener of every later analysis. */
    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    private List<DiagMessage> analyze(ConfigSnapshot snapshot) {
        List<KubeService> svc = convertedServices.of(services.getStore().list(), o -> convert(o, m -> KubeObjects.service(m, "")));
        List<KubeWorkload> wl = convertedPods.of(pods.getStore().list(), o -> convert(o, m -> KubeObjects.workload(m, "")));
        List<KubeNamespace> ns = convertedNamespaces.of(namespaces.getStore().list(), o -> convert(o, KubeObjects::namespace));
        List<KubeSecret> sec = convertedSecrets.of(secrets.getStore().list(), o -> convert(o, m -> KubeObjects.secret(m, "")));
        return Analyzers.analyze(new AnalysisInput(snapshot, svc, wl, ns, mesh, List.of()).withSecrets(sec));
    }

    @SuppressWarnings("unchecked")
    private <R> R convert(HasMetadata object, Function<Map<String, Object>, R> to) {
        return to.apply((Map<String, Object>) serialization.convertValue(object, Map.class));
    }

    /**
     * The converted form of the informers' objects by namespace, name and resourceVersion: an object that did not
     * change since the last analysis is not converted again (converting every Pod through Jackson was most of an
     * analysis). Keeps only the objects of the last analysis. Thread-safe (analyses may run on a caller's thread).
     */
    private static final class Converted<T extends HasMetadata, R> {
        private record Entry<R>(String resourceVersion, R value) {
        }

        private Map<String, Entry<R>> byName = new java.util.HashMap<>();

        synchronized List<R> of(List<T> objects, Function<T, R> convert) {
            Map<String, Entry<R>> next = new java.util.HashMap<>(objects.size() * 2);
            List<R> out = new java.util.ArrayList<>(objects.size());
            for (T o : objects) {
                String key = o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
                String version = o.getMetadata().getResourceVersion();
                Entry<R> entry = byName.get(key);
                if (entry == null || version == null || !version.equals(entry.resourceVersion())) {
                    entry = new Entry<>(version, convert.apply(o));
                }
                next.put(key, entry);
                out.add(entry.value());
            }
            byName = next;
            return out;
        }
    }

    /** The messages of the last analysis, in istioctl's order. */
    public List<DiagMessage> latest() {
        return latest;
    }

    /** {@code /debug/analyze}: one istioctl log line per message. */
    public String page() {
        List<DiagMessage> messages = latest;
        if (messages.isEmpty()) {
            return "No validation issues found.\n";
        }
        return messages.stream().map(DiagMessage::toString).collect(Collectors.joining("\n", "", "\n"));
    }

    private double count(Level level) {
        return latest.stream().filter(m -> m.level() == level).count();
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
