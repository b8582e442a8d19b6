package dev.mizzen.istiod.cli.inspect;

import picocli.CommandLine.Option;

/** {@code --istiod-address}: where the inspecting verbs find istiod's monitoring port. */
public final class IstiodAddress {
    @Option(names = "--istiod-address", paramLabel = "HOST:PORT", defaultValue = "localhost:15014",
            description = "istiod's monitoring port, which serves the debug endpoints (default ${DEFAULT-VALUE}). "
                    + "istiod answers callers on its own machine; elsewhere, forward the port first.")
    String address;

    IstiodClient client() {
        return IstiodClient.of(address);
    }
}
