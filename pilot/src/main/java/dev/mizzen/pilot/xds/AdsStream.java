package dev.mizzen.pilot.xds;

import dev.mizzen.api.identity.CallerCredentials;
import dev.mizzen.api.logging.ClientText;
import dev.mizzen.api.logging.LogThrottle;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.SecretName;
import dev.mizzen.pilot.push.PushRequest;
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
 * One ADS stream of one proxy, in either variant. It admits the stream on its first request, keeps a
 * {@link Subscription} per type, handles requests (subscriptions, ACKs, NACKs) and pushes the same way for
 * both variants; the variants differ only in how they decode a request and how they answer ({@link SotwStream},
 * {@link DeltaStream}).
 *
 * <p>Threading: gRPC delivers requests on its executor, admission completes on whatever thread answered it,
 * pushes arrive from the push executor; all take this object's lock, so state and the response stream see one
 * order. Requests that arrive while admission is in flight wait in a short queue, in order.
 *
 * <p>Memory: a server keeps thousands of these for as long as their proxies stay connected, so a stream keeps
 * what it needs after admission only: no credentials, no queue, no node; collections that few streams ever
 * use (refused secret names, a NACK log throttle) are made on first use.
 *
 * @param <Q> the request message
 * @param <R> the response message
 */
abstract class AdsStream<Q, R> implements StreamObserver<Q>, ProxyStream {
    private static final Logger LOG = LoggerFactory.getLogger(AdsStream.class);
    /** How many refused secret names a stream remembers not to log again. */
    private static final int LOGGED_SECRETS = 64;

    private final long id;
    private final ServerCallStreamObserver<R> out;
    protected final StreamContext context;
    /** what the caller presented; needed to admit it only, then dropped (a client certificate chain weighs KBs) */
    private Optional<CallerCredentials> credentials;
    private final String peerAddress;
    private java.time.Instant connectedAt;
    protected Proxy proxy;
    protected XdsGenerator generator;
    private int nackCount;
    private long nonces;
    private boolean closed;
    /** true once the first request asked for admission */
    private boolean admitting;
    /** requests that arrived while admission was in flight; null before it and once it is over */
    private Queue<Q> waiting;
    /** by index in {@link TypeUrls#PUSH_ORDER}; null for a type not subscribed */
    private final Subscription[] subscriptions = new Subscription[TypeUrls.PUSH_ORDER.size()];
    private LogThrottle nackLog;
    private Set<String> refusedSecrets;

    /**
     * @param peer what the caller presented on the authenticated port (nothing on the plaintext port), its address
     */
    AdsStream(long id, ServerCallStreamObserver<R> out, StreamContext context, StreamPeer peer) {
        this.id = id;
        this.out = out;
        this.context = context;
        this.credentials = peer.credentials();
        this.peerAddress = peer.address();
        out.setOnReadyHandler(this::onReady);
    }

    @Override
    public final long id() {
        return id;
    }

    /** The node of a request, and whether it carries one (a stream's first request must). */
    protected abstract Optional<Node> node(Q request);

    /** The request as {@link #handle} reads it. */
    protected abstract XdsRequest decode(Q request);

    /** How many resource names the request carries (subscribed, unsubscribed, held): what it may make us keep. */
    protected abstract int nameCount(Q request);

    /**
     * True when a request answering an older response is ignored whole (state of the world: a newer response is
     * on its way and the request will be sent again); false when its subscription changes still count (delta).
     */
    protected abstract boolean ignoresStaleRequests();

    /** Remembers what a NACK rejected, so that it is never sent again. */
    protected abstract void rememberRejected(Subscription subscription);

    /** Sends what the subscription calls for now, or nothing when the proxy has it; called with the lock held. */
    protected abstract void answer(Subscription subscription, Subscription.Send send);

