package dev.mizzen.api.security;

import dev.mizzen.api.config.Copies;

import java.util.List;

/**
 * Istio {@code Source}: peer and request identities and IP blocks; fields are ANDed, values within a field
 * ORed.
 */
public record Source(
        List<String> principals,
        List<String> notPrincipals,
        List<String> requestPrincipals,
        List<String> notRequestPrincipals,
        List<String> namespaces,
        List<String> notNamespaces,
        List<String> serviceAccounts,
        List<String> notServiceAccounts,
        List<String> trustDomains,
        List<String> notTrustDomains,
        List<String> ipBlocks,
        List<String> notIpBlocks,
        List<String> remoteIpBlocks,
        List<String> notRemoteIpBlocks) {
    public Source {
        principals = Copies.list(principals);
        notPrincipals = Copies.list(notPrincipals);
        requestPrincipals = Copies.list(requestPrincipals);
        notRequestPrincipals = Copies.list(notRequestPrincipals);
        namespaces = Copies.list(namespaces);
        notNamespaces = Copies.list(notNamespaces);
        serviceAccounts = Copies.list(serviceAccounts);
        notServiceAccounts = Copies.list(notServiceAccounts);
        trustDomains = Copies.list(trustDomains);
        notTrustDomains = Copies.list(notTrustDomains);
        ipBlocks = Copies.list(ipBlocks);
        notIpBlocks = Copies.list(notIpBlocks);
        remoteIpBlocks = Copies.list(remoteIpBlocks);
        notRemoteIpBlocks = Copies.list(notRemoteIpBlocks);
    }
}
