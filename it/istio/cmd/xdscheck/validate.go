package main

import (
	"fmt"
	"testing"

	"istio.io/istio/pilot/test/xdstest"
)

// failures collects what Istio's xdstest validations report. They take a testing.TB, whose private method
// only the testing package can implement, so the interface is embedded (nil) and every method the
// validations call is overridden; any other call would be a nil dereference, caught by validate.
type failures struct {
	testing.TB
	messages []string
}

// fatal is what Fatal and Fatalf panic with, to stop the validation as testing's Goexit would.
type fatal struct{}

func (f *failures) Helper() {}

func (f *failures) Errorf(format string, args ...any) {
	f.messages = append(f.messages, fmt.Sprintf(format, args...))
}

func (f *failures) Error(args ...any) { f.messages = append(f.messages, fmt.Sprint(args...)) }

func (f *failures) Fatalf(format string, args ...any) {
	f.Errorf(format, args...)
	panic(fatal{})
}

func (f *failures) Fatal(args ...any) {
	f.Error(args...)
	panic(fatal{})
}

func (f *failures) Logf(string, ...any) {}

func (f *failures) Log(...any) {}

func (f *failures) Failed() bool { return len(f.messages) > 0 }

// validate runs Istio's checks of served config (pilot/test/xdstest/validate.go): duplicate listener
// addresses and names, Envoy's proto rules, overlapping filter chains, missing transport protocols or TLS
// inspectors, TLS that cannot be terminated; duplicate clusters, both transport_socket and
// transport_socket_matches; duplicate route configurations, virtual hosts and domains.
func validate(c *xdsConfig) []string {
	f := &failures{}
	run := func(name string, check func()) {
		defer func() {
			if r := recover(); r != nil {
				if _, ok := r.(fatal); !ok {
					f.messages = append(f.messages, fmt.Sprintf("%s: the validation failed: %v", name, r))
				}
			}
		}()
		check()
	}
	run("listeners", func() { xdstest.ValidateListeners(f, c.Listeners) })
	run("clusters", func() { xdstest.ValidateClusters(f, c.Clusters) })
	run("routes", func() { xdstest.ValidateRouteConfigurations(f, c.Routes) })
	run("endpoints", func() { xdstest.ValidateClusterLoadAssignments(f, c.Endpoints) })
	if f.messages == nil {
		return []string{}
	}
	return f.messages
}
