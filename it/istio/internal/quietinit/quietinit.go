// Package quietinit holds Istio's default log scope at level error while the packages initialise.
//
// Linked together, pilot-agent's and pilot-discovery's packages both register POD_NAMESPACE, with
// different defaults, and Istio's env package warns about that while initialising: on stdout, in every
// one of the three programs, which no upstream binary does and which would break a test that parses
// istioctl's output. (What the duplicate changes is handled in package program.)
//
// This package is initialised before Istio's env package: it imports only Istio's log package, and
// "dev.mizzen/..." sorts before "istio.io/..." (Go 1.21 initialisation order).
package quietinit

import "istio.io/istio/pkg/log"

var (
	defaultScope = log.FindScope(log.DefaultScopeName)
	level        = defaultScope.GetOutputLevel()
)

func init() {
	defaultScope.SetOutputLevel(log.ErrorLevel)
}

// Done puts the default scope's level back; main calls it first, when every package has initialised.
func Done() {
	defaultScope.SetOutputLevel(level)
}
