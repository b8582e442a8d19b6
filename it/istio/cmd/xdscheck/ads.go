package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"time"

	cluster "github.com/envoyproxy/go-control-plane/envoy/config/cluster/v3"
	core "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	endpoint "github.com/envoyproxy/go-control-plane/envoy/config/endpoint/v3"
	listener "github.com/envoyproxy/go-control-plane/envoy/config/listener/v3"
	route "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	discovery "github.com/envoyproxy/go-control-plane/envoy/service/discovery/v3"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"

	v3 "istio.io/istio/pilot/pkg/xds/v3"
	"istio.io/istio/pilot/test/xdstest"
)

// maxResponseBytes bounds one discovery response; Bookinfo's config is well under a megabyte.
const maxResponseBytes = 64 << 20

// xdsConfig is what one proxy was served: each resource decoded, and as the Any it came in.
type xdsConfig struct {
	Listeners []*listener.Listener
	Clusters  []*cluster.Cluster
	Routes    []*route.RouteConfiguration
	Endpoints []*endpoint.ClusterLoadAssignment
	raw       []*anypb.Any
}

// fetch asks for the config as Envoy does on start: CDS (wildcard), then EDS for the EDS clusters, LDS
// (wildcard), then RDS for the route configurations the listeners name; each response is ACKed. It
// returns once every type has been answered for the names asked, and closes the stream.
func fetch(address string, node *core.Node, timeout time.Duration) (*xdsConfig, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	conn, err := grpc.NewClient(address, grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(maxResponseBytes)))
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", address, err)
	}
	defer conn.Close()
	stream, err := discovery.NewAggregatedDiscoveryServiceClient(conn).StreamAggregatedResources(ctx)
	if err != nil {
		return nil, fmt.Errorf("ADS stream to %s: %w", address, err)
	}
	send := func(req *discovery.DiscoveryRequest) error {
		if err := stream.Send(req); err != nil {
			return fmt.Errorf("send %s: %w", req.TypeUrl, err)
		}
		return nil
	}
	if err := send(&discovery.DiscoveryRequest{Node: node, TypeUrl: v3.ClusterType}); err != nil {
		return nil, err
	}
	cfg := &xdsConfig{}
	// the types still to be answered; EDS and RDS join once their names are known
	pending := map[string]bool{v3.ClusterType: true}
	byType := map[string][]*anypb.Any{}
	for len(pending) > 0 {
		resp, err := stream.Recv()
		if err != nil {
			return nil, fmt.Errorf("waiting for %v: %w", keys(pending), err)
		}
		byType[resp.TypeUrl] = resp.Resources
		if err := send(&discovery.DiscoveryRequest{TypeUrl: resp.TypeUrl, VersionInfo: resp.VersionInfo,
			ResponseNonce: resp.Nonce, ResourceNames: namesAsked(resp.TypeUrl, byType)}); err != nil {
			return nil, err
		}
		if !pending[resp.TypeUrl] {
			continue // a push of a type already complete
		}
		delete(pending, resp.TypeUrl)
		switch resp.TypeUrl {
		case v3.ClusterType:
			clusters, err := decodeAll[*cluster.Cluster](resp.Resources)
			if err != nil {
				return nil, err
			}
			if names := xdstest.ExtractEdsClusterNames(clusters); len(names) > 0 {
				pending[v3.EndpointType] = true
				if err := send(&discovery.DiscoveryRequest{TypeUrl: v3.EndpointType, ResourceNames: names}); err != nil {
					return nil, err
				}
			}
			pending[v3.ListenerType] = true
			if err := send(&discovery.DiscoveryRequest{TypeUrl: v3.ListenerType}); err != nil {
				return nil, err
			}
		case v3.ListenerType:
			listeners, err := decodeAll[*listener.Listener](resp.Resources)
			if err != nil {
				return nil, err
			}
			if names := xdstest.ExtractRoutesFromListeners(listeners); len(names) > 0 {
				pending[v3.RouteType] = true
				if err := send(&discovery.DiscoveryRequest{TypeUrl: v3.RouteType, ResourceNames: names}); err != nil {
					return nil, err
				}
			}
		}
	}
	var errs []error
	var e error
	cfg.Clusters, e = decodeAll[*cluster.Cluster](byType[v3.ClusterType])
	errs = append(errs, e)
	cfg.Listeners, e = decodeAll[*listener.Listener](byType[v3.ListenerType])
	errs = append(errs, e)
	cfg.Routes, e = decodeAll[*route.RouteConfiguration](byType[v3.RouteType])
	errs = append(errs, e)
	cfg.Endpoints, e = decodeAll[*endpoint.ClusterLoadAssignment](byType[v3.EndpointType])
	errs = append(errs, e)
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	for _, t := range []string{v3.ClusterType, v3.EndpointType, v3.ListenerType, v3.RouteType} {
		cfg.raw = append(cfg.raw, byType[t]...)
	}
	return cfg, nil
}

// namesAsked is what an ACK repeats: the names subscribed to for that type (none for the wildcard types).
func namesAsked(typeURL string, byType map[string][]*anypb.Any) []string {
	switch typeURL {
	case v3.EndpointType:
		clusters, _ := decodeAll[*cluster.Cluster](byType[v3.ClusterType])
		return xdstest.ExtractEdsClusterNames(clusters)
	case v3.RouteType:
		listeners, _ := decodeAll[*listener.Listener](byType[v3.ListenerType])
		return xdstest.ExtractRoutesFromListeners(listeners)
	}
	return nil
}

func decodeAll[T proto.Message](resources []*anypb.Any) ([]T, error) {
	out := make([]T, 0, len(resources))
	for _, r := range resources {
		msg, err := r.UnmarshalNew()
		if err != nil {
			return nil, fmt.Errorf("decode %s: %w", r.TypeUrl, err)
		}
		t, ok := msg.(T)
		if !ok {
			return nil, fmt.Errorf("unexpected %s in a response of another type", r.TypeUrl)
		}
		out = append(out, t)
	}
	return out, nil
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// summary is the answer to a fetch: counts, Istio's validation failures, and every resource.
func (c *xdsConfig) summary() any {
	raw := make([]string, 0, len(c.raw))
	for _, a := range c.raw {
		b, err := proto.Marshal(a)
		if err != nil {
			return errorAnswer{Error: err.Error()}
		}
		raw = append(raw, base64.StdEncoding.EncodeToString(b))
	}
	return fetchAnswer{
		Listeners:  len(c.Listeners),
		Clusters:   len(c.Clusters),
		Routes:     len(c.Routes),
		Endpoints:  len(c.Endpoints),
		Validation: validate(c),
		Resources:  raw,
	}
}

type fetchAnswer struct {
	Listeners  int      `json:"listeners"`
	Clusters   int      `json:"clusters"`
	Routes     int      `json:"routes"`
	Endpoints  int      `json:"endpoints"`
	Validation []string `json:"validation"`
	Resources  []string `json:"resources"`
}
