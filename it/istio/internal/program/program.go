// Package program knows which of the three Istio programs this process is, and does, before any istio.io
// package initialises, what that program's upstream binary would have done by then but linking the
// three together changes:
//
//   - pilot-agent and pilot-discovery import github.com/KimMachineGun/automemlimit, whose init sets
//     GOMEMLIMIT from the cgroup's memory limit (and logs to stderr); istioctl does not.
//   - pilot-discovery's default namespace is "istio-system": its bootstrap registers POD_NAMESPACE with
//     that default, pilot-agent's options with "", and both read it while initialising. Istio keeps the
//     first registration of a name without a description, which linked together is the agent's, so
//     pilot-discovery would run in namespace "" when POD_NAMESPACE is unset. It gets its default here.
//
// This package is initialised before any istio.io package: since Go 1.21 packages are initialised in
// import-path order among those whose imports are ready; it imports only the standard library and
// memlimit, and "dev.mizzen/..." sorts before "istio.io/...".
package program

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/KimMachineGun/automemlimit/memlimit"
)

// Names of the programs.
const (
	PilotAgent     = "pilot-agent"
	Istioctl       = "istioctl"
	PilotDiscovery = "pilot-discovery"
)

func init() {
	switch Name() {
	case PilotDiscovery:
		if _, set := os.LookupEnv("POD_NAMESPACE"); !set {
			os.Setenv("POD_NAMESPACE", "istio-system")
		}
		fallthrough
	case PilotAgent:
		memlimit.SetGoMemLimitWithOpts(memlimit.WithLogger(slog.Default())) // automemlimit's init
	}
}

// Name is the program to run: the name the binary was started under (a symlink) if it is one of the
// three, or else its first argument.
func Name() string {
	if ByExecutableName() {
		return executable()
	}
	if len(os.Args) > 1 {
		return os.Args[1]
	}
	return ""
}

// ByExecutableName says whether the binary was started under the name of one of the programs.
func ByExecutableName() bool {
	switch executable() {
	case PilotAgent, Istioctl, PilotDiscovery:
		return true
	}
	return false
}

func executable() string {
	if len(os.Args) == 0 {
		return ""
	}
	return strings.TrimSuffix(filepath.Base(os.Args[0]), ".exe")
}
