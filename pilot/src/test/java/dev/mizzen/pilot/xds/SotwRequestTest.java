package dev.mizzen.pilot.xds;

import com.google.protobuf.CodedOutputStream;
import com.google.rpc.Status;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A SotW request read with its names set apart: the same request, and equal names recognised by their bytes. */
class SotwRequestTest {
    private static final DiscoveryRequest ACK = DiscoveryRequest.newBuilder()
            .setNode(Node.newBuilder().setId("sidecar~10.0.0.1~a-1.default~default.svc.cluster.local"))
            .setTypeUrl(TypeUrls.ENDPOINT).setVersionInfo("v1").setResponseNonce("7")
            .addAllResourceNames(List.of("outbound|80||a.default.svc.cluster.local", "outbound|80||b.default.svc.cluster.local"))
            .build();

    private static SotwRequest read(DiscoveryRequest request) throws Exception {
        return new SotwRequest.Marshaller().parse(new java.io.ByteArrayInputStream(request.toByteArray()));
    }

    @Test
    void everyFieldIsReadAndTheNamesInTheirOrder() throws Exception {
        SotwRequest read = read(ACK.toBuilder().setErrorDetail(Status.newBuilder().setMessage("bad")).build());
        assertThat(read.nameCount()).isEqualTo(2);
        assertThat(read.nameList()).containsExactly("outbound|80||a.default.svc.cluster.local",
                "outbound|80||b.default.svc.cluster.local");
        assertThat(read.rest().getResourceNamesCount()).isZero();
        assertThat(read.rest().getErrorDetail().getMessage()).isEqualTo("bad");
        assertThat(read.toRequest()).isEqualTo(ACK.toBuilder().setErrorDetail(Status.newBuilder().setMessage("bad")).build());
    }

    @Test
    void equalNamesHaveOneFingerprintWhateverElseTheRequestSaysAndOtherNamesAnother() throws Exception {
        SotwRequest first = read(ACK);
        SotwRequest next = read(ACK.toBuilder().setResponseNonce("8").setVersionInfo("v2").clearNode().build());
        assertThat(next.fingerprint()).isEqualTo(first.fingerprint());
        SotwRequest reordered = read(ACK.toBuilder().clearResourceNames()
                .addResourceNames("outbound|80||b.default.svc.cluster.local")
                .addResourceNames("outbound|80||a.default.svc.cluster.local").build());
        assertThat(reordered.fingerprint()).isNotEqualTo(first.fingerprint());
        SotwRequest fewer = read(ACK.toBuilder().clearResourceNames().addResourceNames(ACK.getResourceNames(0)).build());
        assertThat(fewer.fingerprint()).isNotEqualTo(first.fingerprint());
        assertThat(read(DiscoveryRequest.getDefaultInstance()).nameList()).isEmpty();
    }

    @Test
    void namesThatAreNotUtf8AreRefusedWhenRead() throws Exception {
        // protobuf's builders refuse such strings: written by hand, as a hostile client would
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeBytes(DiscoveryRequest.RESOURCE_NAMES_FIELD_NUMBER,
                com.google.protobuf.ByteString.copyFrom(new byte[]{(byte) 0xff, (byte) 0xfe}));
        out.flush();
        SotwRequest read = SotwRequest.parse(bytes.toByteArray(), bytes.size());
        assertThat(read.nameCount()).isEqualTo(1);
        assertThatThrownBy(() -> read.nameList().get(0)).isInstanceOfSatisfying(io.grpc.StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT));
    }

    @Test
    void namesBetweenOtherFieldsAreReadToo() throws Exception {
        // a client may write fields in any order: name, type URL, name
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeString(DiscoveryRequest.RESOURCE_NAMES_FIELD_NUMBER, "a");
        out.writeString(DiscoveryRequest.TYPE_URL_FIELD_NUMBER, TypeUrls.ENDPOINT);
        out.writeString(DiscoveryRequest.RESOURCE_NAMES_FIELD_NUMBER, "b");
        out.flush();
        SotwRequest read = SotwRequest.parse(bytes.toByteArray(), bytes.size());
        assertThat(read.rest().getTypeUrl()).isEqualTo(TypeUrls.ENDPOINT);
        assertThat(read.nameList()).containsExactly("a", "b");
        assertThat(read.fingerprint()).isEqualTo(read(DiscoveryRequest.newBuilder().addResourceNames("a")
                .addResourceNames("b").build()).fingerprint());
    }
}
