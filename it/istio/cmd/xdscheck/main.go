// Command xdscheck lets Istio's own test code judge the xDS config an istiod serves to an Envoy sidecar or
// gateway. It reads one JSON request per line on stdin and writes one JSON answer per line on stdout:
//
//	{"op":"fetch","xdsAddress":"127.0.0.1:15010","proxy":{"type":"sidecar","ip":"10.244.0.5","pod":"productpage-v1-x",
//	   "namespace":"default","serviceAccount":"bookinfo-productpage","labels":{"app":"productpage"}}}
//	  connects over ADS as Istio's agent connects an Envoy (node id and metadata built by Istio's
//	  bootstrap code from the environment the injector gives the sidecar), asks CDS, EDS, LDS and RDS as
//	  Envoy does, ACKs, keeps what it got and answers with the counts, the failures of Istio's xdstest
//	  validations and every resource (base64 of a protobuf Any) so that other simulations read the same bytes.
//	{"op":"call","call":{"address":"10.96.0.12","port":9080,"protocol":"http","host":"reviews:9080","path":"/",
//	   "headers":{"end-user":"jason"},"tls":"plaintext","callMode":"outbound"}}
//	  runs Istio's simulation (pilot/pkg/simulation) over the last fetched config and answers with the
//	  listener, filter chain, route configuration, virtual host, route and cluster it matched, or its error.
//
// Istio's logs and anything else its packages print go to stderr; stdout carries only the answers.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"

	// Initialised before the istio.io packages: holds their init-time warnings back (see its comment).
	"dev.mizzen/it/istio/internal/quietinit"

	"istio.io/istio/pkg/log"
)

// maxRequestBytes bounds one request line; a call or a fetch is a few hundred bytes.
const maxRequestBytes = 1 << 20

func main() {
	quietinit.Done()
	answers, err := separateStdout()
	if err != nil {
		fmt.Fprintln(os.Stderr, "xdscheck:", err)
		os.Exit(1)
	}
	opts := log.DefaultOptions()
	opts.OutputPaths = []string{"stderr"}
	opts.ErrorOutputPaths = []string{"stderr"}
	if err := log.Configure(opts); err != nil {
		fmt.Fprintln(os.Stderr, "xdscheck:", err)
		os.Exit(1)
	}

	session := &session{timeout: 30 * time.Second}
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 64*1024), maxRequestBytes)
	out := json.NewEncoder(answers)
	for in.Scan() {
		if err := out.Encode(session.handle(in.Bytes())); err != nil {
			fmt.Fprintln(os.Stderr, "xdscheck: writing an answer:", err)
			os.Exit(1)
		}
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "xdscheck: reading requests:", err)
		os.Exit(1)
	}
}

// separateStdout keeps the process's stdout for the answers and points file descriptor 1 at stderr, so that
// nothing Istio's packages print (some write to stdout directly) can interleave with an answer.
func separateStdout() (*os.File, error) {
	fd, err := unix.Dup(1)
	if err != nil {
		return nil, fmt.Errorf("dup stdout: %w", err)
	}
	if err := unix.Dup2(2, 1); err != nil {
		return nil, fmt.Errorf("redirect stdout: %w", err)
	}
	os.Stdout = os.Stderr
	return os.NewFile(uintptr(fd), "answers"), nil
}

// request is one line of input; which fields count depends on Op.
type request struct {
	Op         string     `json:"op"`
	XdsAddress string     `json:"xdsAddress,omitempty"`
	Proxy      *proxySpec `json:"proxy,omitempty"`
	Call       *callSpec  `json:"call,omitempty"`
}

type session struct {
	timeout time.Duration
	config  *xdsConfig
}

func (s *session) handle(line []byte) any {
	var req request
	if err := json.Unmarshal(line, &req); err != nil {
		return errorAnswer{Error: "bad request: " + err.Error()}
	}
	switch req.Op {
	case "fetch":
		if req.Proxy == nil || req.XdsAddress == "" {
			return errorAnswer{Error: "fetch needs xdsAddress and proxy"}
		}
		node, err := req.Proxy.node()
		if err != nil {
			return errorAnswer{Error: err.Error()}
		}
		cfg, err := fetch(req.XdsAddress, node, s.timeout)
		if err != nil {
			return errorAnswer{Error: err.Error()}
		}
		s.config = cfg
		return cfg.summary()
	case "call":
		if s.config == nil {
			return errorAnswer{Error: "call before fetch"}
		}
		if req.Call == nil {
			return errorAnswer{Error: "call needs a call"}
		}
		return simulate(s.config, *req.Call)
	default:
		return errorAnswer{Error: fmt.Sprintf("unknown op %q (fetch or call)", req.Op)}
	}
}

type errorAnswer struct {
	Error string `json:"error"`
}
