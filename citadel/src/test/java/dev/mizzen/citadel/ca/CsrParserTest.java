package dev.mizzen.citadel.ca;

import dev.mizzen.citadel.testing.Csrs;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsrParserTest {
    @Test
    void takesThePublicKeyOfAWellSignedCsr() {
        KeyPair ec = Csrs.ec();
        KeyPair rsa = Csrs.rsa(2048);

        assertThat(CsrParser.publicKey(Csrs.csr(ec, "spiffe://cluster.local/ns/a/sa/b"))).isEqualTo(ec.getPublic());
        assertThat(CsrParser.publicKey(Csrs.csr(rsa))).isEqualTo(rsa.getPublic());
    }

    @Test
    void refusesWhatIsNotACsr() {
        assertThatThrownBy(() -> CsrParser.publicKey("")).isInstanceOf(CsrException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> CsrParser.publicKey("hello")).isInstanceOf(CsrException.class)
                .hasMessageContaining("CERTIFICATE REQUEST");
        assertThatThrownBy(() -> CsrParser.publicKey("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n"))
                .isInstanceOf(CsrException.class);
    }

    @Test
    void refusesACsrNotSignedByItsOwnKey() {
        String forged = Csrs.signedByAnotherKey(Csrs.ec(), Csrs.ec());

        assertThatThrownBy(() -> CsrParser.publicKey(forged)).isInstanceOf(CsrException.class)
                .hasMessageContaining("not signed by the key it carries");
    }

    @Test
    void refusesRsaKeysUnder2048Bits() {
        String weak = Csrs.csr(Csrs.rsa(1024));

        assertThatThrownBy(() -> CsrParser.publicKey(weak)).isInstanceOf(CsrException.class)
                .hasMessageContaining("1024 bits").hasMessageContaining("2048");
    }
}
