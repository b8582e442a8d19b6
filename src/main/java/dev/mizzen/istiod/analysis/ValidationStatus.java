package dev.mizzen.istiod.analysis;

import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.galley.analysis.DiagMessage;
import dev.mizzen.galley.analysis.Origin;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What each Istio config object's {@code status} should say after an analysis, and which objects must be written to
 * get there: pure functions, no I/O.
 *
 * <p>The shape is Istio's {@code IstioStatus} ({@code istio.io/api/meta/v1alpha1}): {@code validationMessages} is a
 * list of {@code AnalysisMessageBase} ({@code type: {code, name}}, {@code level} as the enum's name, {@code
 * documentationUrl}), one per message in the analysis's order, and {@code observedGeneration} the generation analysed.
 * Istio's analysis controller owns {@code validationMessages} alone and leaves {@code conditions} to others; a JSON
 * merge patch of those two fields does the same.
 *
 * <p>Unlike Istio, which re-sends the messages of every object that has or had some at each interval (and so cannot
 * clear what a crashed leader wrote), the plan compares with what each object's status says now, as the informers
 * hold it: an object is written only when its messages differ, or when they are unchanged but about an older
 * generation; objects without messages that never had any are never written.
 */
public final class ValidationStatus {
    /** Where Istio's message pages are ({@code pkg/url}: {@code .../docs/reference/config/analysis/ist0101/}). */
    static final String DOCS = "https://istio.io/latest/docs/reference/config/analysis/";
    /** At most this many messages are written into one object's status (etcd keeps objects under 1.5 MB). */
    static final int MAX_MESSAGES_PER_OBJECT = 256;

    private ValidationStatus() {}

    /**
     * One Istio config object as the informer holds it now.
     *
     * @param status its {@code status} as read (empty when it has none)
     */
    public record Observed(ConfigKey key, long generation, String resourceVersion, Map<String, Object> status) {
        public Observed {
            Objects.requireNonNull(key, "key");
            resourceVersion = resourceVersion == null ? "" : resourceVersion;
            status = status == null ? Map.of() : status;
        }
    }

    /**
     * One status write: a JSON merge patch of the status subresource, made conditional on the resource version the
     * plan compared with, so it never lands on a version it did not see.
     *
     * @param validationMessages the messages to write; empty clears them
     */
    public record Patch(ConfigKey key, String resourceVersion, long observedGeneration,
                        List<Map<String, Object>> validationMessages) {
        public Patch {
            Objects.requireNonNull(key, "key");
            validationMessages = List.copyOf(validationMessages);
        }

        /** The merge patch body; {@code validationMessages: null} removes the field, as Istio's writes of none do. */
        public Map<String, Object> body() {
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("observedGeneration", observedGeneration);
            status.put("validationMessages", validationMessages.isEmpty() ? null : validationMessages);
            Map<String, Object> body = new LinkedHashMap<>();
            if (!resourceVersion.isEmpty()) {
                body.put("metadata", Map.of("resourceVersion", resourceVersion));
            }
            body.put("status", status);
            return body;
        }
    }

    /** Istio's {@code diag.Message.AnalysisMessageBase()} of a message, as JSON. */
    public static Map<String, Object> messageBase(DiagMessage message) {
        Map<String, Object> type = new LinkedHashMap<>();
        type.put("code", message.code());
        type.put("name", message.type().name());
        Map<String, Object> base = new LinkedHashMap<>();
        base.put("documentationUrl", DOCS + message.code().toLowerCase(Locale.ROOT) + "/");
        base.put("level", message.level().name());
        base.put("type", type);
        return base;
    }

    /** The Istio config object a message is about, or empty for Services, Pods, Namespaces and other kinds. */
    public static Optional<ConfigKey> target(Origin origin) {
        return ConfigKind.all().stream()
                .filter(kind -> kind.kind().equals(origin.kind()))
                .findFirst()
                .filter(kind -> !origin.namespace().isEmpty())
                .map(kind -> ConfigKey.of(kind, origin.namespace(), origin.name()));
    }

    /** The validationMessages each Istio config object should carry, in the analysis's order. */
    public static Map<ConfigKey, List<Map<String, Object>>> desired(List<DiagMessage> messages) {
        Map<ConfigKey, List<Map<String, Object>>> out = new HashMap<>();
        for (DiagMessage m : messages) {
            target(m.origin()).ifPresent(key -> {
                List<Map<String, Object>> list = out.computeIfAbsent(key, k -> new ArrayList<>());
                if (list.size() < MAX_MESSAGES_PER_OBJECT) {
                    list.add(messageBase(m));
                }
            });
        }
        return out;
    }

    /**
     * The writes that bring every analysed object's status to what the analysis says.
     *
     * @param messages  the analysis's messages
     * @param analysed  the generation of each object the analysis saw
     * @param current   the objects as they are now; one whose generation is not the analysed one is left for the
     *                  next analysis, one the analysis did not see (rejected by validation) is left alone
     */
    public static List<Patch> plan(List<DiagMessage> messages, Map<ConfigKey, Long> analysed,
                                   Collection<Observed> current) {
        Map<ConfigKey, List<Map<String, Object>>> desired = desired(messages);
        List<Patch> out = new ArrayList<>();
        for (Observed o : current) {
            Long generation = analysed.get(o.key());
            if (generation == null || generation != o.generation()) {
                continue;
            }
            List<Map<String, Object>> want = desired.getOrDefault(o.key(), List.of());
            List<?> have = currentMessages(o.status());
            boolean sameMessages = want.equals(have);
            if (sameMessages && (want.isEmpty() || observedGeneration(o.status()).orElse(-1L) == generation)) {
                continue;
            }
            out.add(new Patch(o.key(), o.resourceVersion(), generation, want));
        }
        out.sort((a, b) -> a.key().compareTo(b.key()));
        return out;
    }

    private static List<?> currentMessages(Map<String, Object> status) {
        return status.get("validationMessages") instanceof List<?> list ? list : List.of();
    }

    /** {@code observedGeneration} as written: a number, or a string as Istio's protobuf JSON writes an int64. */
    static Optional<Long> observedGeneration(Map<String, Object> status) {
        Object value = status.get("observedGeneration");
        if (value instanceof Number n) {
            return Optional.of(n.longValue());
        }
        if (value instanceof String s) {
            try {
                return Optional.of(Long.parseLong(s.trim()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
