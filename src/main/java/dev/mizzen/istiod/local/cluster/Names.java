package dev.mizzen.istiod.local.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Generated names as Kubernetes forms them ({@code reviews-v1-7d4b9c8f5-x2k9q}), from a hash instead of randomness,
 * so that the same files give the same names at every start and a controller that re-creates a slot re-creates the
 * same name (a second create of it is refused, never doubled). Pure.
 */
final class Names {
    /** Kubernetes' alphabet for generated suffixes: no vowels, no look-alikes. */
    private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    private Names() {
    }

    /** A suffix of {@code length} characters of Kubernetes' alphabet, from the seed. */
    static String suffix(String seed, int length) {
        byte[] hash = sha256(seed);
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(ALPHABET.charAt((hash[i] & 0xff) % ALPHABET.length()));
        }
        return out.toString();
    }

    /** {@code prefix-suffix}, cut so the name stays within 63 characters. */
    static String generated(String prefix, String seed, int length) {
        String base = prefix.length() > 57 ? prefix.substring(0, 57) : prefix;
        return base + "-" + suffix(seed, length);
    }

    private static byte[] sha256(String seed) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
