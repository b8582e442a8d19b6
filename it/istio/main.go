// Command istio-tools links Istio's own pilot-agent, istioctl and pilot-discovery into one binary, so that
// the large shared dependency graph is compiled and linked once. It picks the program from the name it was
// started under (a symlink named pilot-agent, istioctl or pilot-discovery) or else from its first argument:
//
//	istio-tools istioctl version --remote=false
//	ln -s istio-tools pilot-agent && ./pilot-agent --help
//
// Each branch does what the upstream main package of that program does, nothing more.
package main

import (
	"fmt"
	"os"

	// Both initialised before the istio.io packages: see their comments.
	"dev.mizzen/it/istio/internal/program"
	"dev.mizzen/it/istio/internal/quietinit"

	// istioctl's main imports every client-go auth plugin.
	_ "k8s.io/client-go/plugin/pkg/client/auth"

	meshconfig "istio.io/api/mesh/v1alpha1"
	istioctl "istio.io/istio/istioctl/cmd"
	agent "istio.io/istio/pilot/cmd/pilot-agent/app"
	discovery "istio.io/istio/pilot/cmd/pilot-discovery/app"
	istioagent "istio.io/istio/pkg/istio-agent"
	"istio.io/istio/pkg/log"
	"istio.io/istio/pkg/security"
	"istio.io/istio/security/pkg/nodeagent/sds"
)

var programs = map[string]func(args []string) int{
	program.PilotAgent:     pilotAgent,
	program.Istioctl:       istioctlMain,
	program.PilotDiscovery: pilotDiscovery,
}

func main() {
	quietinit.Done()
	name := program.Name()
	run, ok := programs[name]
	args := os.Args[1:]
	if !program.ByExecutableName() && len(args) > 0 {
		args = args[1:] // istio-tools PROGRAM ARGS...
	}
	if !ok {
		fmt.Fprintln(os.Stderr, "usage: istio-tools pilot-agent|istioctl|pilot-discovery [args...]")
		fmt.Fprintln(os.Stderr, "   or: start it through a symlink named after one of them")
		os.Exit(2)
	}
	// cobra reads os.Args[1:] unless told otherwise, and some Istio code prints os.Args[0]: make both
	// look as if the chosen program had been started directly.
	os.Args = append([]string{name}, args...)
	os.Exit(run(args))
}

// pilotAgent is istio.io/istio/pilot/cmd/pilot-agent/main.go.
func pilotAgent(args []string) int {
	log.EnableKlogWithCobra()
	rootCmd := agent.NewRootCommand(
		func(options *security.Options, workloadSecretCache security.SecretManager, pkpConf *meshconfig.PrivateKeyProvider) istioagent.SDSService {
			return sds.NewServer(options, workloadSecretCache, pkpConf)
		})
	rootCmd.SetArgs(args)
	if err := rootCmd.Execute(); err != nil {
		log.Error(err)
		return 255
	}
	return 0
}

// istioctlMain is istio.io/istio/istioctl/cmd/istioctl/main.go.
func istioctlMain(args []string) int {
	if err := istioctl.ConfigAndEnvProcessing(); err != nil {
		fmt.Fprintf(os.Stderr, "Could not initialize: %v\n", err)
		return istioctl.GetExitCode(err)
	}
	rootCmd := istioctl.GetRootCmd(args)
	log.EnableKlogWithCobra()
	if err := rootCmd.Execute(); err != nil {
		return istioctl.GetExitCode(err)
	}
	return 0
}

// pilotDiscovery is istio.io/istio/pilot/cmd/pilot-discovery/main.go.
func pilotDiscovery(args []string) int {
	log.EnableKlogWithCobra()
	rootCmd := discovery.NewRootCommand()
	rootCmd.SetArgs(args)
	if err := rootCmd.Execute(); err != nil {
		log.Error(err)
		return 255
	}
	return 0
}
