package dev.mizzen.galley.analysis;

import dev.mizzen.api.config.Config;

import java.util.Comparator;
import java.util.List;

/** Objects in the order Istio's analysis walks them: by namespace, then name. */
final class Sorted {
    private static final Comparator<Config<?>> BY_NAME = Comparator.comparing((Config<?> c) -> c.namespace())
            .thenComparing(Config::name);

    private Sorted() {
    }

    static <S> List<Config<S>> byName(List<Config<S>> configs) {
        return configs.stream().sorted(BY_NAME).toList();
    }
}
