package dev.mizzen.pilot.networking.envoyfilter;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The list operations patches share for listener filters, network filters and HTTP filters (Istio's
 * listener_patch.go with util.go's insertBeforeFunc/insertAfterFunc/replaceFunc): ADD appends, INSERT_FIRST
 * prepends, INSERT_BEFORE/AFTER go next to the first match (or first/last without a match to look for),
 * REPLACE replaces the first match, REMOVE removes every match. Pure.
 */
final class ListPatches {
    private ListPatches() {
    }

    /**
     * @param hasMatch  whether the patch names an element to look for
     * @param matches   whether an element is the one named
     * @return the new list, or the same one when the patch did nothing
     */
    static <E> List<E> apply(ConfigPatch.Operation op, List<E> list, E value, boolean hasMatch, Predicate<E> matches) {
        List<E> out = new ArrayList<>(list);
        switch (op) {
            case ADD -> out.add(value);
            case INSERT_FIRST -> out.add(0, value);
            case INSERT_AFTER -> {
                if (!hasMatch) {
                    out.add(value);
                } else {
                    int at = indexOf(out, matches);
                    if (at < 0) {
                        return list;
                    }
                    out.add(at + 1, value);
                }
            }
            case INSERT_BEFORE -> {
                if (!hasMatch) {
                    out.add(0, value);
                } else {
                    int at = indexOf(out, matches);
                    if (at < 0) {
                        return list;
                    }
                    out.add(at, value);
                }
            }
            case REPLACE -> {
                int at = hasMatch ? indexOf(out, matches) : -1;
                if (at < 0) {
                    return list;
                }
                out.set(at, value);
            }
            case REMOVE -> {
                if (!hasMatch || !out.removeIf(matches)) {
                    return list;
                }
            }
            default -> {
                return list;
            }
        }
        return out;
    }

    private static <E> int indexOf(List<E> list, Predicate<E> matches) {
        for (int i = 0; i < list.size(); i++) {
            if (matches.test(list.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
