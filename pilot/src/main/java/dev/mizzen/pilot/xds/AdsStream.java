package dev.mizzen.pilot.xds;

import dev.mizzen.api.identity.CallerCredentials;
import dev.mizzen.api.logging.ClientText;
import dev.mizzen.api.logging.LogThrottle;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.networking.envoy.secret.SecretName;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * What both ADS variants share: admitting the stream on its first request ({@link ProxyAdmission}: limits,
 * identity), the stream's life (errors, completion, refusal), the bounds on what a request may ask, and the
 * status it reports. Subclasses handle requests and pushes.
 *
 * <p>Threading: gRPC delivers requests on its executor, admission completes on whatever thread answered it,
 * pushes arrive from the push executor; all take this object's lock, so state and the response stream see one
 * order. Requests that arrive while admission is in flight wait in a short queue, in order.
 *
 * @param <Q> the request message
 * @param <R> the response message
 */
abstract class AdsStream<Q, R> implements StreamObserver<Q>, ProxyStream {
    private static final Logger LOG = LoggerFactory.getLogger(AdsStream.class);
    /** How many refused secret names a stream remembers not to log again. */
    private static final int LOGGED_SECRETS = 64;

    private final long id;
    protected final ServerCallStreamObserver<R> out;
    protected final AdsServer server;
    private final Optional<CallerCredentials> credentials;
    protected Proxy proxy;
    protected XdsGenerator generator;
    protected int nackCount;
    private long nonces;
    private boolean closed;
    private CompletableFuture<Proxy> admission;
    private final Queue<Q> waiting = new ArrayDeque<>();
    /** types whose push waits until the proxy has read what it was sent before */
    private final Set<String> deferred = new HashSet<>();
    private final LogThrottle nackLog = new LogThrottle(5, Duration.ofSeconds(10));
    private final Set<String> refusedSecrets = new HashSet<>();

    /** What a type's subscription looks like from outside, for the status. */
    protected record TypeView(String type, String sentVersion, String ackedVersion, List<XdsResource> held,
                              Set<String> names, boolean wildcard) {
    }

    /**
     * @param credentials what the caller presented on the authenticated port; empty on the plaintext port
     */
    AdsStream(long id, ServerCallStreamObserver<R> out, AdsServer server, Optional<CallerCredentials> credentials) {
        this.id = id;
        this.out = out;
        this.server = server;
        this.credentials = credentials;
        out.setOnReadyHandler(this::onReady);
    }

    /**
     * True when a push of {@code type} has to wait because the proxy has not read what it was sent (gRPC's
     * buffer for the stream is full); it is then made once the stream drains, from the config of that
     * moment. A slow proxy so gets the latest config when it catches up, not a queue of every version
     * in between held in istiod's memory. Answers to requests are never deferred.
     */
    protected final boolean deferIfBusy(String type) {
        if (out.isReady()) {
            return false;
        }
        deferred.add(type);
        return true;
    }

    /** Makes a push of {@code type} that {@link #deferIfBusy} held back; called with this object's lock held. */
    protected abstract void pushDeferred(String type);

    private void onReady() {
        try {
            synchronized (this) {
                if (!isOpen() || deferred.isEmpty()) {
                    return;
                }
                List<String> types = TypeUrls.PUSH_ORDER.stream().filter(deferred::contains).toList();
                deferred.clear();
                types.forEach(this::pushDeferred);
            }
        } catch (RuntimeException e) {
            LOG.error("ADS stream {} of {}: deferred push failed", id, proxy == null ? "?" : proxy.id(), e);
        }
    }

    @Override
    public final long id() {
        return id;
    }

    protected abstract Node node(Q request);

    protected abstract boolean hasNode(Q request);

    /** How many resource names the request carries (subscribed, unsubscribed, held): what it may make us keep. */
    protected abstract int nameCount(Q request);

    /** Handles a request of an admitted, open stream; called with this object's lock held. */
    protected abstract void handle(Q request);

    protected abstract Collection<TypeView> views();

    @Override
    public final void onNext(Q request) {
        try {
            synchronized (this) {
                if (closed) {
                    return;
                }
                if (nameCount(request) > server.limits().maxNamesPerRequest()) {
                    close(Status.RESOURCE_EXHAUSTED.withDescription("a request may name at most "
                            + server.limits().maxNamesPerRequest() + " resources"));
                    return;
                }
                if (proxy != null) {
                    handle(request);
                } else if (admission == null) {
                    admit(request);
                } else if (waiting.size() < server.limits().maxQueuedRequests()) {
                    waiting.add(request);
                } else {
                    close(Status.RESOURCE_EXHAUSTED.withDescription("more than " + server.limits().maxQueuedRequests()
                            + " requests before the stream was admitted"));
                }
            }
        } catch (RuntimeException e) {
            LOG.error("ADS stream {} of {}: request failed", id, proxy == null ? "?" : ClientText.name(proxy.id(), 256), e);
            close(Status.INTERNAL.withDescription("request failed: " + e.getMessage()));
        }
    }

