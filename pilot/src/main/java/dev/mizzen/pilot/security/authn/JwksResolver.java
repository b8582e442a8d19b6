package dev.mizzen.pilot.security.authn;

import dev.mizzen.api.config.ChangeEvent;
import dev.mizzen.api.config.ChangeListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * istiod's JWKS cache: keys are fetched by istiod and inlined into the jwt_authn filter, as Istio's
 * {@code JwksResolver} does by default ({@code pilot/pkg/model/jwks_resolver.go}: refresh every 20 minutes,
 * a key set that rejects every token while none could be fetched).
 * <p>
 * {@link #jwks} never does I/O: generators call it while building config. A miss (or a failed entry whose
 * retry is due) schedules a fetch on the executor and answers {@link FakeJwks} for now; when the keys of a
 * URI change (first fetch, rotation) its listeners hear a {@link ChangeEvent.JwksChanged}: the push controller
 * listens, as it listens to the config store and the registry, and pushes the new keys. A failed refresh keeps the last good keys. Responses are bounded ({@code maxResponseBytes}), the
 * cache too ({@code maxEntries}; entries unused for {@code evictAfterUnused} are dropped at the next refresh).
 * One log line per URI each time it starts failing, one when it recovers.
 * <p>
 * Concurrency: entries live in a ConcurrentHashMap; their fields are volatile and written only by fetch tasks,
 * which run on the single-threaded executor the caller gives (so fetches of one URI never overlap); the push
 * thread only reads them (into a {@link JwksSnapshot}) and stamps {@code lastUsed}. Listeners are called on the
 * executor's thread.
 */
