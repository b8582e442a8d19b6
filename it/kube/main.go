// Command mizzen-kube runs a small but real Kubernetes control plane in one process, on loopback only, for
// integration tests: an embedded etcd, kube-apiserver and kube-controller-manager built from the
// Kubernetes sources at one release, and (because there is no container runtime) a fake kubelet and
// scheduler that bind pods to one node and report them running and ready.
//
// It prints, on stdout and in this order, lines a test harness can read:
//
//	KUBECONFIG <path>    admin kubeconfig (user mizzen-admin, group system:masters)
//	CA <path>            the cluster CA (PEM), which signed the apiserver's serving certificate
//	SA_PUBLIC_KEY <path> the service-account token verification key (PEM)
//	ISSUER <url>         the service-account token issuer
//	READY <url>          the apiserver's URL, once it is ready and the controllers are working
//
// Logs go to stderr. It stops on SIGINT or SIGTERM, and with --exit-on-stdin-close when its standard input
// closes (so a test JVM that dies does not leave it behind); it then removes its data unless --data-dir
// was given.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/klog/v2"
)

type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, " ") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func main() {
	fs := flag.NewFlagSet("mizzen-kube", flag.ExitOnError)
	dataDir := fs.String("data-dir", "", "directory for etcd data, certificates and kubeconfigs (default: a new temporary directory, removed on exit)")
	kubeconfigOut := fs.String("kubeconfig-out", "", "where to write the admin kubeconfig (default: admin.kubeconfig in the data directory)")
	port := fs.Int("port", 0, "the apiserver's secure port on 127.0.0.1 (0: any free port)")
	serviceCIDR := fs.String("service-cidr", "10.96.0.0/16", "the Service cluster IP range")
	podCIDR := fs.String("pod-cidr", "10.244.0.0/16", "the range the fake kubelet takes pod IPs from; its first address is the node's (never loopback: EndpointSlice validation rejects it)")
	nodeName := fs.String("node-name", "mizzen-node", "the name of the node the fake kubelet registers")
	fakeKubelet := fs.Bool("fake-kubelet", true, "run the fake scheduler and kubelet (false: pods stay pending unless a test binds them and writes their status)")
	issuer := fs.String("service-account-issuer", "https://kubernetes.default.svc.cluster.local", "the issuer of service-account tokens")
	stdinClose := fs.Bool("exit-on-stdin-close", false, "stop when standard input reaches end of file")
	services := serviceAddresses{}
	fs.Var(services, "service-address", "NAMESPACE/NAME=127.0.0.1:PORT: where the apiserver calls a webhook that names this Service (repeatable; other Services are not called)")
	var apiserverArgs, controllerArgs stringList
	fs.Var(&apiserverArgs, "apiserver-arg", "an extra kube-apiserver flag, as --name=value (repeatable)")
	fs.Var(&controllerArgs, "controller-manager-arg", "an extra kube-controller-manager flag, as --name=value (repeatable)")
	klog.InitFlags(fs) // -v and the other klog flags
	_ = fs.Parse(os.Args[1:])

	// Both the apiserver and the controller manager silence client-go's deprecation warnings; so do we.
	rest.SetDefaultWarningHandler(rest.NoWarnings{})

	// The first SIGINT or SIGTERM, or the end of stdin, starts the shutdown. The handler stays installed
	// until the process exits, so a second signal (a harness that also sends SIGTERM after closing stdin)
	// cannot kill the process halfway through removing its data.
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		for sig := range signals {
			klog.InfoS("signal: stopping", "signal", sig)
			stop()
		}
	}()
	if *stdinClose {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			klog.InfoS("standard input closed: stopping")
			stop()
		}()
	}
	// When the parent dies, the pipes of stdout and stderr break too. Go's default would end the process at
	// the next log line, leaving the data directory behind; ignored, writes fail and the shutdown goes on.
	signal.Ignore(syscall.SIGPIPE)

	dir, temporary := *dataDir, *dataDir == ""
	if temporary {
		var err error
		if dir, err = os.MkdirTemp("", "mizzen-kube-"); err != nil {
			fail(err)
		}
	}
	err := run(ctx, clusterOptions{
		dir: dir, kubeconfigOut: *kubeconfigOut, port: *port, serviceCIDR: *serviceCIDR, podCIDR: *podCIDR,
		node: *nodeName, fakeKubelet: *fakeKubelet, issuer: *issuer,
		apiserverArgs: apiserverArgs, controllerArgs: controllerArgs, services: services,
	})
	if temporary {
		if rmErr := os.RemoveAll(dir); rmErr != nil {
			klog.ErrorS(rmErr, "removing the data directory", "dir", dir)
		}
	}
	klog.Flush()
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "mizzen-kube:", err)
	klog.Flush()
	os.Exit(1)
}

