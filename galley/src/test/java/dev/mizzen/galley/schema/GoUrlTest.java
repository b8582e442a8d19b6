package dev.mizzen.galley.schema;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Go's url.ParseRequestURI, as Kubernetes' url() and isURL() use it. */
class GoUrlTest {
    @Test
    void absoluteUrlsAndPathsAreAccepted() throws Exception {
        GoUrl url = GoUrl.parseRequestUri("HTTPS://user@example.com:8443/a/b?q=1");
        assertThat(url.scheme()).isEqualTo("https");
        assertThat(url.host()).isEqualTo("example.com:8443");
        assertThat(url.hostname()).isEqualTo("example.com");
        assertThat(url.port()).isEqualTo("8443");
        assertThat(GoUrl.parseRequestUri("file:///opt/filters/openid.wasm").scheme()).isEqualTo("file");
        assertThat(GoUrl.parseRequestUri("/just/a/path").scheme()).isEmpty();
        assertThat(GoUrl.parseRequestUri("mailto:someone").scheme()).isEqualTo("mailto");
        assertThat(GoUrl.parseRequestUri("http://[::1]:80/").hostname()).isEqualTo("::1");
    }

    @Test
    void whatGoRefusesIsRefused() {
        assertThatThrownBy(() -> GoUrl.parseRequestUri("test")).hasMessage("invalid URI for request");
        assertThatThrownBy(() -> GoUrl.parseRequestUri("http://#%blah$#@")).hasMessage("invalid userinfo");
        assertThatThrownBy(() -> GoUrl.parseRequestUri("hTPp\\\blah")).hasMessage("invalid control character in URL");
        assertThatThrownBy(() -> GoUrl.parseRequestUri(":x")).hasMessage("missing protocol scheme");
        assertThatThrownBy(() -> GoUrl.parseRequestUri("http://a b/")).hasMessageContaining("in host name");
        assertThatThrownBy(() -> GoUrl.parseRequestUri("http://host:port/")).hasMessageContaining("invalid port");
        assertThatThrownBy(() -> GoUrl.parseRequestUri("http://x/%zz")).hasMessageContaining("invalid URL escape");
    }
}
