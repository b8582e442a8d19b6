package dev.mizzen.citadel.ca;

import dev.mizzen.citadel.pki.Issuer;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the CA signs with and what it asks others to trust.
 *
 * @param issuer        the signing key and certificate: the root itself when self-signed, else an intermediate
 * @param intermediates certificates between the issuer and the root, issuer's parent first (plug-in CAs)
 * @param roots         the trusted roots: the root the issuer chains to first, then any others still trusted
 *                      (the previous root while a rotation overlaps)
 * @param source        where the signing key came from
 */
public record SigningBundle(Issuer issuer, List<X509Certificate> intermediates, List<X509Certificate> roots,
                            Source source) {

    public enum Source { SELF_SIGNED, PLUGGED }

    public SigningBundle {
        intermediates = List.copyOf(intermediates);
        roots = List.copyOf(roots);
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("a signing bundle needs at least one root");
        }
    }

    public static SigningBundle selfSigned(Issuer root) {
        return new SigningBundle(root, List.of(), List.of(root.certificate()), Source.SELF_SIGNED);
    }

    public X509Certificate signingRoot() {
        return roots.get(0);
    }

    public boolean issuerIsRoot() {
        return issuer.certificate().equals(signingRoot());
    }

    /** The certificates a leaf's chain carries between the leaf and the roots: issuer, then intermediates. */
    public List<X509Certificate> chainBelowLeaf() {
        if (issuerIsRoot()) {
            return List.of();
        }
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(issuer.certificate());
        chain.addAll(intermediates);
        return List.copyOf(chain);
    }

    /** No certificate this bundle signs may outlive any certificate on its path to the root. */
    public Instant validUntil() {
        return Stream.concat(Stream.of(issuer.certificate(), signingRoot()), intermediates.stream())
                .map(c -> c.getNotAfter().toInstant())
                .min(Comparator.naturalOrder())
                .orElseThrow();
    }

    public Instant validFrom() {
        return issuer.certificate().getNotBefore().toInstant();
    }

    /** The same signer trusting other roots (its own root stays first). */
    public SigningBundle withRoots(List<X509Certificate> trusted) {
        List<X509Certificate> next = new ArrayList<>();
        next.add(signingRoot());
        trusted.stream().filter(r -> !r.equals(signingRoot())).forEach(next::add);
        return new SigningBundle(issuer, intermediates, next, source);
    }

    @Override
    public String toString() {
        return "SigningBundle[" + source + ", " + issuer + ", " + intermediates.size() + " intermediates, "
                + roots.size() + " roots]";
    }
}
