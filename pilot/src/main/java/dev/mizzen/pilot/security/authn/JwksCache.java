package dev.mizzen.pilot.security.authn;

import dev.mizzen.api.config.ChangeListener;

/**
 * istiod's JWKS cache as the push pipeline sees it: the keys it holds now (a read, never I/O), and a
 * {@link dev.mizzen.api.config.ChangeEvent.JwksChanged} whenever the keys of a URI change, so that a push takes
 * them to the proxies. {@link JwksResolver} is the real one.
 */
public interface JwksCache extends JwksSource {
    /** Registers a listener that hears about every change after it was added. */
    void addListener(ChangeListener listener);

    /** A cache that fetches nothing: every issuer without inline keys gets {@link FakeJwks}, and nothing changes. */
    static JwksCache none() {
        return new JwksCache() {
            @Override
            public String jwks(String issuer, String jwksUri) {
                return FakeJwks.JSON;
            }

            @Override
            public void addListener(ChangeListener listener) {
                // nothing ever changes
            }
        };
    }
}