public final class JwksResolver implements JwksCache, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JwksResolver.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** Istio's defaults where it has them (refresh 20 min, 5 s timeouts); a 1 MiB response limit. */
    public record Settings(Duration refreshInterval, Duration retryInterval, Duration evictAfterUnused,
                           Duration requestTimeout, int maxResponseBytes, int maxEntries) {
        public static final Settings DEFAULTS = new Settings(Duration.ofMinutes(20), Duration.ofSeconds(30),
                Duration.ofHours(24), Duration.ofSeconds(5), 1 << 20, 1_000);

        public Settings {
            Objects.requireNonNull(refreshInterval, "refreshInterval");
            Objects.requireNonNull(retryInterval, "retryInterval");
            Objects.requireNonNull(evictAfterUnused, "evictAfterUnused");
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            if (maxResponseBytes <= 0 || maxEntries <= 0) {
                throw new IllegalArgumentException("limits must be positive");
            }
        }
    }

    private static final class Entry {
        final String issuer;
        final String uri;
        volatile String keys;
        volatile boolean failing;
        volatile Instant lastUsed;
        volatile Instant nextAttempt;
        final AtomicBoolean scheduled = new AtomicBoolean();

        Entry(String issuer, String uri, Instant now) {
            this.issuer = issuer;
            this.uri = uri;
            this.lastUsed = now;
            this.nextAttempt = now;
        }
    }

    private final Settings settings;
    private final HttpClient client;
    private final ScheduledExecutorService executor;
    private final Clock clock;
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicBoolean fullWarned = new AtomicBoolean();

    private JwksResolver(Settings settings, HttpClient client, ScheduledExecutorService executor, Clock clock) {
        this.settings = settings;
        this.client = client;
        this.executor = executor;
        this.clock = clock;
    }

    /**
     * A resolver that refreshes every {@code refreshInterval} on the executor (give it a single thread; the
     * resolver does not own it). The client should have a connect timeout.
     */
    public static JwksResolver start(Settings settings, HttpClient client, ScheduledExecutorService executor, Clock clock) {
        JwksResolver resolver = new JwksResolver(settings, client, executor, clock);
        long period = settings.refreshInterval().toMillis();
        executor.scheduleWithFixedDelay(resolver::refreshAll, period, period, TimeUnit.MILLISECONDS);
        return resolver;
    }

    /** An HTTP client with Istio's 5 s connect timeout that follows no redirects to other schemes. */
    public static HttpClient defaultClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    @Override
    public void addListener(ChangeListener listener) {
        listeners.add(listener);
    }

    @Override
    public String jwks(String issuer, String jwksUri) {
        String key = JwksSnapshot.key(issuer, jwksUri);
        Instant now = clock.instant();
        Entry entry = entries.get(key);
        if (entry == null) {
            if (entries.size() >= settings.maxEntries()) {
                if (fullWarned.compareAndSet(false, true)) {
                    LOG.warn("JWKS cache is full ({} entries): keys of {} are not fetched, its tokens are rejected",
                            settings.maxEntries(), key);
                }
                return FakeJwks.JSON;
            }
            entry = entries.computeIfAbsent(key, k -> new Entry(issuer, jwksUri, now));
        }
        entry.lastUsed = now;
        String keys = entry.keys;
        if (keys == null && !now.isBefore(entry.nextAttempt)) {
            schedule(entry);
        }
        return keys == null ? FakeJwks.JSON : keys;
    }

    /** Fetches every entry now (also what the periodic refresh does); drops entries unused for too long. */
    void refreshAll() {
        Instant now = clock.instant();
        entries.values().removeIf(e -> e.lastUsed.plus(settings.evictAfterUnused()).isBefore(now));
        entries.values().forEach(e -> fetch(e));
    }

    /** How many URIs are cached (for metrics and tests). */
    public int size() {
        return entries.size();
    }

    private void schedule(Entry entry) {
        if (entry.scheduled.compareAndSet(false, true)) {
            executor.execute(() -> {
                try {
                    fetch(entry);
                } finally {
                    entry.scheduled.set(false);
                }
            });
        }
    }

    private void fetch(Entry entry) {
        String uri = entry.uri;
        try {
            if (uri.isEmpty()) {
                uri = discoverJwksUri(entry.issuer);
            }
            String body = get(uri);
            JsonNode keys = JSON.readTree(body).get("keys");
            if (keys == null || !keys.isArray()) {
                throw new IOException("no \"keys\" array in the response");
            }
            String previous = entry.keys;
            entry.keys = body;
            if (entry.failing) {
                LOG.info("JWKS of {} fetched again", display(entry));
            }
            entry.failing = false;
            if (!body.equals(previous)) {
                ChangeEvent changed = new ChangeEvent.JwksChanged(entry.issuer, entry.uri,
                        previous == null ? ChangeEvent.Type.ADDED : ChangeEvent.Type.UPDATED);
                listeners.forEach(l -> l.onChange(changed));
            }
        } catch (IOException | RuntimeException e) {
            entry.nextAttempt = clock.instant().plus(settings.retryInterval());
            if (!entry.failing) {
                entry.failing = true;
                LOG.warn("JWKS of {} could not be fetched ({}): {}", display(entry), e.getMessage(),
                        entry.keys == null ? "tokens of its issuer are rejected" : "the last keys fetched stay in use");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String discoverJwksUri(String issuer) throws IOException, InterruptedException {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        JsonNode discovery = JSON.readTree(get(base + "/.well-known/openid-configuration"));
        JsonNode jwksUri = discovery.get("jwks_uri");
        if (jwksUri == null || !jwksUri.isString()) {
            throw new IOException("no jwks_uri in the OpenID discovery document of " + issuer);
        }
        return jwksUri.asString();
    }

    private String get(String uri) throws IOException, InterruptedException {
        URI parsed = URI.create(uri);
        if (!"https".equals(parsed.getScheme()) && !"http".equals(parsed.getScheme())) {
            throw new IOException("unsupported scheme in " + uri);
        }
        HttpRequest request = HttpRequest.newBuilder(parsed).timeout(settings.requestTimeout()).GET().build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("status " + response.statusCode());
            }
            byte[] body = in.readNBytes(settings.maxResponseBytes() + 1);
            if (body.length > settings.maxResponseBytes()) {
                throw new IOException("response larger than " + settings.maxResponseBytes() + " bytes");
            }
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static String display(Entry e) {
        String s = e.uri.isEmpty() ? "issuer " + e.issuer : e.uri;
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    /** Stops nothing it does not own: the executor belongs to the caller. Clears the cache. */
    @Override
    public void close() {
        entries.clear();
    }
}
