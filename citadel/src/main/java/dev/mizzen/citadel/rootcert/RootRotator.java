package dev.mizzen.citadel.rootcert;

import dev.mizzen.api.kube.KubeInformers;
import dev.mizzen.citadel.CitadelSettings;
import dev.mizzen.citadel.ca.CertificateAuthority;
import dev.mizzen.citadel.ca.SigningBundle;
import dev.mizzen.citadel.pki.KeyType;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the self-signed root alive and shared. The Secret is the source of truth; each check reads it and:
 * adopts what another replica wrote; replaces a root in the last {@code gracePercent} of its life with a new
 * one while still trusting the old (both are published until the old expires); drops expired roots; and
 * writes the root back if the Secret was deleted. Writes are optimistic, so of two replicas rotating at once
 * one wins and the other adopts its root.
 *
 * <p>Concurrency: every check runs on the single-threaded {@code executor}; periodic ticks and Secret watch
 * events only queue checks there. So Secret writes and {@link CertificateAuthority#replace} never overlap.
 */
public final class RootRotator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RootRotator.class);

    private final CaSecretStore store;
    private final CertificateAuthority ca;
    private final KeyType keyType;
    private final String trustDomain;
    private final CitadelSettings.RootSettings settings;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final String namespace;
    private final SharedIndexInformer<Secret> informer;
    private ScheduledFuture<?> ticks;

    public RootRotator(CaSecretStore store, CertificateAuthority ca, CitadelSettings settings, Clock clock,
                       ScheduledExecutorService executor, KubeInformers informers) {
        this.store = store;
        this.ca = ca;
        this.keyType = settings.keyType();
        this.trustDomain = settings.trustDomain();
        this.settings = settings.root();
        this.clock = clock;
        this.executor = executor;
        this.namespace = settings.namespace();
        this.informer = informers.of(Secret.class, KubeInformers.Selection.inNamespace(settings.namespace())
                .withField("metadata.name", CaSecretCodec.SECRET_NAME));
    }

    /** Checks now, then every check interval and whenever the Secret changes. */
    public void start() {
        checkNow();
        long every = settings.checkInterval().toMillis();
        ticks = executor.scheduleWithFixedDelay(this::check, every, every, TimeUnit.MILLISECONDS);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Secret secret) {
                executor.execute(RootRotator.this::check);
            }

            @Override
            public void onUpdate(Secret before, Secret after) {
                executor.execute(RootRotator.this::check);
            }

            @Override
            public void onDelete(Secret secret, boolean unknownFinalState) {
                executor.execute(RootRotator.this::check);
            }
        });
    }

    /** Runs one check on the rotator's thread and waits for it. */
    public void checkNow() {
        try {
            executor.submit(this::check).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("root check failed", e.getCause());
        }
    }

    private void check() {
        try {
            checkOnce();
        } catch (RuntimeException e) {
            LOG.warn("root check failed; the CA keeps signing with its current root: {}", e.getMessage());
        }
    }

    private void checkOnce() {
        Optional<CaSecretStore.Stored> stored = store.read();
        if (stored.isEmpty()) {
            LOG.warn("the CA Secret {}/{} is gone; writing the current root back", namespace, CaSecretCodec.SECRET_NAME);
            store.recreate(ca.bundle());
            return;
        }
        SigningBundle current = stored.get().bundle();
        Instant now = clock.instant();
        SigningBundle pruned = current.withRoots(stillValid(current.roots(), now));
        SigningBundle next = pruned;
        if (SelfSignedRoot.dueForRotation(current.signingRoot(), now, settings.gracePercent())) {
            next = SelfSignedRoot.generate(keyType, trustDomain, settings.validity(), now).withRoots(pruned.roots());
            LOG.info("root expiring at {} is in the last {}% of its life: rotating; both roots are trusted until it expires",
                    current.signingRoot().getNotAfter().toInstant(), settings.gracePercent());
        }
        if (next.equals(current)) {
            ca.replace(current);
            return;
        }
        if (store.replace(stored.get().resourceVersion(), next)) {
            ca.replace(next);
        } else {
            LOG.info("another replica updated the CA Secret first; adopting its root");
            store.read().ifPresent(winner -> ca.replace(winner.bundle()));
        }
    }

    private static List<X509Certificate> stillValid(List<X509Certificate> roots, Instant now) {
        return roots.stream().filter(r -> r.getNotAfter().toInstant().isAfter(now)).toList();
    }

    @Override
    public void close() {
        if (ticks != null) {
            ticks.cancel(false);
        }

    }
}
