package dev.mizzen.istiod.webhook;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;

/** Test helper: a JDK HttpClient that trusts exactly one certificate, as the apiserver trusts its caBundle. */
public final class TrustingClient {
    private final HttpClient client;
    private final int port;

    public TrustingClient(X509Certificate trusted, int port) {
        this.port = port;
        client = HttpClient.newBuilder().sslContext(trusting(trusted)).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** A client TLS context that trusts {@code trusted} alone. */
    static SSLContext trusting(X509Certificate trusted) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("istiod", trusted);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    HttpClient client() {
        return client;
    }

    public HttpRequest post(String path, String contentType, byte[] body) {
        return HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    URI uri(String path) {
        return URI.create("https://localhost:" + port + path);
    }

    public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
