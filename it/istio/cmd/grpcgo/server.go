package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"sync"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	xdscreds "google.golang.org/grpc/credentials/xds"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/xds"
)

// The server mode: a grpc-go xDS server (xds.NewGRPCServer), configured by istiod as Istio's agent sets up a
// proxyless server: the bootstrap names its inbound listener with server_listener_resource_name_template
// (xds.istio.io/grpc/lds/inbound/%s, grpc-go puts in the address it listens on) and holds the file_watcher
// certificate provider the listener's TLS refers to. It answers /mizzen.demo.Bookinfo/Call with
// "echo <caller>", the caller being the SPIFFE ID of the client's certificate or "plaintext" (so a test sees
// which identity the server authenticated), and RBAC from the listener refuses callers before the handler.
// Each change of serving mode is one JSON line on stdout: {"mode":"SERVING"} or {"mode":"NOT_SERVING","error":...}.

// echoService is the demo's Bookinfo service with its one unary method, spelled out to need no generated code.
var echoService = grpc.ServiceDesc{
	ServiceName: "mizzen.demo.Bookinfo",
	HandlerType: (*any)(nil),
	Methods: []grpc.MethodDesc{{
		MethodName: "Call",
		Handler: func(_ any, ctx context.Context, dec func(any) error, interceptor grpc.UnaryServerInterceptor) (any, error) {
			var in []byte
			if err := dec(&in); err != nil {
				return nil, err
			}
			handle := func(ctx context.Context, _ any) (any, error) {
				out := []byte("echo " + caller(ctx))
				return &out, nil
			}
			if interceptor == nil {
				return handle(ctx, &in)
			}
			return interceptor(ctx, &in, &grpc.UnaryServerInfo{FullMethod: method}, handle)
		},
	}},
}

// caller is the peer's SPIFFE ID as grpc-go's xDS credentials read it from the client certificate.
func caller(ctx context.Context) string {
	p, ok := peer.FromContext(ctx)
	if !ok {
		return "unknown"
	}
	info, ok := p.AuthInfo.(credentials.TLSInfo)
	if !ok {
		return "plaintext"
	}
	if info.SPIFFEID == nil {
		return "tls-without-spiffe-id"
	}
	return info.SPIFFEID.String()
}

func runServer(address string) error {
	creds, err := xdscreds.NewServerCredentials(xdscreds.ServerOptions{FallbackCreds: insecure.NewCredentials()})
	if err != nil {
		return err
	}
	var mu sync.Mutex
	out := json.NewEncoder(os.Stdout)
	modes := xds.ServingModeCallback(func(addr net.Addr, args xds.ServingModeChangeArgs) {
		line := map[string]string{"mode": args.Mode.String(), "address": addr.String()}
		if args.Err != nil {
			line["error"] = args.Err.Error()
		}
		mu.Lock()
		defer mu.Unlock()
		if err := out.Encode(line); err != nil {
			fmt.Fprintln(os.Stderr, "grpcgo: writing the serving mode:", err)
		}
	})
	server, err := xds.NewGRPCServer(grpc.Creds(creds), modes, grpc.ForceServerCodec(rawCodec{}))
	if err != nil {
		return err
	}
	server.RegisterService(&echoService, struct{}{})
	lis, err := net.Listen("tcp", address)
	if err != nil {
		return err
	}
	// the server ends when its standard input does (the test closes it), as the client mode does
	go func() {
		buf := make([]byte, 512)
		for {
			if _, err := os.Stdin.Read(buf); err != nil {
				server.Stop()
				return
			}
		}
	}()
	if err := server.Serve(lis); err != nil && err != grpc.ErrServerStopped {
		return err
	}
	return nil
}
