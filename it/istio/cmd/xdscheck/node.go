package main

import (
	"encoding/json"
	"fmt"
	"regexp"

	core "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	"google.golang.org/protobuf/types/known/structpb"

	"istio.io/istio/pkg/bootstrap"
	"istio.io/istio/pkg/config/mesh"
)

// proxySpec names the workload whose Envoy xdscheck stands in for.
type proxySpec struct {
	// Type is "sidecar" or "router" (a gateway), the first part of the node id.
	Type           string            `json:"type"`
	IP             string            `json:"ip"`
	Pod            string            `json:"pod"`
	Namespace      string            `json:"namespace"`
	ServiceAccount string            `json:"serviceAccount"`
	Labels         map[string]string `json:"labels"`
	ClusterID      string            `json:"clusterId"`
}

// dnsLabelish bounds what goes into the node id: Kubernetes names and an IP, nothing else.
var dnsLabelish = regexp.MustCompile(`^[a-z0-9A-Z.:-]{1,253}$`)

// node is the xDS node Envoy presents with the bootstrap Istio's agent writes for this workload: the id
// pilot-agent builds (type~ip~pod.namespace~namespace.svc.cluster.local) and the metadata that Istio's
// bootstrap package builds from the environment the sidecar injector gives the istio-proxy container,
// marshalled as the bootstrap template marshals it.
func (p proxySpec) node() (*core.Node, error) {
	if p.Type != "sidecar" && p.Type != "router" {
		return nil, fmt.Errorf("proxy type %q: sidecar or router", p.Type)
	}
	for name, v := range map[string]string{"ip": p.IP, "pod": p.Pod, "namespace": p.Namespace} {
		if !dnsLabelish.MatchString(v) {
			return nil, fmt.Errorf("proxy %s %q: not a name or address", name, v)
		}
	}
	clusterID := p.ClusterID
	if clusterID == "" {
		clusterID = "Kubernetes"
	}
	labels, err := json.Marshal(p.Labels)
	if err != nil {
		return nil, err
	}
	workload := p.Labels["app"]
	if workload == "" {
		workload = p.Pod
	}
	id := fmt.Sprintf("%s~%s~%s.%s~%s.svc.cluster.local", p.Type, p.IP, p.Pod, p.Namespace, p.Namespace)
	// As istio-proxy's environment in Istio's injection template (manifests/charts/istio-control/
	// istio-discovery/files/injection-template.yaml); the labels as the ISTIO_METAJSON_LABELS variable
	// that the bootstrap package still reads, in place of the downward-API labels file.
	envs := []string{
		"POD_NAME=" + p.Pod,
		"POD_NAMESPACE=" + p.Namespace,
		"INSTANCE_IP=" + p.IP,
		"SERVICE_ACCOUNT=" + p.ServiceAccount,
		"ISTIO_META_CLUSTER_ID=" + clusterID,
		"ISTIO_META_INTERCEPTION_MODE=REDIRECT",
		"ISTIO_META_WORKLOAD_NAME=" + workload,
		"ISTIO_META_OWNER=kubernetes://apis/apps/v1/namespaces/" + p.Namespace + "/deployments/" + workload,
		"ISTIO_META_MESH_ID=cluster.local",
		"TRUST_DOMAIN=cluster.local",
		"ISTIO_METAJSON_LABELS=" + string(labels),
	}
	if p.Type == "router" {
		envs = append(envs, "ISTIO_META_ROUTER_MODE=sni-dnat")
	}
	n, err := bootstrap.GetNodeMetaData(bootstrap.MetadataOptions{
		ID:          id,
		Envs:        envs,
		InstanceIPs: []string{p.IP},
		ProxyConfig: mesh.DefaultProxyConfig(),
	})
	if err != nil {
		return nil, err
	}
	// option.NodeMetadata's converter: the typed metadata, plus untyped keys it does not already have
	typed, err := json.Marshal(n.Metadata)
	if err != nil {
		return nil, err
	}
	merged := map[string]any{}
	if err := json.Unmarshal(typed, &merged); err != nil {
		return nil, err
	}
	for k, v := range n.RawMetadata {
		if _, f := merged[k]; !f {
			merged[k] = v
		}
	}
	meta, err := structpb.NewStruct(merged)
	if err != nil {
		return nil, err
	}
	return &core.Node{
		Id:            id,
		Cluster:       workload + "." + p.Namespace,
		Metadata:      meta,
		Locality:      n.Locality,
		UserAgentName: "envoy",
	}, nil
}
