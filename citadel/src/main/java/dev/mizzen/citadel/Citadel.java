package dev.mizzen.citadel;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.mizzen.citadel.authn.ClientCertificateAuthenticator;
import dev.mizzen.api.kube.KubeInformers;
import dev.mizzen.api.kube.Leadership;
import dev.mizzen.citadel.authn.CachingAuthenticator;
import dev.mizzen.api.identity.CallerAuthenticator;
import dev.mizzen.citadel.authn.TokenReviewAuthenticator;
import dev.mizzen.citadel.ca.CertificateAuthority;
import dev.mizzen.citadel.ca.SigningBundle;
import dev.mizzen.citadel.ca.ValidityPolicy;
import dev.mizzen.citadel.pki.Pem;
import dev.mizzen.citadel.rootcert.CaSecretStore;
import dev.mizzen.citadel.rootcert.PluggedCa;
import dev.mizzen.citadel.rootcert.RootCertPublisher;
import dev.mizzen.citadel.rootcert.RootRotator;
import dev.mizzen.citadel.rootcert.SelfSignedRoot;
import dev.mizzen.citadel.server.CaMetrics;
import dev.mizzen.citadel.server.CaRootsTrust;
import dev.mizzen.citadel.server.CertificateRequestHandler;
import dev.mizzen.citadel.server.IstioCertificateGrpcService;
import dev.mizzen.citadel.servingcert.ServingCertificateRotator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.BindableService;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.X509ExtendedTrustManager;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Citadel started: the root of trust (plugged or self-signed in {@code istio-ca-secret}, rotated), the CA
 * gRPC service, the roots published in every namespace, and istiod's serving certificate.
 *
 * <p>Concurrency: one daemon thread ("citadel-control") runs every background step (root checks, serving
 * certificate renewals, ConfigMap reconciles), so they never overlap; token reviews run on a small bounded pool
 * and signing on the thread that completes a caller's authentication, against an atomically swapped bundle. {@link #close()} stops the thread and the informers.
 */
