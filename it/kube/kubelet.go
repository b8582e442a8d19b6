package main

import (
	"context"
	"encoding/binary"
	"fmt"
	"net"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/types"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	listersv1 "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/component-base/version"
	"k8s.io/klog/v2"
)

// There is no container runtime here, so no real kubelet or scheduler either. Their two jobs that the rest
// of the cluster observes are played by two small loops, each with the identity and permissions of the
// component it stands in for, so RBAC, the Node authorizer and NodeRestriction admission judge them as
// they would the real ones:
//
//   - scheduler (system:kube-scheduler): binds each pending pod that asks for the default scheduler, and
//     whose node selector the node matches, to the one node through the pods/binding subresource, as
//     kube-scheduler does;
//   - kubelet (system:node:<node>): registers the node as Ready, and reports every pod bound to it as
//     started: phase Running, an IP from the pod CIDR, every container running and ready, Ready=True once
//     the pod's readiness gates are met; a pod being deleted is removed at once (grace period 0), as the
//     kubelet does once the containers have stopped.
//
// Nothing runs, so probes, exits, restarts and resource limits are not simulated; a test that needs another
// status turns these loops off (--fake-kubelet=false) and writes pods/status itself.

// fakeKubelet holds the state of both loops.
type fakeKubelet struct {
	kubelet, scheduler kubernetes.Interface
	node               string
	labels             map[string]string // the node's
	ips                *ipPool
}

func runFakeKubelet(ctx context.Context, kubelet, scheduler kubernetes.Interface, node string, podCIDR *net.IPNet) error {
	ips, err := newIPPool(podCIDR)
	if err != nil {
		return err
	}
	k := &fakeKubelet{kubelet: kubelet, scheduler: scheduler, node: node, ips: ips, labels: map[string]string{
		"kubernetes.io/hostname": node,
		"kubernetes.io/os":       "linux",
		"kubernetes.io/arch":     "amd64",
	}}
	if err := k.registerNode(ctx); err != nil {
		return err
	}

	// Each loop watches only the pods that concern it, as the real components do.
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		runPodLoop(ctx, "fake-scheduler", scheduler, fields.OneTermEqualSelector("spec.nodeName", ""), k.schedule)
	}()
	go func() {
		defer wg.Done()
		runPodLoop(ctx, "fake-kubelet", kubelet, fields.OneTermEqualSelector("spec.nodeName", node), k.syncPod)
	}()
	wg.Wait()
	return nil
}

// registerNode creates the node (or takes it over after a restart on the same data) and marks it Ready.
func (k *fakeKubelet) registerNode(ctx context.Context) error {
	node := &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: k.node, Labels: k.labels},
	}
	err := wait.PollUntilContextTimeout(ctx, 200*time.Millisecond, time.Minute, true, func(ctx context.Context) (bool, error) {
		_, err := k.kubelet.CoreV1().Nodes().Create(ctx, node, metav1.CreateOptions{})
		if err == nil || apierrors.IsAlreadyExists(err) {
			return true, nil
		}
		klog.InfoS("fake kubelet: registering node, will retry", "node", k.node, "err", err)
		return false, nil
	})
	if err != nil {
		return fmt.Errorf("registering node %s: %w", k.node, err)
	}
	current, err := k.kubelet.CoreV1().Nodes().Get(ctx, k.node, metav1.GetOptions{})
	if err != nil {
		return err
	}
	now := metav1.Now()
	v := version.Get().GitVersion
	capacity := corev1.ResourceList{
		corev1.ResourceCPU:              resource.MustParse("64"),
		corev1.ResourceMemory:           resource.MustParse("256Gi"),
		corev1.ResourcePods:             resource.MustParse("1000"),
		corev1.ResourceEphemeralStorage: resource.MustParse("1Ti"),
	}
	current.Status = corev1.NodeStatus{
		Capacity:    capacity,
		Allocatable: capacity,
		Phase:       corev1.NodeRunning,
		Conditions: []corev1.NodeCondition{
			{Type: corev1.NodeReady, Status: corev1.ConditionTrue, Reason: "KubeletReady", Message: "fake kubelet is posting ready status", LastHeartbeatTime: now, LastTransitionTime: now},
			{Type: corev1.NodeMemoryPressure, Status: corev1.ConditionFalse, Reason: "KubeletHasSufficientMemory", LastHeartbeatTime: now, LastTransitionTime: now},
			{Type: corev1.NodeDiskPressure, Status: corev1.ConditionFalse, Reason: "KubeletHasNoDiskPressure", LastHeartbeatTime: now, LastTransitionTime: now},
			{Type: corev1.NodePIDPressure, Status: corev1.ConditionFalse, Reason: "KubeletHasSufficientPID", LastHeartbeatTime: now, LastTransitionTime: now},
		},
		Addresses: []corev1.NodeAddress{
			{Type: corev1.NodeInternalIP, Address: k.ips.nodeIP.String()},
			{Type: corev1.NodeHostName, Address: k.node},
		},
		NodeInfo: corev1.NodeSystemInfo{
			KubeletVersion:          v,
			KubeProxyVersion:        v,
			OperatingSystem:         "linux",
			Architecture:            "amd64",
			ContainerRuntimeVersion: "fake://" + v,
			OSImage:                 "mizzen fake kubelet",
		},
	}
	_, err = k.kubelet.CoreV1().Nodes().UpdateStatus(ctx, current, metav1.UpdateOptions{})
	return err
}

