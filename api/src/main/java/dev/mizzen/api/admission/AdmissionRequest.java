package dev.mizzen.api.admission;

import java.util.List;
import java.util.Map;

/**
 * What the kube-apiserver asks an admission webhook, decoded from an AdmissionReview (v1 or v1beta1).
 *
 * @param uid       the request's id, echoed in the response
 * @param group     the API group of the object's kind, empty for the core group
 * @param kind      the object's kind, {@code VirtualService}
 * @param operation CREATE, UPDATE, DELETE or CONNECT
 * @param object    the object as JSON tree (maps, lists, scalars); null for DELETE
 * @param oldObject the previous object for UPDATE and DELETE; null otherwise
 * @param dryRun    true when the apiserver will not persist the result
 */
public record AdmissionRequest(String uid, String group, String version, String kind, String namespace, String name,
                               String operation, Map<String, Object> object, Map<String, Object> oldObject,
                               boolean dryRun, String userName, List<String> userGroups) {
    public AdmissionRequest {
        group = group == null ? "" : group;
        namespace = namespace == null ? "" : namespace;
        name = name == null ? "" : name;
        userName = userName == null ? "" : userName;
        userGroups = userGroups == null ? List.of() : List.copyOf(userGroups);
    }
}
