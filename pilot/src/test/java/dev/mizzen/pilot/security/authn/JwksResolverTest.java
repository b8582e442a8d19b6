package dev.mizzen.pilot.security.authn;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.mizzen.api.config.ChangeEvent;
import dev.mizzen.pilot.security.SecurityFixtures.Issuer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * istiod's JWKS cache against a local HTTPS server (loopback only, self-signed certificate made with keytool):
 * keys arrive asynchronously and a push is requested, rotation is picked up at the next refresh, an unreachable
 * URI or an oversized response leaves the reject-all key set with one log line per URI.
 */
class JwksResolverTest {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static SSLContext tls;

    private final AtomicReference<String> served = new AtomicReference<>();
    private final List<String> changed = new CopyOnWriteArrayList<>();
    private HttpsServer server;
    private ScheduledExecutorService executor;
    private ListAppender<ILoggingEvent> logs;

    @BeforeAll
    static void certificate(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "jwks", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(store.toFile())) {
            ks.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/jwks.json", exchange -> {
            byte[] body = served.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        executor = Executors.newSingleThreadScheduledExecutor();
        logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(JwksResolver.class)).addAppender(logs);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(JwksResolver.class)).detachAppender(logs);
        server.stop(0);
        executor.shutdownNow();
    }

    private JwksResolver resolver(JwksResolver.Settings settings) {
        HttpClient client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(2)).build();
        JwksResolver resolver = JwksResolver.start(settings, client, executor, Clock.systemUTC());
        // what the push controller hears: the URI whose keys changed
        resolver.addListener(e -> changed.add(((ChangeEvent.JwksChanged) e).jwksUri()));
        return resolver;
    }

    private String uri() {
        return "https://localhost:" + server.getAddress().getPort() + "/jwks.json";
    }

    private List<ILoggingEvent> warnings() {
        return logs.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
    }

    @Test
    void keysArriveAsynchronouslyAndRotationIsPickedUpAtTheNextRefresh() {
        Issuer first = Issuer.generate("issuer-a", "key-1");
        Issuer second = Issuer.generate("issuer-a", "key-2");
        served.set(first.jwks());
        JwksResolver resolver = resolver(JwksResolver.Settings.DEFAULTS);

        assertThat(resolver.jwks("issuer-a", uri())).as("a miss answers at once, with the reject-all keys")
                .isEqualTo(FakeJwks.JSON);
        await().atMost(Duration.ofSeconds(10)).until(() -> resolver.jwks("issuer-a", uri()).equals(first.jwks()));
        assertThat(changed).containsExactly(uri());

        served.set(second.jwks());
        assertThat(resolver.jwks("issuer-a", uri())).as("cached until the refresh").isEqualTo(first.jwks());
        executor.execute(resolver::refreshAll);
        await().atMost(Duration.ofSeconds(10)).until(() -> resolver.jwks("issuer-a", uri()).equals(second.jwks()));
        assertThat(changed).containsExactly(uri(), uri());

        executor.execute(resolver::refreshAll);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            executor.submit(() -> { }).get();
            return true;
        });
        assertThat(changed).as("unchanged keys request no push").hasSize(2);
    }

    @Test
    void unreachableUriKeepsTheRejectAllKeysWithOneLogLine() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String uri = "https://127.0.0.1:" + closed + "/jwks.json";
        JwksResolver resolver = resolver(new JwksResolver.Settings(Duration.ofHours(1), Duration.ZERO,
                Duration.ofHours(24), Duration.ofSeconds(2), 1 << 20, 10));
        assertThat(resolver.jwks("issuer-b", uri)).isEqualTo(FakeJwks.JSON);
        await().atMost(Duration.ofSeconds(10)).until(() -> warnings().size() == 1);
        for (int i = 0; i < 3; i++) {
            assertThat(resolver.jwks("issuer-b", uri)).isEqualTo(FakeJwks.JSON);
            await().atMost(Duration.ofSeconds(10)).until(() -> executor.submit(() -> true).get());
        }
        assertThat(warnings()).hasSize(1);
        assertThat(warnings().get(0).getFormattedMessage()).contains(uri).contains("tokens of its issuer are rejected");
        assertThat(changed).isEmpty();
    }

    @Test
    void oversizedResponseIsRefused() {
        served.set("{\"keys\":[]," + "\"pad\":\"" + "x".repeat(4096) + "\"}");
        JwksResolver resolver = resolver(new JwksResolver.Settings(Duration.ofHours(1), Duration.ofHours(1),
                Duration.ofHours(24), Duration.ofSeconds(2), 1024, 10));
        assertThat(resolver.jwks("issuer-c", uri())).isEqualTo(FakeJwks.JSON);
        await().atMost(Duration.ofSeconds(10)).until(() -> warnings().size() == 1);
        assertThat(warnings().get(0).getFormattedMessage()).contains("larger than 1024 bytes");
        assertThat(resolver.jwks("issuer-c", uri())).isEqualTo(FakeJwks.JSON);
        assertThat(changed).isEmpty();
    }

    @Test
    void theCacheIsBounded() {
        served.set(Issuer.generate("issuer-d", "k").jwks());
        JwksResolver resolver = resolver(new JwksResolver.Settings(Duration.ofHours(1), Duration.ofHours(1),
                Duration.ofHours(24), Duration.ofSeconds(2), 1 << 20, 1));
        resolver.jwks("issuer-d", uri());
        assertThat(resolver.jwks("issuer-e", uri() + "?other")).isEqualTo(FakeJwks.JSON);
        assertThat(resolver.size()).isEqualTo(1);
    }
}
