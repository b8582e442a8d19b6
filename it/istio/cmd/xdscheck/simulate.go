package main

import (
	"fmt"
	"net/http"

	route "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"

	"istio.io/istio/pilot/pkg/simulation"
	"istio.io/istio/pilot/test/xdstest"
)

// callSpec is a request as Istio's simulation.Call describes it.
type callSpec struct {
	Address  string            `json:"address"`
	Port     int               `json:"port"`
	Protocol string            `json:"protocol"` // http, http2 or tcp
	TLS      string            `json:"tls"`      // plaintext, tls or mtls
	Alpn     string            `json:"alpn"`
	Sni      string            `json:"sni"`
	Host     string            `json:"host"`
	Path     string            `json:"path"`
	Headers  map[string]string `json:"headers"`
	CallMode string            `json:"callMode"` // outbound (iptables to 15001), inbound (to 15006) or gateway
}

// callAnswer is Istio's simulation.Result, plus what the matched route and cluster are in the config: its
// weighted clusters (the simulation names a cluster only for a single-cluster route) and whether each
// cluster the request may go to was served, with how many endpoints.
type callAnswer struct {
	Error            string         `json:"error,omitempty"`
	Listener         string         `json:"listener,omitempty"`
	FilterChain      string         `json:"filterChain,omitempty"`
	RouteConfig      string         `json:"routeConfig,omitempty"`
	VirtualHost      string         `json:"virtualHost,omitempty"`
	Route            string         `json:"route,omitempty"`
	Cluster          string         `json:"cluster,omitempty"`
	WeightedClusters map[string]int `json:"weightedClusters,omitempty"`
	MissingClusters  []string       `json:"missingClusters,omitempty"`
	// Unmodelled names the route matchers the simulation skipped on its way to the route it chose
	// ("headers", "query parameters"): it matches paths only (traffic.go: "TODO this only handles path"),
	// so where an earlier route or the chosen one also matches on these, Envoy may pick another route.
	Unmodelled         []string       `json:"unmodelled,omitempty"`
	EndpointsByCluster map[string]int `json:"endpointsByCluster,omitempty"`
}

const maxPort = 65535

func simulate(c *xdsConfig, spec callSpec) (answer callAnswer) {
	if spec.Port < 1 || spec.Port > maxPort {
		return callAnswer{Error: fmt.Sprintf("bad request: port %d", spec.Port)}
	}
	headers := http.Header{}
	for k, v := range spec.Headers {
		headers.Set(k, v)
	}
	call := simulation.Call{
		Address:    spec.Address,
		Port:       spec.Port,
		Path:       spec.Path,
		Protocol:   simulation.Protocol(spec.Protocol),
		TLS:        simulation.TLSMode(spec.TLS),
		Alpn:       spec.Alpn,
		Sni:        spec.Sni,
		HostHeader: spec.Host,
		Headers:    headers,
		CallMode:   simulation.CallMode(spec.CallMode),
	}
	// The simulation reports trouble with the config it reads (a regex that does not compile, an unknown
	// path matcher) through its *testing.T, which is nil here: that becomes this call's error.
	defer func() {
		if r := recover(); r != nil {
			answer = callAnswer{Error: fmt.Sprintf("the simulation failed: %v", r)}
		}
	}()
	sim := &simulation.Simulation{Listeners: c.Listeners, Clusters: c.Clusters, Routes: c.Routes}
	r := sim.Run(call)
	answer = callAnswer{
		Listener:    r.ListenerMatched,
		FilterChain: r.FilterChainMatched,
		RouteConfig: r.RouteConfigMatched,
		VirtualHost: r.VirtualHostMatched,
		Route:       r.RouteMatched,
		Cluster:     r.ClusterMatched,
	}
	if r.Error != nil {
		answer.Error = r.Error.Error()
		return answer
	}
	answer.Unmodelled = unmodelled(c, r)
	targets := []string{}
	if r.ClusterMatched != "" {
		targets = append(targets, r.ClusterMatched)
	} else if w := weightedClusters(c, r); len(w) > 0 {
		answer.WeightedClusters = w
		for name := range w {
			targets = append(targets, name)
		}
	}
	clusters := xdstest.ExtractClusters(c.Clusters)
	endpoints := xdstest.ExtractLoadAssignments(c.Endpoints)
	for _, name := range targets {
		if _, ok := clusters[name]; !ok {
			answer.MissingClusters = append(answer.MissingClusters, name)
			continue
		}
		if answer.EndpointsByCluster == nil {
			answer.EndpointsByCluster = map[string]int{}
		}
		answer.EndpointsByCluster[name] = len(endpoints[name])
	}
	return answer
}

// weightedClusters finds the matched route in the matched virtual host and returns its weighted clusters.
func weightedClusters(c *xdsConfig, r simulation.Result) map[string]int {
	rc := xdstest.ExtractRouteConfigurations(c.Routes)[r.RouteConfigMatched]
	for _, vh := range rc.GetVirtualHosts() {
		if vh.GetName() != r.VirtualHostMatched {
			continue
		}
		for _, rt := range vh.GetRoutes() {
			if rt.GetName() != r.RouteMatched {
				continue
			}
			action, ok := rt.GetAction().(*route.Route_Route)
			if !ok {
				return nil
			}
			out := map[string]int{}
			for _, wc := range action.Route.GetWeightedClusters().GetClusters() {
				out[wc.GetName()] += int(wc.GetWeight().GetValue())
			}
			return out
		}
	}
	return nil
}

// unmodelled lists the kinds of matchers the simulation ignored in the routes up to the one it chose.
func unmodelled(c *xdsConfig, r simulation.Result) []string {
	rc := xdstest.ExtractRouteConfigurations(c.Routes)[r.RouteConfigMatched]
	headers, query := false, false
	for _, vh := range rc.GetVirtualHosts() {
		if vh.GetName() != r.VirtualHostMatched {
			continue
		}
		for _, rt := range vh.GetRoutes() {
			headers = headers || len(rt.GetMatch().GetHeaders()) > 0
			query = query || len(rt.GetMatch().GetQueryParameters()) > 0
			if rt.GetName() == r.RouteMatched {
				break
			}
		}
	}
	var out []string
	if headers {
		out = append(out, "headers")
	}
	if query {
		out = append(out, "query parameters")
	}
	return out
}