    private void admit(Q first) {
        if (!hasNode(first)) {
            close(Status.INVALID_ARGUMENT.withDescription("the first request of a stream must carry the node"));
            return;
        }
        waiting.add(first);
        admission = server.admission().admit(id, node(first), credentials);
        admission.whenComplete(this::admitted);
    }

    private void admitted(Proxy admitted, Throwable failure) {
        try {
            synchronized (this) {
                if (closed) {
                    return;
                }
                if (failure != null) {
                    close(ProxyAdmission.statusOf(failure));
                    return;
                }
                Optional<XdsGenerator> chosen = server.generatorFor(admitted);
                if (chosen.isEmpty()) {
                    LOG.warn("{} refused: no generator serves this kind of proxy", ClientText.name(admitted.id(), 256));
                    close(Status.UNIMPLEMENTED.withDescription("no generator for this kind of proxy"));
                    return;
                }
                proxy = admitted;
                generator = chosen.get();
                server.register(this);
                LOG.info("{} connected (stream {}, {})", ClientText.name(proxy.id(), 256), id, proxy.identity());
                while (!closed && !waiting.isEmpty()) {
                    handle(waiting.poll());
                }
            }
        } catch (RuntimeException e) {
            LOG.error("ADS stream {}: admission failed", id, e);
            close(Status.INTERNAL.withDescription("request failed: " + e.getMessage()));
        }
    }

    protected final boolean isOpen() {
        return proxy != null && !closed;
    }

    protected final String nextNonce() {
        return Long.toString(++nonces);
    }

    /** Counts and logs a rejection, the client's text escaped and cut, at most a few lines per proxy. */
    protected final void rejected(String type, String version, String detail) {
        nackCount++;
        server.rejects.increment();
        nackLog.admit().ifPresent(dropped -> LOG.warn("NACK from {} for {} version {}: {}{}",
                ClientText.name(proxy.id(), 256), TypeUrls.shortName(type), ClientText.name(version, 64),
                ClientText.quote(detail), LogThrottle.dropped(dropped)));
    }

    /**
     * Says once per proxy and name which of the Secrets it asked for it may not have (and counts it): istiod
     * answers as if they did not exist, so the proxy alone cannot tell.
     */
    protected final void checkSecretAccess(Collection<String> names) {
        for (String name : names) {
            Optional<SecretName> secret = SecretName.parse(name, proxy);
            if (secret.isPresent() && !secret.get().readableBy(proxy) && refusedSecrets.size() < LOGGED_SECRETS
                    && refusedSecrets.add(name)) {
                server.secretRefusals.increment();
                LOG.warn("{} ({}) may not receive {}: {}", ClientText.name(proxy.id(), 256), proxy.identity(),
                        ClientText.quote(name, 256), proxy.identity().verified().isEmpty()
                                ? "it connected without an identity (use the authenticated port)"
                                : "secrets of another namespace, or its service account may not read secrets");
            }
        }
    }

    protected final void send(R response) {
        out.onNext(response);
        server.responses.increment();
    }

    @Override
    public final synchronized Optional<ConnectionStatus> status() {
        if (proxy == null || closed) {
            return Optional.empty();
        }
        Map<String, String> sent = new HashMap<>();
        Map<String, String> acked = new HashMap<>();
        Map<String, List<XdsResource>> held = new HashMap<>();
        Map<String, Set<String>> subscribed = new HashMap<>();
        Set<String> wildcards = new HashSet<>();
        for (TypeView v : views()) {
            if (v.sentVersion() != null) {
                sent.put(v.type(), v.sentVersion());
            }
            if (v.ackedVersion() != null) {
                acked.put(v.type(), v.ackedVersion());
            }
            held.put(v.type(), v.held());
            subscribed.put(v.type(), v.names());
            if (v.wildcard()) {
                wildcards.add(v.type());
            }
        }
        return Optional.of(new ConnectionStatus(proxy.id(), sent, acked, nackCount,
                StreamBinding.subscribedToAllReferences(held, subscribed, wildcards)));
    }

    @Override
    public final void onError(Throwable t) {
        disconnect("stream error: " + Status.fromThrowable(t).getCode());
    }

    @Override
    public final void onCompleted() {
        synchronized (this) {
            if (!closed) {
                out.onCompleted();
            }
        }
        disconnect("stream closed");
    }

    /** Marks the stream closed under the lock first, so an admission that completes later cannot register it. */
    private void disconnect(String why) {
        synchronized (this) {
            closed = true;
            waiting.clear();
            if (proxy != null) {
                LOG.info("{} disconnected ({})", ClientText.name(proxy.id(), 256), why);
            }
        }
        server.unregister(this);
    }

    protected final synchronized void close(Status status) {
        if (!closed) {
            closed = true;
            waiting.clear();
            server.unregister(this);
            out.onError(status.asRuntimeException());
        }
    }
}