    @Override
    public final void onNext(Q request) {
        try {
            synchronized (this) {
                if (closed) {
                    return;
                }
                if (nameCount(request) > context.limits().maxNamesPerRequest()) {
                    close(Status.RESOURCE_EXHAUSTED.withDescription("a request may name at most "
                            + context.limits().maxNamesPerRequest() + " resources"));
                    return;
                }
                if (proxy != null) {
                    handle(decode(request));
                } else if (!admitting) {
                    admit(request);
                } else if (waiting.size() < context.limits().maxQueuedRequests()) {
                    waiting.add(request);
                } else {
                    close(Status.RESOURCE_EXHAUSTED.withDescription("more than " + context.limits().maxQueuedRequests()
                            + " requests before the stream was admitted"));
                }
            }
        } catch (io.grpc.StatusRuntimeException e) {
            close(e.getStatus()); // the client's fault (names that are not UTF-8): said to it, not logged
        } catch (RuntimeException e) {
            LOG.error("ADS stream {} of {}: request failed", id, proxy == null ? "?" : ClientText.name(proxy.id(), 256), e);
            close(Status.INTERNAL.withDescription("request failed: " + e.getMessage()));
        }
    }

    private void admit(Q first) {
        Optional<Node> node = node(first);
        if (node.isEmpty()) {
            close(Status.INVALID_ARGUMENT.withDescription("the first request of a stream must carry the node"));
            return;
        }
        admitting = true;
        waiting = new ArrayDeque<>(2);
        waiting.add(first);
        Optional<CallerCredentials> presented = credentials;
        credentials = null;
        context.admit(id, node.get(), presented).whenComplete(this::admitted);
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
                Optional<XdsGenerator> chosen = context.generatorFor(admitted);
                if (chosen.isEmpty()) {
                    LOG.warn("{} refused: no generator serves this kind of proxy", ClientText.name(admitted.id(), 256));
                    close(Status.UNIMPLEMENTED.withDescription("no generator for this kind of proxy"));
                    return;
                }
                proxy = admitted;
                generator = chosen.get();
                connectedAt = context.clock().instant();
                context.opened(this);
                LOG.info("{} connected (stream {}, {})", ClientText.name(proxy.id(), 256), id, proxy.identity());
                while (!closed && !waiting.isEmpty()) {
                    handle(decode(waiting.poll()));
                }
                waiting = null;
            }
        } catch (io.grpc.StatusRuntimeException e) {
            close(e.getStatus());
        } catch (RuntimeException e) {
            LOG.error("ADS stream {}: admission failed", id, e);
            close(Status.INTERNAL.withDescription("request failed: " + e.getMessage()));
        }
    }

    /** Subscriptions, ACKs and NACKs, alike for both variants; called with the lock held. */
    private void handle(XdsRequest request) {
        if (request.typeUrl().startsWith(XdsDebug.DEBUG_TYPE)) {
            // one answer per request, as Istio serves them: no subscription, no ACK expected, never pushed again
            answerDebug(request);
            return;
        }
        int known = TypeUrls.PUSH_ORDER.indexOf(request.typeUrl());
        if (known < 0) {
            LOG.debug("{} asked for unsupported type {}", ClientText.name(proxy.id(), 256),
                    ClientText.quote(request.typeUrl(), 128));
            return;
        }
        // the constant and canonical names: cache keys built from them compare by reference
        String type = TypeUrls.PUSH_ORDER.get(known);
        Subscription subscription = subscriptions[known];
        boolean first = subscription == null;
        if (first) {
            subscription = new Subscription(type, Subscription.startsAsWildcard(type, request.names().asked()));
            subscription.hold(request.initialVersions());
            subscriptions[known] = subscription;
        }
        // a first request that carries a nonce answers a response of an earlier stream (istiod restarted, or a
        // client such as Istio's adsc that always sets one): like Istio, treat it as a new subscription
        if (!request.nonce().isEmpty() && !first) {
            if (subscription.sentNonce != 0 && request.nonce().equals(Long.toString(subscription.sentNonce))) {
                if (request.errorDetail().isPresent()) {
                    rememberRejected(subscription);
                    rejected(type, subscription.sentVersion, request.errorDetail().get());
                    subscription.lastError = ClientText.quote(request.errorDetail().get(), 512);
                } else {
                    subscription.hold(subscription.pending);
                    subscription.ackedVersion = subscription.sentVersion;
                    subscription.ackedNonce = subscription.sentNonce;
                    subscription.lastError = null;
                }
                subscription.pending = Map.of();
            } else if (ignoresStaleRequests()) {
                context.metrics().expiredNonce(type);
                return; // answers a response that was superseded
            }
        }
        boolean changed = request.names().applyTo(subscription) || first;
        if (subscription.names.size() > context.limits().maxNamesPerRequest()) {
            close(Status.RESOURCE_EXHAUSTED.withDescription("a subscription may name at most "
                    + context.limits().maxNamesPerRequest() + " resources"));
            return;
        }
        if (changed) {
            if (type.equals(TypeUrls.SECRET)) {
                checkSecretAccess(subscription.names);
            }
            answer(subscription, Subscription.Send.ALWAYS);
        }
    }

    @Override
    public final synchronized boolean push(PushRequest request, PushScope scope) {
        if (!isOpen() || !scope.concerns(proxy)) {
            return false;
        }
        for (Subscription subscription : subscriptions) {
            if (subscription != null && scope.concernsType(subscription.type) && subscription.concerns(request)) {
                Subscription.Send send = subscription.sendFor(request);
                if (out.isReady()) {
                    answer(subscription, send);
                } else {
                    // the proxy has not read what it was sent: push once the stream drains, from the config of
                    // that moment, instead of queueing every version in between in istiod's memory
                    subscription.defer(send);
                }
            }
        }
        return true;
    }

    @Override
    public final synchronized Proxy proxy() {
        return proxy;
    }

    private void onReady() {
        try {
            synchronized (this) {
                if (!isOpen()) {
                    return;
                }
                for (Subscription subscription : subscriptions) {
                    if (subscription != null && subscription.deferred != null && out.isReady()) {
                        Subscription.Send send = subscription.deferred;
                        subscription.deferred = null;
                        answer(subscription, send);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.error("ADS stream {} of {}: deferred push failed", id, proxy == null ? "?" : proxy.id(), e);
        }
    }

    protected final boolean isOpen() {
        return proxy != null && !closed;
    }

    /** The next nonce of this stream: 1, 2, ... (0 stands for none in a {@link Subscription}). */
    protected final long nextNonce() {
        return ++nonces;
    }

    /** Counts and logs a rejection, the client's text escaped and cut, at most a few lines per proxy. */
    private void rejected(String type, String version, String detail) {
        nackCount++;
        context.metrics().rejected(type);
        if (nackLog == null) {
            nackLog = new LogThrottle(5, Duration.ofSeconds(10));
        }
        nackLog.admit().ifPresent(dropped -> LOG.warn("NACK from {} for {} version {}: {}{}",
                ClientText.name(proxy.id(), 256), TypeUrls.shortName(type), ClientText.name(version, 64),
                ClientText.quote(detail), LogThrottle.dropped(dropped)));
    }

    /**
     * Says once per proxy and name which of the Secrets it asked for it may not have (and counts it): istiod
     * answers as if they did not exist, so the proxy alone cannot tell.
     */
    private void checkSecretAccess(Collection<String> names) {
        for (String name : names) {
            Optional<SecretName> secret = SecretName.parse(name, proxy);
            if (secret.isPresent() && !secret.get().readableBy(proxy)) {
                if (refusedSecrets == null) {
                    refusedSecrets = new HashSet<>();
                }
                if (refusedSecrets.size() >= LOGGED_SECRETS || !refusedSecrets.add(name)) {
                    continue;
                }
                context.metrics().secretRefusals.increment();
                LOG.warn("{} ({}) may not receive {}: {}", ClientText.name(proxy.id(), 256), proxy.identity(),
                        ClientText.quote(name, 256), proxy.identity().verified().isEmpty()
                                ? "it connected without an identity (use the authenticated port)"
                                : "secrets of another namespace, or its service account may not read secrets");
            }
        }
    }

    /** Generates what a subscription holds now, from the current push; null before the first push. */
    protected final List<XdsResource> generate(Subscription subscription) {
        PushSnapshot snapshot = context.current();
        if (snapshot == null) {
            return null; // the first push will answer
        }
        return subscription.wantsAnything()
                ? generator.generate(proxy, snapshot, subscription.type, subscription.generatedNames()) : List.of();
    }

    /**
     * Sends a response of a subscription and records it: the nonce and time for the debug views; the count, size,
     * send time and push time (since {@code startNanos}, when the answer began: generation included) in Istio's
     * metrics.
     */
    protected final void send(Subscription subscription, long nonce, R response, long startNanos) {
        subscription.sentNonce = nonce;
        subscription.lastSentMillis = context.clock().millis();
        long before = System.nanoTime();
        out.onNext(response);
        long after = System.nanoTime();
        context.metrics().sent(subscription.type, ((com.google.protobuf.Message) response).getSerializedSize(),
                after - before, after - startNanos);
    }

    /** Sends a response that belongs to no subscription (the debug types). */
    protected final void sendUntracked(R response) {
        out.onNext(response);
    }

    /** Answers a debug type once: asked by an authenticated client, else the stream ends as Istio ends it. */
    private void answerDebug(XdsRequest request) {
        XdsDebug.Answer answer = context.debug().answer(proxy, request.typeUrl(), request.names().asked());
        if (answer.refusal().isPresent()) {
            close(answer.refusal().get());
            return;
        }
        answerDebug(request.typeUrl(), answer);
    }

    /** Sends a debug answer in this variant's response message; called with the lock held. */
    protected abstract void answerDebug(String typeUrl, XdsDebug.Answer answer);

    /** What the proxy was sent and acknowledged; empty before it was admitted and after it closed. */
    @Override
    public final synchronized Optional<ConnectionStatus> status() {
        if (proxy == null || closed) {
            return Optional.empty();
        }
        Map<String, ConnectionStatus.TypeStatus> types = new HashMap<>();
        List<Subscription> subscribed = subscribed();
        for (Subscription s : subscribed) {
            types.put(s.type, new ConnectionStatus.TypeStatus(s.type, nonce(s.sentNonce), nonce(s.ackedNonce),
                    orEmpty(s.sentVersion), orEmpty(s.ackedVersion),
                    s.lastSentMillis == 0 ? Optional.empty() : Optional.of(java.time.Instant.ofEpochMilli(s.lastSentMillis)),
                    Optional.ofNullable(s.lastError), s.wildcard, s.names, s.sent));
        }
        return Optional.of(new ConnectionStatus(proxy.id() + "-" + id, proxy, connectedAt, peerAddress, types, nackCount,
                References.allFollowed(subscribed)));
    }

    private List<Subscription> subscribed() {
        return java.util.Arrays.stream(subscriptions).filter(java.util.Objects::nonNull).toList();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String nonce(long nonce) {
        return nonce == 0 ? "" : Long.toString(nonce);
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

    /** Marks the stream closed under the lock first, so an admission that completes later cannot open it. */
    private void disconnect(String why) {
        synchronized (this) {
            closed = true;
            waiting = null;
            if (proxy != null) {
                LOG.info("{} disconnected ({})", ClientText.name(proxy.id(), 256), why);
            }
        }
        context.closed(this);
    }

    @Override
    public final void shed(Status status) {
        close(status);
    }

    protected final synchronized void close(Status status) {
        if (!closed) {
            closed = true;
            waiting = null;
            context.closed(this);
            out.onError(status.asRuntimeException());
        }
    }
}
