package dev.mizzen.citadel.ca;

import dev.mizzen.citadel.pki.Pem;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * A signed certificate with what a peer needs to verify it.
 *
 * @param chainBelowLeaf issuer and intermediates, nearest first; empty when the root signed the leaf
 * @param roots          the trusted roots, the one this chain ends at first
 */
public record IssuedCertificate(X509Certificate leaf, List<X509Certificate> chainBelowLeaf, List<X509Certificate> roots) {
    public IssuedCertificate {
        chainBelowLeaf = List.copyOf(chainBelowLeaf);
        roots = List.copyOf(roots);
    }

    /**
     * Istio's response shape: leaf first, then each intermediate, and last every trusted root concatenated in one
     * entry (so an agent learns both roots while a rotation overlaps).
     */
    public List<String> pemChain() {
        List<String> out = new ArrayList<>();
        out.add(Pem.encode(leaf));
        chainBelowLeaf.forEach(c -> out.add(Pem.encode(c)));
        out.add(Pem.encode(roots));
        return List.copyOf(out);
    }

    /** What a TLS endpoint presents: the leaf and its intermediates, without the root. */
    public List<X509Certificate> tlsChain() {
        List<X509Certificate> out = new ArrayList<>();
        out.add(leaf);
        out.addAll(chainBelowLeaf);
        return List.copyOf(out);
    }
}
