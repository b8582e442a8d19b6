package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/pflag"
	"k8s.io/kubernetes/cmd/kube-controller-manager/app"
	"k8s.io/kubernetes/cmd/kube-controller-manager/app/options"
)

// The controllers a mesh test needs: service accounts and their tokens, namespaces, workloads down to
// pods, Services' EndpointSlices (Istio's source of endpoints), garbage collection of owned objects, and
// the kube-root-ca.crt ConfigMap that pods mount. The node, volume, cloud and certificate controllers are
// left out: there is no real node, no storage and no cloud.
var controllers = []string{
	"serviceaccount-controller",
	"serviceaccount-token-controller",
	"namespace-controller",
	"garbage-collector-controller",
	"deployment-controller",
	"replicaset-controller",
	"statefulset-controller",
	"daemonset-controller",
	"job-controller",
	"cronjob-controller",
	"ttl-after-finished-controller",
	"endpoints-controller",
	"endpointslice-controller",
	"endpointslice-mirroring-controller",
	"pod-garbage-collector-controller",
	"root-ca-certificate-publisher-controller",
	"clusterrole-aggregation-controller",
	"resourcequota-controller",
}

// runControllerManager runs a real kube-controller-manager (the same code as the binary) until ctx ends.
// It connects as system:kube-controller-manager, the user the RBAC bootstrap policy is written for, and
// gives each controller its own service account token as a real control plane does; its token
// controller signs the legacy Secret-based tokens with the same key as the apiserver.
func runControllerManager(ctx context.Context, kubeconfig, saKeyFile, rootCAFile, serviceCIDR string, extraFlags []string) error {
	s, err := options.NewKubeControllerManagerOptions()
	if err != nil {
		return err
	}
	known, disabled, aliases := app.KnownControllers(), app.ControllersDisabledByDefault(), app.ControllerAliases()
	fss := s.Flags(known, disabled, aliases)
	fs := pflag.NewFlagSet("kube-controller-manager", pflag.ContinueOnError)
	for _, f := range fss.FlagSets {
		fs.AddFlagSet(f)
	}
	args := []string{
		"--kubeconfig=" + kubeconfig,
		"--controllers=" + strings.Join(controllers, ","),
		"--use-service-account-credentials=true",
		"--service-account-private-key-file=" + saKeyFile,
		"--root-ca-file=" + rootCAFile,
		"--service-cluster-ip-range=" + serviceCIDR,
		"--leader-elect=false",
		// No serving port: nothing scrapes its metrics or health here, and it saves a port and a cert.
		"--secure-port=0",
	}
	if err := fs.Parse(append(args, extraFlags...)); err != nil {
		return fmt.Errorf("kube-controller-manager flags: %w", err)
	}
	if err := s.ComponentGlobalsRegistry.Set(); err != nil {
		return err
	}
	c, err := s.Config(ctx, known, disabled, aliases)
	if err != nil {
		return fmt.Errorf("kube-controller-manager options: %w", err)
	}
	return app.Run(ctx, c.Complete())
}
