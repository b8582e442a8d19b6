package dev.mizzen.pilot.serviceregistry.autoregistration;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where auto-registered WorkloadEntries are written (the Kubernetes API in istiod). Calls block; {@link AutoRegistration}
 * makes them from its own thread only.
 */
public interface WorkloadEntryStore {
    /** An entry as registration reads it back: who controls it and when it (dis)connected, and its identity. */
    record Stored(Map<String, String> annotations, String serviceAccount) {
        public Stored {
            annotations = Map.copyOf(annotations);
            serviceAccount = serviceAccount == null ? "" : serviceAccount;
        }
    }

    /** A new entry, owned (as its controller) by the WorkloadGroup {@code group} of the same namespace. */
    record NewEntry(String namespace, String name, String group, Map<String, String> labels,
                    Map<String, String> annotations, Map<String, Object> spec) {
        public NewEntry {
            labels = Map.copyOf(labels);
            annotations = Map.copyOf(annotations);
            spec = Map.copyOf(spec);
        }
    }

    Optional<Stored> get(String namespace, String name);

    void create(NewEntry entry);

    /** Sets and removes annotations of an existing entry. */
    void annotate(String namespace, String name, Map<String, String> set, Set<String> remove);

    void delete(String namespace, String name);
}
