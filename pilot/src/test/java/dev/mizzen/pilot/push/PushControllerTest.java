package dev.mizzen.pilot.push;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mizzen.api.config.ChangeEvent;
import dev.mizzen.api.config.ChangeListener;
import dev.mizzen.api.config.Config;
import dev.mizzen.pilot.model.MeshSettings;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.security.SecurityFixtures;
import dev.mizzen.pilot.security.authn.FakeJwks;
import dev.mizzen.pilot.security.authn.JwksCache;
import dev.mizzen.pilot.serviceregistry.RegistrySnapshot;
import dev.mizzen.pilot.serviceregistry.ServiceRegistry;
import dev.mizzen.pilot.testing.IstioConfigs;
import dev.mizzen.pilot.testing.MemoryConfigStore;
import dev.mizzen.pilot.testing.SecurityRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The push pipeline with security policies: JWT keys istiod fetches become pushes; policy problems are logged once. */
class PushControllerTest {
    private static final String ISSUER = "testing@secure.istio.io";
    private static final String JWKS_URI = "https://raw.githubusercontent.com/istio/istio/master/security/tools/jwt/samples/jwks.json";

    /** istiod's JWKS cache as the controller sees it: keys it holds, and an event when they change. */
    private static final class Keys implements JwksCache {
        final Map<String, String> byUri = new ConcurrentHashMap<>();
        final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();

        @Override
        public String jwks(String issuer, String jwksUri) {
            return byUri.getOrDefault(jwksUri, FakeJwks.JSON);
        }

        @Override
        public void addListener(ChangeListener listener) {
            listeners.add(listener);
        }

        void fetched(String uri, String keys) {
            byUri.put(uri, keys);
            listeners.forEach(l -> l.onChange(new ChangeEvent.JwksChanged(ISSUER, uri, ChangeEvent.Type.ADDED)));
        }
    }

    private record Pushed(PushContext context, PushRequest request) {
    }

    private final Keys keys = new Keys();
    private final LinkedBlockingQueue<Pushed> pushes = new LinkedBlockingQueue<>();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private MemoryConfigStore configs;
    private PushController controller;

    @BeforeEach
    void start() {
        log.start();
        ((Logger) LoggerFactory.getLogger(PushController.class)).addAppender(log);
        List<Config<?>> tasks = new ArrayList<>(SecurityFixtures.load("security/tasks/authz-jwt.yaml",
                "security/tasks/authz-tcp-allow-methods.yaml", "security/tasks/authz-custom.yaml"));
        configs = new MemoryConfigStore(tasks);
        ServiceRegistry registry = new ServiceRegistry() {
            @Override
            public RegistrySnapshot snapshot() {
                return SecurityRegistry.snapshot();
            }

            @Override
            public void addListener(ChangeListener listener) {
            }

            @Override
            public boolean hasSynced() {
                return true;
            }
        };
        PushTarget target = new PushTarget() {
            @Override
            public void initialize(PushContext context) {
                pushes.add(new Pushed(context, null));
            }

            @Override
            public void push(PushContext context, PushRequest request) {
                pushes.add(new Pushed(context, request));
            }
        };
        controller = new PushController(MeshSettings.DEFAULT, registry, configs, keys, target,
                new Debouncer.Settings(Duration.ofMillis(10), Duration.ofMillis(200)), new SimpleMeterRegistry());
        controller.initialize();
    }

    @AfterEach
    void stop() {
        controller.close();
        ((Logger) LoggerFactory.getLogger(PushController.class)).detachAppender(log);
    }

    private Pushed next() throws InterruptedException {
        Pushed p = pushes.poll(10, TimeUnit.SECONDS);
        assertThat(p).as("a push within 10 s").isNotNull();
        return p;
    }

    @Test
    void keysFetchedAfterThePushWasBuiltArriveWithTheNextPush() throws Exception {
        PushContext first = next().context();
        assertThat(first.security().jwks().jwks(ISSUER, JWKS_URI)).as("nothing fetched yet: tokens are rejected")
                .isEqualTo(FakeJwks.JSON);

        keys.fetched(JWKS_URI, "{\"keys\":[]}");
        Pushed pushed = next();
        assertThat(pushed.request().isFull()).isTrue();
        assertThat(pushed.request().jwksUpdated()).containsExactly(JWKS_URI);
        assertThat(pushed.context().security().jwks().jwks(ISSUER, JWKS_URI)).isEqualTo("{\"keys\":[]}");
        assertThat(first.security().jwks().jwks(ISSUER, JWKS_URI)).as("a built push context never changes")
                .isEqualTo(FakeJwks.JSON);
    }

    @Test
    void policyProblemsAreLoggedOnceNotPerPushOrProxy() throws Exception {
        next();
        List<String> warnings = warnings();
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("AuthorizationPolicy/foo/tcp-policy")
                .contains("HTTP only").contains("TCP"));
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("AuthorizationPolicy/foo/ext-authz: extension provider sample-ext-authz-grpc not found"));
        assertThat(warnings).noneSatisfy(w -> assertThat(w).contains("require-jwt").contains("TCP"))
                .as("httpbin serves no TCP port: narrowing its HTTP rules on passthrough chains is no news");

        configs.put(IstioConfigs.parse("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: unrelated, namespace: foo}
                spec: {hosts: [httpbin], http: [{route: [{destination: {host: httpbin}}]}]}
                """, "foo", Instant.ofEpochSecond(5)));
        next();
        await().atMost(Duration.ofSeconds(5)).until(() -> pushes.isEmpty());
        assertThat(warnings()).as("the same problems are not logged again").isEqualTo(warnings);
    }

    private List<String> warnings() {
        return log.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    }
}
