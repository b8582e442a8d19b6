package dev.mizzen.galley.validation;

import dev.mizzen.api.networking.ServerTlsSettings;
import dev.mizzen.api.networking.TlsCertificate;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * TLS terminated by a Gateway server or a Sidecar ingress listener: what each mode needs (SIMPLE a
 * certificate and key, MUTUAL also a client CA bundle, unless a credential supplies them; ISTIO_MUTUAL none of
 * them), one certificate source, and warnings for cipher suites the proxy will ignore.
 */
final class ServerTlsValidator {
    static final Set<String> MODES = Set.of("PASSTHROUGH", "SIMPLE", "MUTUAL", "AUTO_PASSTHROUGH", "ISTIO_MUTUAL",
            "OPTIONAL_MUTUAL");
    private static final Set<String> VERSIONS = Set.of("TLS_AUTO", "TLSV1_0", "TLSV1_1", "TLSV1_2", "TLSV1_3");
    /** BoringSSL's cipher suites a gateway accepts (besides expressions starting with an operator). */
    private static final Set<String> CIPHERS = Set.of(
            "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
            "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
            "ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA", "ECDHE-RSA-AES256-SHA",
            "AES128-GCM-SHA256", "AES256-GCM-SHA384", "AES128-SHA", "AES256-SHA", "DES-CBC3-SHA", "ALL", "");

    private ServerTlsValidator() {
    }

    /** The mode, PASSTHROUGH when unset (the enum's zero value). */
    static String mode(ServerTlsSettings tls) {
        return tls.mode() == null ? "PASSTHROUGH" : tls.mode();
    }

    static void check(Findings out, FieldPath at, ServerTlsSettings tls) {
        if (tls == null) {
            return;
        }
        Enums.check(out, at.field("mode"), tls.mode(), MODES);
        Enums.check(out, at.field("minProtocolVersion"), tls.minProtocolVersion(), VERSIONS);
        Enums.check(out, at.field("maxProtocolVersion"), tls.maxProtocolVersion(), VERSIONS);
        ciphers(out, at, tls);
        String mode = mode(tls);
        boolean credentialName = !isEmpty(tls.credentialName());
        boolean credentialNames = !tls.credentialNames().isEmpty();
        boolean certificates = !tls.tlsCertificates().isEmpty();
        if (mode.equals("ISTIO_MUTUAL")) {
            // Istio's own certificates are used: nothing else may be given
            forbid(out, at.field("serverCertificate"), !isEmpty(tls.serverCertificate()), "server certificate");
            forbid(out, at.field("privateKey"), !isEmpty(tls.privateKey()), "private key");
            forbid(out, at.field("caCertificates"), !isEmpty(tls.caCertificates()), "CA bundle");
            forbid(out, at.field("tlsCertificates"), certificates, "tlsCertificates");
            forbid(out, at.field("credentialName"), credentialName, "credentialName");
            forbid(out, at.field("credentialNames"), credentialNames, "credentialNames");
            return;
        }
        if ((mode.equals("PASSTHROUGH") || mode.equals("AUTO_PASSTHROUGH")) && (!isEmpty(tls.caCrl())
                || !isEmpty(tls.serverCertificate()) || !isEmpty(tls.privateKey()) || !isEmpty(tls.caCertificates())
                || certificates || credentialName || credentialNames)) {
            out.warning(at, mode + " mode does not use certificates, they will be ignored");
        }
        int sources = Enums.countSet(isEmpty(tls.serverCertificate()) || isEmpty(tls.privateKey()) ? null : "files",
                credentialName ? "name" : null, credentialNames ? "names" : null, certificates ? "certificates" : null);
        if (sources > 1) {
            out.error(at, "only one of credential_name, credential_names, server_certificate/private_key, "
                    + "tls_certificates should be specified");
        }
        boolean terminates = mode.equals("SIMPLE") || mode.equals("MUTUAL") || mode.equals("OPTIONAL_MUTUAL");
        if (terminates && (credentialName || credentialNames)) {
            return; // the credential (a Secret) supplies certificate, key and CA bundle
        }
        if (terminates) {
            String prefix = mode.equals("SIMPLE") ? "SIMPLE TLS" : "MUTUAL TLS";
            if (!mode.equals("SIMPLE") && isEmpty(tls.caCertificates())) {
                out.error(at.field("caCertificates"), prefix + " requires a client CA bundle");
            }
            if (tls.tlsCertificates().size() > 2) {
                out.warning(at.field("tlsCertificates"), prefix + " can support up to 2 server certificates");
            }
            List<TlsCertificate> certs = certificates ? tls.tlsCertificates()
                    : List.of(new TlsCertificate(tls.serverCertificate(), tls.privateKey(), null));
            for (int i = 0; i < certs.size(); i++) {
                FieldPath p = certificates ? at.field("tlsCertificates").index(i) : at;
                if (isEmpty(certs.get(i).serverCertificate())) {
                    out.error(p.field("serverCertificate"), prefix + " requires a server certificate");
                }
                if (isEmpty(certs.get(i).privateKey())) {
                    out.error(p.field("privateKey"), prefix + " requires a private key");
                }
            }
        }
        if (!isEmpty(tls.caCrl())) {
            if (credentialName) {
                out.error(at.field("caCrl"), "CRL is not supported with credentialName. CRL has to be specified in the credential");
            }
            if (mode.equals("SIMPLE")) {
                out.error(at.field("caCrl"), "CRL is not supported with SIMPLE TLS");
            }
        }
    }

    private static void ciphers(Findings out, FieldPath at, ServerTlsSettings tls) {
        String min = tls.minProtocolVersion();
        if (("TLSV1_0".equals(min) || "TLSV1_1".equals(min)) && tls.cipherSuites().isEmpty()) {
            out.warning(at.field("minProtocolVersion"), "TLS version below TLSV1_2 require setting compatible ciphers "
                    + "as by default they no longer include compatible ciphers.");
        }
        Set<String> valid = new HashSet<>();
        Set<String> invalid = new TreeSet<>();
        Set<String> duplicate = new TreeSet<>();
        for (String cs : tls.cipherSuites()) {
            boolean operator = !cs.isEmpty() && !Character.isLetterOrDigit(cs.charAt(0));
            if (!operator && !CIPHERS.contains(cs)) {
                invalid.add(cs);
            } else if (!valid.add(cs)) {
                duplicate.add(cs);
            }
        }
        if (!invalid.isEmpty()) {
            out.warning(at.field("cipherSuites"), "ignoring invalid cipher suites: " + invalid);
        }
        if (!duplicate.isEmpty()) {
            out.warning(at.field("cipherSuites"), "ignoring duplicate cipher suites: " + duplicate);
        }
    }

    private static void forbid(Findings out, FieldPath at, boolean present, String what) {
        if (present) {
            out.error(at, "ISTIO_MUTUAL TLS cannot have associated " + what);
        }
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }
}
