package dev.mizzen.pilot.testing;

import dev.mizzen.api.config.ChangeEvent;
import dev.mizzen.api.config.ChangeListener;
import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.api.config.ConfigSnapshot;
import dev.mizzen.api.config.ConfigStore;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A config store in memory, for tests of pilot without galley. */
public final class MemoryConfigStore implements ConfigStore {
    private final Map<ConfigKey, Config<?>> configs = new ConcurrentHashMap<>();
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();

    public MemoryConfigStore(List<Config<?>> initial) {
        initial.forEach(c -> configs.put(c.key(), c));
    }

    /** A snapshot of these objects. */
    public static ConfigSnapshot snapshotOf(List<Config<?>> configs) {
        return ConfigSnapshot.of(configs);
    }

    public void put(Config<?> config) {
        Config<?> previous = configs.put(config.key(), config);
        ChangeEvent.Type type = previous == null ? ChangeEvent.Type.ADDED : ChangeEvent.Type.UPDATED;
        listeners.forEach(l -> l.onChange(new ChangeEvent.ConfigChanged(config.key(), type)));
    }

    @Override
    public ConfigSnapshot snapshot() {
        return ConfigSnapshot.of(configs.values());
    }

    @Override
    public void addListener(ChangeListener listener) {
        listeners.add(listener);
    }

    @Override
    public boolean hasSynced() {
        return true;
    }
}
