package dev.mizzen.api.networking;

import dev.mizzen.api.config.Copies;

import java.util.List;
import java.util.Map;

/** Istio {@code HTTPMatchRequest}: conditions ANDed together; the matches of one route are ORed. */
public record HttpMatchRequest(
        String name,
        StringMatch uri,
        StringMatch scheme,
        StringMatch method,
        StringMatch authority,
        Map<String, StringMatch> headers,
        Integer port,
        Map<String, String> sourceLabels,
        List<String> gateways,
        Map<String, StringMatch> queryParams,
        Boolean ignoreUriCase,
        Map<String, StringMatch> withoutHeaders,
        String sourceNamespace,
        String statPrefix) {
    public HttpMatchRequest {
        headers = Copies.map(headers);
        sourceLabels = Copies.map(sourceLabels);
        gateways = Copies.list(gateways);
        queryParams = Copies.map(queryParams);
        withoutHeaders = Copies.map(withoutHeaders);
    }
}
