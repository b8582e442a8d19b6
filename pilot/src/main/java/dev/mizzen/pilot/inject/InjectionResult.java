package dev.mizzen.pilot.inject;

import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/** What the injector made of a pod: injected, left alone (with why), or refused (with every reason). */
public sealed interface InjectionResult {
    /** The pod with its sidecar; a new tree, the request's pod is untouched. */
    record Injected(ObjectNode pod) implements InjectionResult {
    }

    /** Injection does not apply to this pod (policy, host network, already injected...). */
    record Skipped(String reason) implements InjectionResult {
    }

    /** The pod cannot be injected as asked; the messages say why, each on its own. */
    record Rejected(List<String> errors) implements InjectionResult {
        public Rejected {
            errors = List.copyOf(errors);
        }

        public String message() {
            return String.join("; ", errors);
        }
    }
}
