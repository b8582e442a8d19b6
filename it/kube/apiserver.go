package main

import (
	"context"
	"fmt"
	"net"
	"strings"

	"github.com/spf13/pflag"
	utilerrors "k8s.io/apimachinery/pkg/util/errors"
	"k8s.io/apiserver/pkg/util/compatibility"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
	"k8s.io/kubernetes/cmd/kube-apiserver/app/options"
)

// The admission plugins a test of a mesh control plane relies on, named so that a reader sees them; the
// apiserver's default set (which includes these and more) stays enabled as well.
var admissionPlugins = []string{
	"NamespaceLifecycle",         // no objects in a namespace that is being deleted
	"LimitRanger",                //
	"ServiceAccount",             // pods get their service account and its projected token volume
	"NodeRestriction",            // the fake kubelet may only touch its own node and the pods bound to it
	"DefaultTolerationSeconds",   //
	"MutatingAdmissionWebhook",   // sidecar injection
	"ValidatingAdmissionWebhook", // config validation
	"ResourceQuota",              //
}

// apiserverConfig is what main decides; everything else is a kube-apiserver flag with its usual meaning.
type apiserverConfig struct {
	listener    net.Listener
	etcdURL     string
	pki         *pki
	serviceCIDR string
	issuer      string
	extraFlags  []string
	resolver    *serviceResolver
}

// runAPIServer runs a real kube-apiserver (the same code as the kube-apiserver binary: options, config,
// server chain with the aggregator and apiextensions) until ctx ends. It is given the flags a real
// control plane would get, and its secure port is the listener main opened, so the address is known
// before it starts and no other process can take the port in between.
func runAPIServer(ctx context.Context, c apiserverConfig) error {
	s := options.NewServerRunOptions()
	fs := pflag.NewFlagSet("kube-apiserver", pflag.ContinueOnError)
	for _, f := range s.Flags().FlagSets {
		fs.AddFlagSet(f)
	}
	args := []string{
		"--etcd-servers=" + c.etcdURL,
		"--advertise-address=127.0.0.1",
		// The kubernetes Service's endpoints would be 127.0.0.1, which Endpoints and EndpointSlice
		// validation reject; the kube-apiserver's own test server turns the reconciler off for the same reason.
		"--endpoint-reconciler-type=none",
		"--service-cluster-ip-range=" + c.serviceCIDR,
		"--tls-cert-file=" + c.pki.ServingCertFile,
		"--tls-private-key-file=" + c.pki.ServingKeyFile,
		"--client-ca-file=" + c.pki.CAFile,
		"--service-account-issuer=" + c.issuer,
		"--service-account-key-file=" + c.pki.SAPublicKeyFile,
		"--service-account-signing-key-file=" + c.pki.SAKeyFile,
		"--authorization-mode=Node,RBAC",
		"--enable-admission-plugins=" + strings.Join(admissionPlugins, ","),
		// Logs, exec, port-forward and pods/proxy would dial the node's kubelet; there is none, and its
		// InternalIP is a made-up address not to be dialled from here. The node's hostname does not resolve,
		// so such a request fails at once.
		"--kubelet-preferred-address-types=Hostname",
		"--allow-privileged=true",
		"--profiling=false",
		"--storage-backend=etcd3",
	}
	if err := fs.Parse(append(args, c.extraFlags...)); err != nil {
		return fmt.Errorf("kube-apiserver flags: %w", err)
	}
	s.SecureServing.Listener = c.listener
	s.SecureServing.BindPort = c.listener.Addr().(*net.TCPAddr).Port

	// The one change to how the apiserver works: Services named by webhooks resolve to loopback only.
	// (The hook is meant for tests; kube-apiserver's own integration tests use it the same way.)
	defer app.SetServiceResolverForTests(c.resolver)()

	// What the kube-apiserver command does between parsing its flags and running.
	if err := compatibility.DefaultComponentGlobalsRegistry.Set(); err != nil {
		return err
	}
	completed, err := s.Complete(ctx)
	if err != nil {
		return fmt.Errorf("kube-apiserver options: %w", err)
	}
	if errs := completed.Validate(); len(errs) != 0 {
		return fmt.Errorf("kube-apiserver options: %w", utilerrors.NewAggregate(errs))
	}
	return app.Run(ctx, completed)
}
