package main

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// serviceResolver is how the apiserver finds the server behind a Service that a webhook configuration,
// an APIService or a CRD conversion webhook names (clientConfig.service). The usual resolvers answer with
// the Service's ClusterIP or an endpoint's pod IP: addresses that lead nowhere here, and are not to be
// dialled from this machine. This one answers only with loopback addresses: the apiserver itself for the
// kubernetes Service, and the address a test maps a Service to (--service-address); any other Service is
// an error that says what to do, and the webhook call fails like one whose server is down.
type serviceResolver struct {
	apiserver string            // host:port
	services  map[string]string // namespace/name -> 127.0.0.1:port
}

func (r *serviceResolver) ResolveEndpoint(namespace, name string, port int32) (*url.URL, error) {
	if namespace == "default" && name == "kubernetes" && port == 443 {
		return &url.URL{Scheme: "https", Host: r.apiserver}, nil
	}
	if addr, ok := r.services[namespace+"/"+name]; ok {
		return &url.URL{Scheme: "https", Host: addr}, nil
	}
	return nil, fmt.Errorf("service %s/%s: mizzen-kube only routes to 127.0.0.1: start it with "+
		"--service-address=%s/%s=127.0.0.1:PORT, or give the webhook a clientConfig.url", namespace, name, namespace, name)
}

// serviceAddresses is the repeatable --service-address flag: NAMESPACE/NAME=127.0.0.1:PORT, where every
// port of that Service is the one loopback address (the apiserver still checks the server certificate
// against the name NAME.NAMESPACE.svc, as in a real cluster).
type serviceAddresses map[string]string

func (s serviceAddresses) String() string {
	var parts []string
	for k, v := range s {
		parts = append(parts, k+"="+v)
	}
	return strings.Join(parts, ",")
}

func (s serviceAddresses) Set(v string) error {
	service, addr, ok := strings.Cut(v, "=")
	if !ok || strings.Count(service, "/") != 1 {
		return fmt.Errorf("want NAMESPACE/NAME=127.0.0.1:PORT, got %q", v)
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("%s: only loopback addresses", addr)
	}
	s[service] = addr
	return nil
}
