package dev.mizzen.citadel.ca;

import dev.mizzen.api.identity.SpiffeId;
import dev.mizzen.citadel.pki.CertificateMinter;
import dev.mizzen.citadel.pki.CertificateTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Signs workload and server certificates with the current {@link SigningBundle}.
 *
 * <p>Concurrency: any thread may sign; each signature reads the bundle once, so a certificate and the chain
 * returned with it always come from the same bundle. Only the root-of-trust owner calls {@link #replace}
 * (one thread at a time: the rotator's); listeners run on that thread, after the swap, and must be quick.
 */
public final class CertificateAuthority {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateAuthority.class);

    private final AtomicReference<SigningBundle> bundle;
    private final ValidityPolicy validity;
    private final Clock clock;
    private final List<Consumer<SigningBundle>> listeners = new CopyOnWriteArrayList<>();

    public CertificateAuthority(SigningBundle initial, ValidityPolicy validity, Clock clock) {
        this.bundle = new AtomicReference<>(initial);
        this.validity = validity;
        this.clock = clock;
    }

    /** A workload certificate naming exactly {@code identity}, whatever the CSR asked for. */
    public IssuedCertificate signWorkload(PublicKey key, SpiffeId identity, Duration requested) {
        SigningBundle current = bundle.get();
        ValidityPolicy.Window w = window(current, requested);
        return issue(current, CertificateTemplate.workload(identity.uri(), key, w.notBefore(), w.notAfter()));
    }

    /** A TLS server certificate for DNS names (istiod's own). */
    public IssuedCertificate signServer(PublicKey key, List<String> dnsNames, Duration lifetime) {
        SigningBundle current = bundle.get();
        ValidityPolicy.Window w = window(current, lifetime);
        return issue(current, CertificateTemplate.server(dnsNames, key, w.notBefore(), w.notAfter()));
    }

    public SigningBundle bundle() {
        return bundle.get();
    }

    /** The trusted roots, the one this CA signs under first. */
    public List<X509Certificate> roots() {
        return bundle.get().roots();
    }

    public ValidityPolicy validity() {
        return validity;
    }

    /** Swaps in a new bundle (a rotated or re-read root) and tells the listeners, if it differs. */
    public void replace(SigningBundle next) {
        SigningBundle previous = bundle.getAndSet(next);
        if (previous.equals(next)) {
            return;
        }
        LOG.info("CA now signs with {}", next);
        for (Consumer<SigningBundle> listener : listeners) {
            try {
                listener.accept(next);
            } catch (RuntimeException e) {
                LOG.warn("a CA bundle listener failed", e);
            }
        }
    }

    /** Called after each change of bundle. */
    public void onChange(Consumer<SigningBundle> listener) {
        listeners.add(listener);
    }

    private ValidityPolicy.Window window(SigningBundle current, Duration requested) {
        Instant now = clock.instant();
        return validity.window(now, requested, current.validFrom(), current.validUntil());
    }

    private static IssuedCertificate issue(SigningBundle current, CertificateTemplate template) {
        try {
            X509Certificate leaf = CertificateMinter.issue(template, current.issuer());
            return new IssuedCertificate(leaf, current.chainBelowLeaf(), current.roots());
        } catch (IllegalStateException e) {
            throw new SigningException("signing failed: " + e.getMessage(), e);
        }
    }
}
