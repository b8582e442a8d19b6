package dev.mizzen.galley.validation;

import dev.mizzen.api.networking.WorkloadGroup;
import dev.mizzen.api.networking.WorkloadGroup.ReadinessProbe;

/**
 * WorkloadGroup (Istio's ValidateWorkloadGroup): a template is required but is not a WorkloadEntry yet (its
 * address comes from the VM that registers), metadata labels are labels, and the probe has one method with
 * non-negative timings.
 */
final class WorkloadGroupValidator implements KindValidator<WorkloadGroup> {
    @Override
    public void validate(WorkloadGroup group, String namespace, Findings out) {
        FieldPath spec = FieldPath.SPEC;
        if (group.template() == null) {
            out.error(spec.field("template"), "template is required");
            return;
        }
        if (group.metadata() != null) {
            Labels.check(out, spec.field("metadata").field("labels"), group.metadata().labels());
        }
        if (group.probe() != null) {
            checkProbe(out, spec.field("probe"), group.probe());
        }
    }

    private static void checkProbe(Findings out, FieldPath at, ReadinessProbe probe) {
        nonNegative(out, at.field("periodSeconds"), probe.periodSeconds());
        nonNegative(out, at.field("initialDelaySeconds"), probe.initialDelaySeconds());
        nonNegative(out, at.field("timeoutSeconds"), probe.timeoutSeconds());
        nonNegative(out, at.field("successThreshold"), probe.successThreshold());
        nonNegative(out, at.field("failureThreshold"), probe.failureThreshold());
        if (probe.httpGet() != null) {
            FieldPath http = at.field("httpGet");
            Ports.checkNumber(out, http.field("port"), probe.httpGet().port());
            String scheme = probe.httpGet().scheme();
            if (scheme != null && !scheme.isEmpty() && !scheme.equals("HTTP") && !scheme.equals("HTTPS")) {
                out.error(http.field("scheme"), "httpGet.scheme must be one of \"HTTPS\", \"HTTP\"");
            }
            for (int i = 0; i < probe.httpGet().httpHeaders().size(); i++) {
                String name = probe.httpGet().httpHeaders().get(i).name();
                out.errorIf(http.field("httpHeaders").index(i).field("name"),
                        HeaderRules.strictNameError(name == null ? "" : name));
            }
        } else if (probe.tcpSocket() != null) {
            Ports.checkNumber(out, at.field("tcpSocket").field("port"), probe.tcpSocket().port());
        } else if (probe.exec() != null) {
            if (probe.exec().command().isEmpty()) {
                out.error(at.field("exec").field("command"), "exec.command is required");
            }
        } else if (probe.grpc() == null) {
            out.error(at, "unknown health check method: one of httpGet, tcpSocket, exec or grpc is required");
        }
    }

    private static void nonNegative(Findings out, FieldPath at, Integer value) {
        if (value != null && value < 0) {
            out.error(at, at.toString().substring(at.toString().lastIndexOf('.') + 1) + " must be non-negative");
        }
    }
}