// schedule binds a pending pod to the node, if its node selector allows (node affinity, taints and
// resources are not looked at).
func (k *fakeKubelet) schedule(ctx context.Context, pods listersv1.PodLister, ns, name string) error {
	pod, err := pods.Pods(ns).Get(name)
	if apierrors.IsNotFound(err) {
		return nil
	} else if err != nil {
		return err
	}
	if pod.Spec.NodeName != "" || pod.DeletionTimestamp != nil || pod.Spec.SchedulerName != corev1.DefaultSchedulerName {
		return nil
	}
	for key, value := range pod.Spec.NodeSelector {
		if k.labels[key] != value {
			return nil // left pending, as the scheduler would
		}
	}
	binding := &corev1.Binding{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, UID: pod.UID},
		Target:     corev1.ObjectReference{Kind: "Node", Name: k.node},
	}
	err = k.scheduler.CoreV1().Pods(ns).Bind(ctx, binding, metav1.CreateOptions{})
	if apierrors.IsNotFound(err) || apierrors.IsConflict(err) {
		return nil // gone, or bound meanwhile
	}
	return err
}

// syncPod makes the status of a pod bound to the node what a kubelet would report for it.
func (k *fakeKubelet) syncPod(ctx context.Context, pods listersv1.PodLister, ns, name string) error {
	pod, err := pods.Pods(ns).Get(name)
	if apierrors.IsNotFound(err) {
		k.ips.release(ns + "/" + name)
		return nil
	} else if err != nil {
		return err
	}
	if pod.DeletionTimestamp != nil {
		// The containers "stopped" at once: remove the pod, guarded by its UID against a successor of the same name.
		zero := int64(0)
		err := k.kubelet.CoreV1().Pods(ns).Delete(ctx, name, metav1.DeleteOptions{
			GracePeriodSeconds: &zero,
			Preconditions:      &metav1.Preconditions{UID: &pod.UID},
		})
		if apierrors.IsNotFound(err) || apierrors.IsConflict(err) {
			return nil
		}
		return err
	}
	if pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed {
		return nil
	}

	status := k.runningStatus(pod)
	if statusEqual(&pod.Status, status) {
		return nil
	}
	updated := pod.DeepCopy()
	updated.Status = *status
	_, err = k.kubelet.CoreV1().Pods(ns).UpdateStatus(ctx, updated, metav1.UpdateOptions{})
	if apierrors.IsNotFound(err) || apierrors.IsConflict(err) {
		return nil // the informer brings the newer version and the pod is synced again
	}
	return err
}

