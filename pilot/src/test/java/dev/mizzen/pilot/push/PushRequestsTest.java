package dev.mizzen.pilot.push;

import dev.mizzen.api.config.ChangeEvent;
import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.api.config.ConfigKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What push each change of the registry or the config store calls for. */
class PushRequestsTest {
    @Test
    void endpointChangesPushOnlyEndpointsAndEverythingElsePushesFull() {
        ConfigKey vs = ConfigKey.of(ConfigKind.VIRTUAL_SERVICE, "default", "reviews");
        assertThat(PushRequests.of(new ChangeEvent.EndpointsChanged("reviews.default.svc.cluster.local",
                ChangeEvent.Type.UPDATED))).isEqualTo(PushRequest.endpoints("reviews.default.svc.cluster.local"));
        assertThat(PushRequests.of(new ChangeEvent.ConfigChanged(vs, ChangeEvent.Type.ADDED))).isEqualTo(PushRequest.config(vs));
        assertThat(PushRequests.of(new ChangeEvent.ServiceChanged("a", ChangeEvent.Type.DELETED)).isFull()).isTrue();
        assertThat(PushRequests.of(new ChangeEvent.CredentialChanged("default", "tls", ChangeEvent.Type.UPDATED)).isFull()).isTrue();
    }

    @Test
    void newJwtKeysPushFullNamingTheKeySet() {
        PushRequest byUri = PushRequests.of(new ChangeEvent.JwksChanged("issuer-foo", "https://example.com/jwks.json",
                ChangeEvent.Type.UPDATED));
        assertThat(byUri.isFull()).isTrue();
        assertThat(byUri.jwksUpdated()).containsExactly("https://example.com/jwks.json");
        assertThat(byUri.configsUpdated()).isEmpty();
        // keys discovered from the issuer's OpenID document are named by the issuer
        assertThat(PushRequests.of(new ChangeEvent.JwksChanged("https://accounts.example.com", "", ChangeEvent.Type.ADDED))
                .jwksUpdated()).containsExactly("issuer:https://accounts.example.com");
        assertThat(byUri.merge(PushRequest.endpoints("a")).jwksUpdated()).containsExactly("https://example.com/jwks.json");
    }
}
