package dev.mizzen.pilot.model;

import java.util.Collection;

/** Istio's exportTo rules: {@code *} everyone, {@code .} the owner's namespace, {@code ~} nobody, else named namespaces. */
public final class Visibility {
    private Visibility() {
    }

    public static boolean visible(Collection<String> exportTo, String ownerNamespace, String viewerNamespace) {
        if (exportTo == null || exportTo.isEmpty()) {
            return true;
        }
        for (String target : exportTo) {
            if (target.equals("*") || target.equals(viewerNamespace)
                    || (target.equals(".") && ownerNamespace.equals(viewerNamespace))) {
                return true;
            }
        }
        return false;
    }
}