// runningStatus is the status of the pod with all its containers started and ready.
func (k *fakeKubelet) runningStatus(pod *corev1.Pod) *corev1.PodStatus {
	old := &pod.Status
	status := old.DeepCopy()
	status.Phase = corev1.PodRunning
	status.HostIP = k.ips.nodeIP.String()
	status.HostIPs = []corev1.HostIP{{IP: status.HostIP}}
	switch {
	case pod.Spec.HostNetwork:
		status.PodIP = status.HostIP
	case old.PodIP != "":
		// A pod's IP never changes; after a restart on the same data, keep the pool from handing it out again.
		k.ips.claim(pod.Namespace+"/"+pod.Name, pod.UID, old.PodIP)
	default:
		status.PodIP = k.ips.allocate(pod.Namespace+"/"+pod.Name, pod.UID)
	}
	status.PodIPs = []corev1.PodIP{{IP: status.PodIP}}
	start := old.StartTime
	if start == nil {
		now := metav1.Now()
		start = &now
	}
	status.StartTime = start

	containerID := func(c string) string { return fmt.Sprintf("fake://%s/%s", pod.UID, c) }
	running := func(c corev1.Container) corev1.ContainerStatus {
		return corev1.ContainerStatus{
			Name: c.Name, Image: c.Image, ImageID: c.Image, ContainerID: containerID(c.Name),
			Ready: true, Started: ptr(true),
			State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: *start}},
		}
	}
	status.InitContainerStatuses = nil
	for _, c := range pod.Spec.InitContainers {
		if c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways {
			// A sidecar container (Istio's native sidecar mode uses these): started and kept running.
			status.InitContainerStatuses = append(status.InitContainerStatuses, running(c))
			continue
		}
		status.InitContainerStatuses = append(status.InitContainerStatuses, corev1.ContainerStatus{
			Name: c.Name, Image: c.Image, ImageID: c.Image, ContainerID: containerID(c.Name),
			Ready: true, Started: ptr(false),
			State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
				ExitCode: 0, Reason: "Completed", StartedAt: *start, FinishedAt: *start, ContainerID: containerID(c.Name)}},
		})
	}
	status.ContainerStatuses = nil
	for _, c := range pod.Spec.Containers {
		status.ContainerStatuses = append(status.ContainerStatuses, running(c))
	}

	// Ready needs the readiness gates too: a condition of each gate's type set to True by someone else.
	ready := corev1.ConditionTrue
	for _, gate := range pod.Spec.ReadinessGates {
		if c := condition(old, gate.ConditionType); c == nil || c.Status != corev1.ConditionTrue {
			ready = corev1.ConditionFalse
		}
	}
	setCondition(status, corev1.PodReadyToStartContainers, corev1.ConditionTrue)
	setCondition(status, corev1.PodInitialized, corev1.ConditionTrue)
	setCondition(status, corev1.ContainersReady, corev1.ConditionTrue)
	setCondition(status, corev1.PodReady, ready)
	setCondition(status, corev1.PodScheduled, corev1.ConditionTrue)
	return status
}

func condition(s *corev1.PodStatus, t corev1.PodConditionType) *corev1.PodCondition {
	for i := range s.Conditions {
		if s.Conditions[i].Type == t {
			return &s.Conditions[i]
		}
	}
	return nil
}

func setCondition(s *corev1.PodStatus, t corev1.PodConditionType, v corev1.ConditionStatus) {
	if c := condition(s, t); c != nil {
		if c.Status != v {
			c.Status, c.LastTransitionTime = v, metav1.Now()
		}
		return
	}
	s.Conditions = append(s.Conditions, corev1.PodCondition{Type: t, Status: v, LastTransitionTime: metav1.Now()})
}

// statusEqual says whether a status update would change anything a reader cares about; timestamps of
// conditions that did not change are equal by construction.
func statusEqual(a, b *corev1.PodStatus) bool {
	if a.Phase != b.Phase || a.PodIP != b.PodIP || a.HostIP != b.HostIP ||
		len(a.Conditions) != len(b.Conditions) || len(a.ContainerStatuses) != len(b.ContainerStatuses) ||
		len(a.InitContainerStatuses) != len(b.InitContainerStatuses) {
		return false
	}
	for _, c := range b.Conditions {
		if old := condition(a, c.Type); old == nil || old.Status != c.Status {
			return false
		}
	}
	return true
}

func ptr[T any](v T) *T { return &v }

