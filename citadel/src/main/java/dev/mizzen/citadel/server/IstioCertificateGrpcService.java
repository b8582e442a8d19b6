package dev.mizzen.citadel.server;

import dev.mizzen.api.identity.AuthenticationException;
import dev.mizzen.api.identity.CallerCredentials;
import dev.mizzen.api.identity.CallerCredentialsInterceptor;
import dev.mizzen.api.security.ca.v1.IstioCertificateRequest;
import dev.mizzen.api.security.ca.v1.IstioCertificateResponse;
import dev.mizzen.api.security.ca.v1.IstioCertificateServiceGrpc;
import dev.mizzen.citadel.ca.CsrException;
import dev.mizzen.citadel.ca.SigningException;
import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletionException;

/**
 * {@code istio.v1.auth.IstioCertificateService/CreateCertificate} over gRPC: decodes the request and the
 * caller's credentials, calls {@link CertificateRequestHandler}, encodes the chain or maps the failure to a
 * status. Bind it into a TLS server (15012) so that client certificates reach it. The answer is sent when the
 * handler completes, so a token review does not hold a gRPC thread.
 */
public final class IstioCertificateGrpcService implements IstioCertificateServiceGrpc.AsyncService, BindableService {
    private static final Logger LOG = LoggerFactory.getLogger(IstioCertificateGrpcService.class);

    private final CertificateRequestHandler handler;

    public IstioCertificateGrpcService(CertificateRequestHandler handler) {
        this.handler = handler;
    }

    @Override
    public ServerServiceDefinition bindService() {
        return ServerInterceptors.intercept(IstioCertificateServiceGrpc.bindService(this), new CallerCredentialsInterceptor());
    }

    @Override
    public void createCertificate(IstioCertificateRequest request, StreamObserver<IstioCertificateResponse> response) {
        CallerCredentials credentials = CallerCredentialsInterceptor.current().orElse(CallerCredentials.none());
        handler.handle(new CertificateRequestHandler.Request(request.getCsr(), request.getValidityDuration()), credentials)
                .whenComplete((issued, failure) -> {
                    if (failure == null) {
                        response.onNext(IstioCertificateResponse.newBuilder().addAllCertChain(issued.pemChain()).build());
                        response.onCompleted();
                    } else {
                        response.onError(status(failure).asRuntimeException());
                    }
                });
    }

    private static Status status(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof CsrException) {
            return Status.INVALID_ARGUMENT.withDescription(cause.getMessage());
        }
        if (cause instanceof AuthenticationException e) {
            return status(e.kind()).withDescription(e.getMessage());
        }
        if (cause instanceof SigningException) {
            return Status.INTERNAL.withDescription(cause.getMessage());
        }
        LOG.error("CreateCertificate failed unexpectedly", cause);
        return Status.INTERNAL.withDescription("the CA failed unexpectedly");
    }

    static Status status(AuthenticationException.Kind kind) {
        return switch (kind) {
            case UNAUTHENTICATED -> Status.UNAUTHENTICATED;
            case PERMISSION_DENIED -> Status.PERMISSION_DENIED;
            case UNAVAILABLE -> Status.UNAVAILABLE;
        };
    }
}
