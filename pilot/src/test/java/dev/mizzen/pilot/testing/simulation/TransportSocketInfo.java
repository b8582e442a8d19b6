package dev.mizzen.pilot.testing.simulation;

import java.util.List;

/**
 * An upstream transport socket of a cluster.
 *
 * @param name    the transport_socket_matches entry's name, or "default" for the cluster's transport_socket
 * @param match   the endpoint metadata it applies to (empty for default), e.g. {tlsMode=istio}
 * @param tls     whether it originates TLS (UpstreamTlsContext); false: plaintext or another socket type
 * @param secrets SDS secret names (certificate, then validation context), e.g. [default, ROOTCA]
 */
public record TransportSocketInfo(String name, String match, boolean tls, String sni, List<String> sans,
                                  List<String> alpn, List<String> secrets, String socketType) {

    public TransportSocketInfo {
        sans = List.copyOf(sans);
        alpn = List.copyOf(alpn);
        secrets = List.copyOf(secrets);
    }

    @Override
    public String toString() {
        String where = name + (match.equals("{}") || match.isEmpty() ? "" : " " + match) + ": ";
        if (!tls) {
            return where + socketType;
        }
        return where + "tls(sni " + (sni.isEmpty() ? "-" : sni) + (sans.isEmpty() ? "" : ", sans " + sans)
                + (secrets.isEmpty() ? "" : ", sds " + secrets) + (alpn.isEmpty() ? "" : ", alpn " + alpn) + ")";
    }
}
