package dev.mizzen.galley.analysis;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.networking.ServiceEntry;
import dev.mizzen.api.networking.ServicePort;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Istio's {@code serviceentry.ConflictingServiceEntryProtocolAnalyzer}: ServiceEntries visible in one namespace that
 * declare the same host and port with different protocols (IST0177); only one protocol can be served there. A
 * ServiceEntry exported to some namespaces clashes with one exported to all. Each ServiceEntry is reported once.
 */
final class ServiceEntryProtocolConflictAnalyzer implements Analyzer {
    private record Key(String scope, String host, int port) {
    }

    private record Entry(String protocol, Config<ServiceEntry> config) {
    }

    @Override
    public String name() {
        return "serviceentry.ConflictingServiceEntryProtocolAnalyzer";
    }

    @Override
    public String description() {
        return "Checks if multiple ServiceEntries define the same host and port with different protocols";
    }

    @Override
    public void analyze(AnalysisContext ctx) {
        Map<Key, List<Entry>> index = new LinkedHashMap<>();
        for (Config<ServiceEntry> c : Sorted.byName(ctx.list(ConfigKind.SERVICE_ENTRY))) {
            ServiceEntry se = c.spec();
            Set<String> scopes = new LinkedHashSet<>();
            if (se.exportTo().isEmpty() || se.exportTo().contains(AnalysisContext.EXPORT_TO_ALL)) {
                scopes.add(AnalysisContext.EXPORT_TO_ALL);
            } else {
                se.exportTo().forEach(e -> scopes.add(e.equals(AnalysisContext.EXPORT_TO_LOCAL) ? c.namespace() : e));
            }
            for (String scope : scopes) {
                for (String host : se.hosts()) {
                    for (ServicePort p : se.ports()) {
                        int number = p.number() == null ? 0 : p.number();
                        index.computeIfAbsent(new Key(scope, host, number), k -> new ArrayList<>())
                                .add(new Entry(p.protocol() == null ? "" : p.protocol(), c));
                    }
                }
            }
        }
        Set<Config<ServiceEntry>> reported = new HashSet<>();
        for (Map.Entry<Key, List<Entry>> e : index.entrySet()) {
            Key key = e.getKey();
            List<Entry> entries = new ArrayList<>(e.getValue());
            if (!key.scope().equals(AnalysisContext.EXPORT_TO_ALL)) {
                entries.addAll(index.getOrDefault(new Key(AnalysisContext.EXPORT_TO_ALL, key.host(), key.port()), List.of()));
            }
            Set<String> protocols = new TreeSet<>();
            entries.forEach(x -> protocols.add(x.protocol().toUpperCase(Locale.ROOT)));
            if (protocols.size() < 2) {
                continue;
            }
            String names = String.join(", ", new TreeSet<>(entries.stream()
                    .map(x -> AnalysisContext.origin(x.config()).fullName()).toList()));
            for (Entry x : entries) {
                if (reported.add(x.config())) {
                    ctx.report(Messages.CONFLICTING_SERVICE_ENTRY_PROTOCOL.on(AnalysisContext.origin(x.config()), names,
                            key.host(), key.port(), String.join(", ", protocols)).at("metadata.name"));
                }
            }
        }
    }
}