type clusterOptions struct {
	dir, kubeconfigOut            string
	port                          int
	serviceCIDR, podCIDR          string
	node, issuer                  string
	fakeKubelet                   bool
	apiserverArgs, controllerArgs []string
	services                      map[string]string
}

// How long each stage of shutting down may take before we stop waiting for it.
const stopTimeout = 5 * time.Second

// run starts everything, reports readiness, and on ctx's end stops the components in the reverse order of
// their dependencies: controllers and the fake kubelet, then the apiserver, then etcd.
func run(ctx context.Context, o clusterOptions) error {
	_, svcNet, err := net.ParseCIDR(o.serviceCIDR)
	if err != nil {
		return fmt.Errorf("--service-cidr: %w", err)
	}
	_, podNet, err := net.ParseCIDR(o.podCIDR)
	if err != nil {
		return fmt.Errorf("--pod-cidr: %w", err)
	}
	// The kubernetes Service takes the first address of the range; clients inside the cluster use that name.
	serviceIP := append(net.IP(nil), svcNet.IP.To4()...)
	if serviceIP == nil {
		return fmt.Errorf("--service-cidr: give an IPv4 range")
	}
	serviceIP[3]++

	certs, err := newPKI(filepath.Join(o.dir, "pki"), serviceIP)
	if err != nil {
		return err
	}
	etcd, etcdURL, err := startEtcd(filepath.Join(o.dir, "etcd"))
	if err != nil {
		return err
	}
	defer func() {
		etcd.Close()
		klog.InfoS("etcd stopped")
	}()

	listener, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", o.port))
	if err != nil {
		return fmt.Errorf("apiserver port: %w", err)
	}
	server := "https://" + listener.Addr().String()

	// One client certificate per component, each the identity its real counterpart has.
	kubeconfig := func(name, user string, groups ...string) (string, error) {
		crt, key, err := certs.clientCert(name, user, groups...)
		if err != nil {
			return "", err
		}
		path := filepath.Join(o.dir, name+".kubeconfig")
		return path, certs.kubeconfig(path, server, crt, key)
	}
	admin, err := kubeconfig("admin", "mizzen-admin", "system:masters")
	if err != nil {
		return err
	}
	controllerManager, err := kubeconfig("controller-manager", "system:kube-controller-manager")
	if err != nil {
		return err
	}
	scheduler, err := kubeconfig("scheduler", "system:kube-scheduler")
	if err != nil {
		return err
	}
	kubelet, err := kubeconfig("kubelet", "system:node:"+o.node, "system:nodes")
	if err != nil {
		return err
	}

	failed := make(chan error, 3)
	apiCtx, stopAPI := context.WithCancel(context.WithoutCancel(ctx))
	apiDone := goRun(func() error {
		return runAPIServer(apiCtx, apiserverConfig{listener: listener, etcdURL: etcdURL, pki: certs,
			serviceCIDR: o.serviceCIDR, issuer: o.issuer, extraFlags: o.apiserverArgs,
			resolver: &serviceResolver{apiserver: listener.Addr().String(), services: o.services}})
	}, "kube-apiserver", failed)
	defer func() {
		stopAPI()
		waitFor(apiDone, "kube-apiserver")
	}()

	adminClient, err := client(admin)
	if err != nil {
		return err
	}
	if err := waitReady(ctx, failed, "the apiserver to be ready", func(ctx context.Context) (bool, error) {
		body, err := adminClient.Discovery().RESTClient().Get().AbsPath("/readyz").DoRaw(ctx)
		return err == nil && string(body) == "ok", nil
	}); err != nil {
		return err
	}

	controllersCtx, stopControllers := context.WithCancel(ctx)
	defer stopControllers()
	controllersDone := goRun(func() error {
		return runControllerManager(controllersCtx, controllerManager, certs.SAKeyFile, certs.CAFile,
			o.serviceCIDR, o.controllerArgs)
	}, "kube-controller-manager", failed)
	defer func() {
		stopControllers()
		waitFor(controllersDone, "kube-controller-manager")
	}()

	if o.fakeKubelet {
		kubeletClient, err := client(kubelet)
		if err != nil {
			return err
		}
		schedulerClient, err := client(scheduler)
		if err != nil {
			return err
		}
		kubeletDone := goRun(func() error {
			return runFakeKubelet(controllersCtx, kubeletClient, schedulerClient, o.node, podNet)
		}, "fake kubelet", failed)
		defer func() {
			stopControllers()
			waitFor(kubeletDone, "fake kubelet")
		}()
	}

	// Ready when what a test relies on first works: the service-account controller has made the default
	// namespace's "default" account, the root CA publisher its kube-root-ca.crt, the node is Ready.
	if err := waitReady(ctx, failed, "the controllers to work", func(ctx context.Context) (bool, error) {
		if _, err := adminClient.CoreV1().ServiceAccounts("default").Get(ctx, "default", metav1.GetOptions{}); err != nil {
			return false, nil
		}
		if _, err := adminClient.CoreV1().ConfigMaps("default").Get(ctx, "kube-root-ca.crt", metav1.GetOptions{}); err != nil {
			return false, nil
		}
		if !o.fakeKubelet {
			return true, nil
		}
		node, err := adminClient.CoreV1().Nodes().Get(ctx, o.node, metav1.GetOptions{})
		if err != nil {
			return false, nil
		}
		for _, c := range node.Status.Conditions {
			if c.Type == corev1.NodeReady && c.Status == corev1.ConditionTrue {
				return true, nil
			}
		}
		return false, nil
	}); err != nil {
		return err
	}

	if o.kubeconfigOut != "" {
		if err := copyFile(admin, o.kubeconfigOut); err != nil {
			return err
		}
		admin = o.kubeconfigOut
	}
	fmt.Printf("KUBECONFIG %s\nCA %s\nSA_PUBLIC_KEY %s\nISSUER %s\nREADY %s\n",
		abs(admin), abs(certs.CAFile), abs(certs.SAPublicKeyFile), o.issuer, server)
	klog.InfoS("cluster ready", "server", server, "kubeconfig", admin)

	select {
	case <-ctx.Done():
		klog.InfoS("stopping")
		return nil
	case err := <-failed:
		return err
	}
}

