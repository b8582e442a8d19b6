package dev.mizzen.istiod.local;

import com.nimbusds.jose.jwk.RSAKey;
import dev.mizzen.api.config.SpecReader;
import dev.mizzen.istiod.local.identity.ServiceAccountTokens;
import tools.jackson.core.type.TypeReference;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What local mode keeps from one start to the next, in its state directory (default {@code DIR/.istiod}), as a
 * cluster keeps it in etcd and in its apiserver's key files:
 * <ul>
 *   <li>{@code sa-signing-key.json}: the key that signs service-account tokens (a private JWK);</li>
 *   <li>{@code istio-ca-secret.json}: the data of the Secret {@code istio-ca-secret}, the CA's self-signed root and
 *       key, so workload identities chain to the same root after a restart;</li>
 *   <li>{@code admin-token}: the bearer token of the embedded apiserver's kubeconfig;</li>
 *   <li>{@code epoch}: the instant creation timestamps of objects from files count from.</li>
 * </ul>
 * Secrets are written with owner-only permissions where the file system has them, and atomically (a reader never
 * sees half a file).
 *
 * <p>Thread-safe: values are read once at open; {@link #saveCaSecret} serialises on the instance.
 */
public final class LocalState {
    static final String SIGNING_KEY = "sa-signing-key.json";
    static final String CA_SECRET = "istio-ca-secret.json";
    static final String ADMIN_TOKEN = "admin-token";
    static final String EPOCH = "epoch";
    /** Where the state lives when {@code --state-dir} is not given: a hidden directory beside the manifests. */
    public static final String DEFAULT_DIR_NAME = ".istiod";

    private final Path dir;
    private final RSAKey signingKey;
    private final String adminToken;
    private final Instant epoch;

    private LocalState(Path dir, RSAKey signingKey, String adminToken, Instant epoch) {
        this.dir = dir;
        this.signingKey = signingKey;
        this.adminToken = adminToken;
        this.epoch = epoch;
    }

    /** Opens the state directory, creating it and whatever it lacks. */
    public static LocalState open(Path dir, Clock clock) {
        try {
            if (!Files.isDirectory(dir)) {
                createPrivateDirectory(dir);
            }
            RSAKey key = ServiceAccountTokens.parseKey(readOrCreate(dir.resolve(SIGNING_KEY),
                    () -> ServiceAccountTokens.newKey().toJSONString()));
            String token = readOrCreate(dir.resolve(ADMIN_TOKEN), LocalState::randomToken).trim();
            Instant epoch = Instant.parse(readOrCreate(dir.resolve(EPOCH),
                    () -> clock.instant().truncatedTo(ChronoUnit.SECONDS).toString()).trim());
            return new LocalState(dir, key, token, epoch);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the state directory " + dir, e);
        }
    }

    /** The state directory of {@code --local DIR} when none is given. */
    public static Path defaultDir(Path manifests) {
        return manifests.resolve(DEFAULT_DIR_NAME);
    }

    /** The token signing key of an existing state directory, without creating anything (for {@code istiod token}). */
    public static Optional<RSAKey> existingSigningKey(Path dir) {
        Path file = dir.resolve(SIGNING_KEY);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(ServiceAccountTokens.parseKey(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public Path dir() {
        return dir;
    }

    public RSAKey signingKey() {
        return signingKey;
    }

    public String adminToken() {
        return adminToken;
    }

    public Instant epoch() {
        return epoch;
    }

    /** The CA Secret's data as last saved (base64 values, as in a Secret), if any. */
    public Optional<Map<String, String>> caSecret() {
        Path file = dir.resolve(CA_SECRET);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(SpecReader.mapper().readValue(Files.readString(file), new TypeReference<TreeMap<String, String>>() {
            }));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalStateException(file + " is not the data of a Secret: " + e.getMessage(), e);
        }
    }

    /** Saves the CA Secret's data (unchanged data is not rewritten). */
    public synchronized void saveCaSecret(Map<String, String> data) {
        String json = SpecReader.mapper().writeValueAsString(new TreeMap<>(data));
        try {
            if (caSecret().map(d -> d.equals(new TreeMap<>(data))).orElse(false)) {
                return;
            }
            writeSecretFile(dir.resolve(CA_SECRET), json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(CA_SECRET), e);
        }
    }

    /** The state holds keys: its directory is the owner's only, where the file system can say so. */
    private static void createPrivateDirectory(Path dir) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectory(dir);
        }
    }

    private interface Maker {
        String make();
    }

    private static String readOrCreate(Path file, Maker maker) throws IOException {
        if (Files.isRegularFile(file)) {
            return Files.readString(file);
        }
        String value = maker.make();
        writeSecretFile(file, value);
        return value;
    }

    /** Writes through a temporary file moved into place, readable by the owner only where that can be said. */
    private static void writeSecretFile(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException | FileAlreadyExistsException e) {
            Files.deleteIfExists(tmp);
            Files.createFile(tmp);
        }
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String randomToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
