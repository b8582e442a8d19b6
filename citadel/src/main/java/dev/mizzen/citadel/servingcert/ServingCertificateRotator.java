package dev.mizzen.citadel.servingcert;

import dev.mizzen.citadel.CitadelSettings;
import dev.mizzen.citadel.ca.CertificateAuthority;
import dev.mizzen.citadel.ca.IssuedCertificate;
import dev.mizzen.citadel.pki.KeyType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * istiod's own TLS certificate (webhooks on 15017, xDS and the CA on 15012), issued by this CA with a fresh
 * key, and re-issued without a restart: once {@code renewAtPercent} of its life has passed, and at once when
 * the CA's roots change. Each new key and chain (leaf first, intermediates, no root) goes to every subscriber.
 *
 * <p>Concurrency: issuing and scheduling run on the single-threaded {@code executor} only ({@link #start}
 * waits for the first issue there), and subscribers are called there, in order. The current certificate is
 * an atomic reference anyone may read. Subscribing also runs on that thread, so each subscriber sees every
 * certificate from the one current when it subscribed, in order, once.
 */
public final class ServingCertificateRotator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServingCertificateRotator.class);
    private static final Duration RETRY = Duration.ofSeconds(10);

    /** A key and its chain, with when it will be replaced. {@link #toString()} never shows the key. */
    public record ServingCertificate(PrivateKey key, List<X509Certificate> chain, Instant renewAt) {
        public ServingCertificate {
            chain = List.copyOf(chain);
        }

        public X509Certificate leaf() {
            return chain.get(0);
        }

        @Override
        public String toString() {
            return "ServingCertificate[serial " + leaf().getSerialNumber().toString(16) + ", until "
                    + leaf().getNotAfter().toInstant() + ", renew at " + renewAt + ", key redacted]";
        }
    }

    private final CertificateAuthority ca;
    private final CitadelSettings.ServingSettings settings;
    private final KeyType keyType;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final AtomicReference<ServingCertificate> current = new AtomicReference<>();
    private final List<BiConsumer<PrivateKey, List<X509Certificate>>> subscribers = new CopyOnWriteArrayList<>();
    private volatile ScheduledFuture<?> next;

    public ServingCertificateRotator(CertificateAuthority ca, CitadelSettings.ServingSettings settings, KeyType keyType,
                                     Clock clock, ScheduledExecutorService executor) {
        this.ca = ca;
        this.settings = settings;
        this.keyType = keyType;
        this.clock = clock;
        this.executor = executor;
    }

    /** Issues the first certificate and waits for it (so istiod can serve TLS at once), then renews on schedule. */
    public void start() {
        try {
            executor.submit(this::renew).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while issuing istiod's serving certificate", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot issue istiod's serving certificate: " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    /** The certificate now in force. */
    public ServingCertificate current() {
        return current.get();
    }

    /**
     * Receives the current key and chain before this returns, then each renewal's, on the rotator's thread.
     * Call it from any thread but that one (it waits for it).
     */
    public void subscribe(BiConsumer<PrivateKey, List<X509Certificate>> callback) {
        try {
            executor.submit(() -> {
                subscribers.add(callback);
                ServingCertificate now = current.get();
                if (now != null) {
                    callback.accept(now.key(), now.chain());
                }
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the serving certificate subscriber failed", e.getCause());
        }
    }

    /** Re-issues soon, on the rotator's thread (after the CA's roots changed). */
    public void renewSoon() {
        try {
            executor.execute(this::renew);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void renew() {
        try {
            KeyPair keys = keyType.generate();
            Instant issuedAt = clock.instant();
            IssuedCertificate issued = ca.signServer(keys.getPublic(), settings.dnsNames(), settings.validity());
            Instant notAfter = issued.leaf().getNotAfter().toInstant();
            Duration life = Duration.between(issuedAt, notAfter);
            Instant renewAt = issuedAt.plus(life.multipliedBy(settings.renewAtPercent()).dividedBy(100));
            ServingCertificate cert = new ServingCertificate(keys.getPrivate(), issued.tlsChain(), renewAt);
            current.set(cert);
            LOG.info("istiod serving certificate for {}: {}", settings.dnsNames(), cert);
            for (var subscriber : subscribers) {
                try {
                    subscriber.accept(cert.key(), cert.chain());
                } catch (RuntimeException e) {
                    LOG.warn("a serving certificate subscriber failed", e);
                }
            }
            schedule(Duration.between(clock.instant(), renewAt));
        } catch (RuntimeException e) {
            LOG.warn("cannot issue istiod's serving certificate (retrying in {}): {}", RETRY, e.getMessage());
            if (current.get() == null) {
                throw e;
            }
            schedule(RETRY);
        }
    }

    private void schedule(Duration delay) {
        if (next != null) {
            next.cancel(false);
        }
        try {
            next = executor.schedule(this::renew, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    @Override
    public void close() {
        if (next != null) {
            next.cancel(false);
        }
    }
}
