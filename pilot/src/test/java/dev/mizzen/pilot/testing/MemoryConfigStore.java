package dev.mizzen.pilot.testing;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigEvent;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.config.ConfigListener;
import dev.mizzen.api.config.ConfigStore;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A config store in memory, for tests of pilot without galley. */
public final class MemoryConfigStore implements ConfigStore {
    private final Map<dev.mizzen.api.config.ConfigKey, Config<?>> configs = new ConcurrentHashMap<>();
    private final List<ConfigListener> listeners = new CopyOnWriteArrayList<>();

    public MemoryConfigStore(List<Config<?>> initial) {
        initial.forEach(c -> configs.put(c.key(), c));
    }

    public void put(Config<?> config) {
        Config<?> previous = configs.put(config.key(), config);
        ConfigEvent.Type type = previous == null ? ConfigEvent.Type.ADDED : ConfigEvent.Type.UPDATED;
        listeners.forEach(l -> l.onChange(new ConfigEvent(config.key(), type)));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S> List<Config<S>> list(ConfigKind kind) {
        return configs.values().stream().filter(c -> c.key().kind() == kind).map(c -> (Config<S>) c).toList();
    }

    @Override
    public void addListener(ConfigListener listener) {
        listeners.add(listener);
    }

    @Override
    public boolean hasSynced() {
        return true;
    }
}