public final class Citadel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Citadel.class);
    private static final int TOKEN_REVIEW_THREADS = 4;
    private static final int TOKEN_REVIEW_QUEUE = 1_000;

    private final CertificateAuthority ca;
    private final IstioCertificateGrpcService service;
    private final ServingCertificateRotator serving;
    private final RootCertPublisher publisher;
    private final Optional<RootRotator> rotator;
    private final ScheduledExecutorService control;
    private final CallerAuthenticator authenticator;
    private final ExecutorService reviews;
    private final X509ExtendedTrustManager clientTrust;
    private Optional<KubeInformers> ownInformers = Optional.empty();

    private Citadel(CertificateAuthority ca, IstioCertificateGrpcService service, CallerAuthenticator authenticator,
                    ServingCertificateRotator serving, RootCertPublisher publisher, Optional<RootRotator> rotator,
                    ScheduledExecutorService control, ExecutorService reviews, X509ExtendedTrustManager clientTrust) {
        this.ca = ca;
        this.clientTrust = clientTrust;
        this.service = service;
        this.authenticator = authenticator;
        this.reviews = reviews;
        this.serving = serving;
        this.publisher = publisher;
        this.rotator = rotator;
        this.control = control;
    }

    /** Citadel on its own, with informers of its own (tools and tests); istiod shares the process's informers. */
    public static Citadel start(CitadelSettings settings, KubernetesClient client, MeterRegistry meters) {
        return start(settings, client, meters, Clock.systemUTC());
    }

    /** As {@link #start(CitadelSettings, KubernetesClient, MeterRegistry)}, on a given clock (tests). */
    public static Citadel start(CitadelSettings settings, KubernetesClient client, MeterRegistry meters, Clock clock) {
        KubeInformers own = new KubeInformers(client);
        Citadel citadel = start(settings, client, own, meters, clock);
        own.start();
        citadel.ownInformers = Optional.of(own);
        return citadel;
    }

    /**
     * Starts citadel on the process's informers: it asks them for namespaces, the root ConfigMaps and its CA
     * Secret; they run once istiod starts them all.
     */
    public static Citadel start(CitadelSettings settings, KubernetesClient client, KubeInformers informers,
                                MeterRegistry meters, Clock clock) {
        return start(settings, client, informers, meters, clock, Leadership.ALWAYS);
    }

    /**
     * As {@link #start(CitadelSettings, KubernetesClient, KubeInformers, MeterRegistry, Clock)}, one of several
     * replicas: the roots are published in the namespaces only while {@code rootPublishing} leads. (The CA Secret
     * is written by whichever replica gets there first: its writes are optimistic, and every replica must
     * have the root before it serves.)
     */
    public static Citadel start(CitadelSettings settings, KubernetesClient client, KubeInformers informers,
                                MeterRegistry meters, Clock clock, Leadership rootPublishing) {
        ScheduledExecutorService control = Executors.newSingleThreadScheduledExecutor(
                new ThreadFactoryBuilder().setNameFormat("citadel-control").setDaemon(true).build());
        ExecutorService reviews = tokenReviewExecutor();
        try {
            Optional<SigningBundle> plugged = settings.pluginCertsDir().flatMap(PluggedCa::fromDirectory)
                    .or(() -> PluggedCa.fromSecret(client, settings.namespace()));
            CaSecretStore store = new CaSecretStore(client, settings.namespace());
            SigningBundle initial = plugged.orElseGet(() -> store.loadOrCreate(() -> SelfSignedRoot.generate(
                    settings.keyType(), settings.trustDomain(), settings.root().validity(), clock.instant())));
            LOG.info("citadel signs with {}", initial);

            var workloads = settings.workloads();
            CertificateAuthority ca = new CertificateAuthority(initial,
                    new ValidityPolicy(workloads.defaultValidity(), workloads.maxValidity(), ValidityPolicy.CLOCK_SKEW),
                    clock);
            // before the other listeners: a client's certificate under a new root is trusted from the swap on
            X509ExtendedTrustManager clientTrust = CaRootsTrust.following(ca);
            Gauge.builder("citadel_server_root_cert_expiry_timestamp",
                            ca, c -> c.bundle().signingRoot().getNotAfter().getTime() / 1000.0)
                    .description("The unix timestamp, in seconds, when the CA's root certificate will expire.")
                    .register(meters);

            CachingAuthenticator authenticator = new CachingAuthenticator(
                    new ClientCertificateAuthenticator(ca::roots, settings.trustDomain(), clock),
                    new TokenReviewAuthenticator(client, workloads.tokenAudiences(), settings.trustDomain()),
                    reviews, clock, CachingAuthenticator.Settings.DEFAULTS);
            var service = new IstioCertificateGrpcService(
                    new CertificateRequestHandler(authenticator, ca, new CaMetrics(meters)));

            RootCertPublisher publisher = new RootCertPublisher(client, informers, ca.roots(), control, rootPublishing);
            ServingCertificateRotator serving =
                    new ServingCertificateRotator(ca, settings.serving(), settings.keyType(), clock, control);
            ca.onChange(bundle -> publisher.publish(bundle.roots()));
            ca.onChange(bundle -> serving.renewSoon());
            serving.start();
            publisher.start();

            Optional<RootRotator> rotator = Optional.empty();
            if (plugged.isEmpty()) {
                RootRotator r = new RootRotator(store, ca, settings, clock, control, informers);
                r.start();
                rotator = Optional.of(r);
            }
            return new Citadel(ca, service, authenticator, serving, publisher, rotator, control, reviews, clientTrust);
        } catch (RuntimeException e) {
            control.shutdownNow();
            reviews.shutdownNow();
            throw e;
        }
    }

    /**
     * Token reviews are apiserver round trips: a few threads, and a bounded queue so that a flood of new tokens
     * is refused (UNAVAILABLE, the caller retries) instead of queueing without end.
     */
    private static ExecutorService tokenReviewExecutor() {
        return new ThreadPoolExecutor(TOKEN_REVIEW_THREADS, TOKEN_REVIEW_THREADS, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(TOKEN_REVIEW_QUEUE),
                new ThreadFactoryBuilder().setNameFormat("citadel-token-review-%d").setDaemon(true).build());
    }

    /** The CA service ({@code istio.v1.auth.IstioCertificateService}) for istiod's TLS gRPC server on 15012. */
    public BindableService certificateService() {
        return service;
    }

    /**
     * How callers of istiod's authenticated port prove who they are: a client certificate from this CA, or a
     * service-account token the apiserver vouches for (remembered until it expires). The CA and xDS share it.
     */
    public CallerAuthenticator authenticator() {
        return authenticator;
    }

    /** The trusted roots now, the one the CA signs under first. */
    public List<X509Certificate> roots() {
        return ca.roots();
    }

    /** {@link #roots()} as one PEM bundle: what {@code istio-ca-root-cert} holds. */
    public String rootsPem() {
        return Pem.encode(ca.roots());
    }

    /**
     * For a TLS server's optional client authentication: trusts certificates of this CA's current roots (one
     * trust manager, updated when the roots change).
     */
    public X509ExtendedTrustManager clientTrustManager() {
        return clientTrust;
    }

    /** istiod's serving certificate: subscribe to get the key and chain now and after each renewal. */
    public ServingCertificateRotator servingCertificate() {
        return serving;
    }

    public CertificateAuthority authority() {
        return ca;
    }

    /** Checks the self-signed root now (rotates it if due); does nothing with a plugged CA. */
    public void checkRootNow() {
        rotator.ifPresent(RootRotator::checkNow);
    }

    /** Stops the background thread first, so no write is in flight when the informers' watches close. */
    @Override
    public void close() {
        control.shutdownNow();
        try {
            control.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reviews.shutdownNow();
        ownInformers.ifPresent(KubeInformers::close);
        rotator.ifPresent(RootRotator::close);
        serving.close();
        publisher.close();
    }
}
