// Command grpcgo is a proxyless gRPC client (or, with -serve, server) built with grpc-go's xDS support
// (google.golang.org/grpc/xds, the version Istio's go.mod pins), for tests that hold it beside grpc-java against
// the same istiod. It reads its xDS bootstrap as every grpc-go program does (GRPC_XDS_BOOTSTRAP or
// GRPC_XDS_BOOTSTRAP_CONFIG) and then one JSON request per line on stdin, answering each with one JSON line on stdout:
//
//	{"target":"xds:///reviews:9080","headers":{"end-user":"jason"},"calls":20}
//	{"tally":{"reviews v2":20}}
//
// Each call is the unary RPC /mizzen.demo.Bookinfo/Call of the demo's stand-in workloads: a UTF-8 string in,
// the answering workload's "<app> <version>" out (no generated code: the bytes are the string). A failed call
// counts under "error:<code>". Logs (grpc-go's, with GRPC_GO_LOG_SEVERITY_LEVEL) go to stderr.
//
// The client uses grpc-go's xDS transport credentials (plaintext as fallback): the TLS istiod sends for a
// cluster (ISTIO_MUTUAL) is made from the bootstrap's certificate_providers, as with every proxyless client.
//
// With -serve ADDRESS (e.g. 127.0.0.1:7070) it is instead a proxyless server (see server.go).
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"
	"unicode"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	xdscreds "google.golang.org/grpc/credentials/xds"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	_ "google.golang.org/grpc/xds" // registers the xds:/// resolver and the xDS balancers
)

const (
	method = "/mizzen.demo.Bookinfo/Call"
	// bounds on what a request line may ask for
	maxRequestBytes = 64 * 1024
	maxCalls        = 10000
	callTimeout     = 5 * time.Second
)

type request struct {
	Target  string            `json:"target"`
	Headers map[string]string `json:"headers"`
	Calls   int               `json:"calls"`
}

type answer struct {
	Tally map[string]int `json:"tally,omitempty"`
	Error string         `json:"error,omitempty"`
}

// rawCodec sends and receives the message bytes as they are, as the Java side's string marshaller does.
type rawCodec struct{}

func (rawCodec) Marshal(v any) ([]byte, error) {
	b, ok := v.(*[]byte)
	if !ok {
		return nil, fmt.Errorf("rawCodec: %T is not *[]byte", v)
	}
	return *b, nil
}

func (rawCodec) Unmarshal(data []byte, v any) error {
	b, ok := v.(*[]byte)
	if !ok {
		return fmt.Errorf("rawCodec: %T is not *[]byte", v)
	}
	*b = append((*b)[:0], data...)
	return nil
}

func (rawCodec) Name() string { return "proto" }

// clients keeps one channel per target, as an application keeps its stubs: the xDS watches stay open.
type clients struct {
	mu    sync.Mutex
	conns map[string]*grpc.ClientConn
}

func (c *clients) conn(target string) (*grpc.ClientConn, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cc, ok := c.conns[target]; ok {
		return cc, nil
	}
	creds, err := xdscreds.NewClientCredentials(xdscreds.ClientOptions{FallbackCreds: insecure.NewCredentials()})
	if err != nil {
		return nil, err
	}
	cc, err := grpc.NewClient(target, grpc.WithTransportCredentials(creds),
		grpc.WithDefaultCallOptions(grpc.ForceCodec(rawCodec{})))
	if err != nil {
		return nil, err
	}
	c.conns[target] = cc
	return cc, nil
}

func (c *clients) tally(req request) answer {
	if req.Calls < 1 || req.Calls > maxCalls {
		return answer{Error: fmt.Sprintf("calls %d: 1 to %d", req.Calls, maxCalls)}
	}
	cc, err := c.conn(req.Target)
	if err != nil {
		return answer{Error: err.Error()}
	}
	pairs := make([]string, 0, 2*len(req.Headers))
	for k, v := range req.Headers {
		pairs = append(pairs, k, v)
	}
	counts := map[string]int{}
	for i := 0; i < req.Calls; i++ {
		ctx, cancel := context.WithTimeout(metadata.NewOutgoingContext(context.Background(), metadata.Pairs(pairs...)), callTimeout)
		in := []byte("hello")
		var out []byte
		err := cc.Invoke(ctx, method, &in, &out)
		cancel()
		if err != nil {
			counts["error:"+canonical(status.Code(err))]++
			fmt.Fprintf(os.Stderr, "grpcgo: %s: %v\n", req.Target, err)
			continue
		}
		counts[string(out)]++
	}
	return answer{Tally: counts}
}

func main() {
	serve := flag.String("serve", "", "serve the echo service as an xDS server on this address (host:port) instead")
	flag.Parse()
	if *serve != "" {
		if err := runServer(*serve); err != nil {
			fmt.Fprintln(os.Stderr, "grpcgo:", err)
			os.Exit(1)
		}
		return
	}
	c := &clients{conns: map[string]*grpc.ClientConn{}}
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 4096), maxRequestBytes)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var req request
		var a answer
		if err := json.Unmarshal(in.Bytes(), &req); err != nil {
			a = answer{Error: "bad request: " + err.Error()}
		} else {
			a = c.tally(req)
		}
		if err := out.Encode(a); err != nil {
			fmt.Fprintln(os.Stderr, "grpcgo: writing an answer:", err)
			os.Exit(1)
		}
	}
	for _, cc := range c.conns {
		cc.Close()
	}
}

// canonical is a status code's name in the gRPC spec (and grpc-java's Status.Code): "DEADLINE_EXCEEDED" where
// grpc-go's String() says "DeadlineExceeded".
func canonical(c codes.Code) string {
	var b strings.Builder
	for i, r := range c.String() {
		if i > 0 && unicode.IsUpper(r) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}
