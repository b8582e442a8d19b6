package dev.mizzen.citadel.server;

import dev.mizzen.api.security.ca.v1.IstioCertificateRequest;
import dev.mizzen.api.security.ca.v1.IstioCertificateResponse;
import dev.mizzen.api.security.ca.v1.IstioCertificateServiceGrpc;
import dev.mizzen.citadel.authn.AuthenticationException;
import dev.mizzen.citadel.authn.Credentials;
import dev.mizzen.citadel.ca.CsrException;
import dev.mizzen.citadel.ca.IssuedCertificate;
import dev.mizzen.citadel.ca.SigningException;
import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code istio.v1.auth.IstioCertificateService/CreateCertificate} over gRPC: decodes the request and the
 * caller's credentials, calls {@link CertificateRequestHandler}, encodes the chain or maps the failure to a
 * status. Bind it into a TLS server (15012) so that client certificates reach it.
 */
public final class IstioCertificateGrpcService implements IstioCertificateServiceGrpc.AsyncService, BindableService {
    private static final Logger LOG = LoggerFactory.getLogger(IstioCertificateGrpcService.class);

    private final CertificateRequestHandler handler;

    public IstioCertificateGrpcService(CertificateRequestHandler handler) {
        this.handler = handler;
    }

    @Override
    public ServerServiceDefinition bindService() {
        return ServerInterceptors.intercept(IstioCertificateServiceGrpc.bindService(this), new CallCredentialsInterceptor());
    }

    @Override
    public void createCertificate(IstioCertificateRequest request, StreamObserver<IstioCertificateResponse> response) {
        Credentials credentials = CallCredentialsInterceptor.CREDENTIALS.get();
        if (credentials == null) {
            credentials = Credentials.none();
        }
        IssuedCertificate issued;
        try {
            issued = handler.handle(new CertificateRequestHandler.Request(request.getCsr(), request.getValidityDuration()),
                    credentials);
        } catch (CsrException e) {
            response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        } catch (AuthenticationException e) {
            response.onError(status(e.kind()).withDescription(e.getMessage()).asRuntimeException());
            return;
        } catch (SigningException e) {
            response.onError(Status.INTERNAL.withDescription(e.getMessage()).asRuntimeException());
            return;
        } catch (RuntimeException e) {
            LOG.error("CreateCertificate failed unexpectedly", e);
            response.onError(Status.INTERNAL.withDescription("the CA failed unexpectedly").asRuntimeException());
            return;
        }
        response.onNext(IstioCertificateResponse.newBuilder().addAllCertChain(issued.pemChain()).build());
        response.onCompleted();
    }

    static Status status(AuthenticationException.Kind kind) {
        return switch (kind) {
            case UNAUTHENTICATED -> Status.UNAUTHENTICATED;
            case PERMISSION_DENIED -> Status.PERMISSION_DENIED;
            case UNAVAILABLE -> Status.UNAVAILABLE;
        };
    }
}