// goRun runs a component; if it returns while it should still be running, its error goes to failed.
func goRun(f func() error, name string, failed chan<- error) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		err := f()
		if err == nil {
			err = errors.New("stopped")
		}
		select {
		case failed <- fmt.Errorf("%s: %w", name, err):
		default:
		}
	}()
	return done
}

func waitFor(done <-chan struct{}, name string) {
	select {
	case <-done:
		klog.InfoS("stopped", "component", name)
	case <-time.After(stopTimeout):
		klog.InfoS("did not stop in time; going on", "component", name, "waited", stopTimeout)
	}
}

// waitReady polls cond until it holds, a component fails, ctx ends, or two minutes pass.
func waitReady(ctx context.Context, failed <-chan error, what string, cond wait.ConditionWithContextFunc) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	err := wait.PollUntilContextCancel(ctx, 100*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		select {
		case err := <-failed:
			return false, err
		default:
		}
		return cond(ctx)
	})
	if err != nil {
		return fmt.Errorf("waiting for %s: %w", what, err)
	}
	return nil
}

func client(kubeconfig string) (*kubernetes.Clientset, error) {
	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		return nil, err
	}
	cfg.QPS, cfg.Burst = 100, 200
	return kubernetes.NewForConfig(cfg)
}

func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	tmp := to + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, to)
}

func abs(path string) string {
	if a, err := filepath.Abs(path); err == nil {
		return a
	}
	return path
}
