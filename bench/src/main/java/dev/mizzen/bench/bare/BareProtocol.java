package dev.mizzen.bench.bare;

import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;

/**
 * The bare stream: a bidirectional method shaped like ADS. The server side reads and writes raw bytes;
 * the client side parses responses as DiscoveryResponse and answers each with a DiscoveryRequest ACK,
 * as the simulated proxies do, so both runs load the client side alike; {@link #DELTA_CLIENT} does the same
 * with the delta messages for a run of delta proxies.
 */
final class BareProtocol {
    static final String METHOD = "mizzen.bench.BareStream/Stream";

    static final MethodDescriptor<byte[], byte[]> SERVER = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
            .setFullMethodName(METHOD)
            .setRequestMarshaller(RawMarshaller.INSTANCE)
            .setResponseMarshaller(RawMarshaller.INSTANCE)
            .build();

    static final MethodDescriptor<DiscoveryRequest, DiscoveryResponse> CLIENT =
            MethodDescriptor.<DiscoveryRequest, DiscoveryResponse>newBuilder()
                    .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
                    .setFullMethodName(METHOD)
                    .setRequestMarshaller(ProtoUtils.marshaller(DiscoveryRequest.getDefaultInstance()))
                    .setResponseMarshaller(ProtoUtils.marshaller(DiscoveryResponse.getDefaultInstance()))
                    .build();

    static final MethodDescriptor<DeltaDiscoveryRequest, DeltaDiscoveryResponse> DELTA_CLIENT =
            MethodDescriptor.<DeltaDiscoveryRequest, DeltaDiscoveryResponse>newBuilder()
                    .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
                    .setFullMethodName(METHOD)
                    .setRequestMarshaller(ProtoUtils.marshaller(DeltaDiscoveryRequest.getDefaultInstance()))
                    .setResponseMarshaller(ProtoUtils.marshaller(DeltaDiscoveryResponse.getDefaultInstance()))
                    .build();

    private BareProtocol() {
    }
}