// runPodLoop runs an informer on the pods the selector picks and a queue that calls sync for each pod
// key whenever the pod changes, retrying failures with backoff, until ctx ends.
func runPodLoop(ctx context.Context, name string, client kubernetes.Interface, selector fields.Selector,
	sync func(ctx context.Context, pods listersv1.PodLister, ns, name string) error) {
	factory := informers.NewSharedInformerFactoryWithOptions(client, 0, informers.WithTweakListOptions(func(o *metav1.ListOptions) {
		o.FieldSelector = selector.String()
	}))
	informer := factory.Core().V1().Pods()
	queue := workqueue.NewTypedRateLimitingQueueWithConfig(workqueue.DefaultTypedControllerRateLimiter[string](),
		workqueue.TypedRateLimitingQueueConfig[string]{Name: name})
	enqueue := func(obj any) {
		if key, err := cache.DeletionHandlingMetaNamespaceKeyFunc(obj); err == nil {
			queue.Add(key)
		}
	}
	_, err := informer.Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    enqueue,
		UpdateFunc: func(_, obj any) { enqueue(obj) },
		DeleteFunc: enqueue,
	})
	utilruntime.Must(err)
	lister := informer.Lister()
	factory.Start(ctx.Done())
	defer factory.Shutdown()
	defer queue.ShutDown()
	if !cache.WaitForCacheSync(ctx.Done(), informer.Informer().HasSynced) {
		return
	}
	go func() {
		<-ctx.Done()
		queue.ShutDown()
	}()
	for {
		key, quit := queue.Get()
		if quit {
			return
		}
		ns, podName, _ := cache.SplitMetaNamespaceKey(key)
		if err := sync(ctx, lister, ns, podName); err != nil && ctx.Err() == nil {
			klog.InfoS(name+": will retry", "pod", key, "err", err)
			queue.AddRateLimited(key)
		} else {
			queue.Forget(key)
		}
		queue.Done(key)
	}
}

// ipPool hands out pod IPs from the (IPv4) pod CIDR: the first address is the node's, pods get the
// following ones in turn, each pod keeping its address until it is deleted.
type ipPool struct {
	mu     sync.Mutex
	base   uint32
	size   uint32
	next   uint32
	nodeIP net.IP
	byPod  map[string]podIP // namespace/name -> address
	inUse  map[string]bool
}

type podIP struct {
	uid types.UID
	ip  string
}

func newIPPool(cidr *net.IPNet) (*ipPool, error) {
	ones, bits := cidr.Mask.Size()
	if cidr.IP.To4() == nil || bits != 32 || ones > 30 || ones < 8 {
		return nil, fmt.Errorf("pod CIDR %s: give an IPv4 range between /8 and /30", cidr)
	}
	p := &ipPool{base: binary.BigEndian.Uint32(cidr.IP.To4()), size: 1 << (32 - ones), next: 2,
		byPod: map[string]podIP{}, inUse: map[string]bool{}}
	p.nodeIP = p.at(1)
	return p, nil
}

func (p *ipPool) at(offset uint32) net.IP {
	return binary.BigEndian.AppendUint32(nil, p.base+offset)
}

// allocate gives the pod its address: the one it already has, or the next free one.
func (p *ipPool) allocate(key string, uid types.UID) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if a, ok := p.byPod[key]; ok && a.uid == uid {
		return a.ip
	} else if ok {
		delete(p.inUse, a.ip) // a new pod with the name of a deleted one
	}
	for range p.size {
		ip := p.at(p.next).String()
		p.next++
		if p.next >= p.size-1 { // the last address is the broadcast address
			p.next = 2
		}
		if !p.inUse[ip] {
			p.inUse[ip] = true
			p.byPod[key] = podIP{uid, ip}
			return ip
		}
	}
	panic("pod CIDR exhausted")
}

// claim records an address a pod already has.
func (p *ipPool) claim(key string, uid types.UID, ip string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.byPod[key] = podIP{uid, ip}
	p.inUse[ip] = true
}

func (p *ipPool) release(key string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if a, ok := p.byPod[key]; ok {
		delete(p.inUse, a.ip)
		delete(p.byPod, key)
	}
}
