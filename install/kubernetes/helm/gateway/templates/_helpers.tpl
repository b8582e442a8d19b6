{{- define "gateway.name" -}}
{{- if .Values.revision -}}
{{- fail "revision: Mizzen's chart installs the default revision only (leave revision empty)" -}}
{{- end -}}
{{- .Values.name | default .Release.Name -}}
{{- end -}}

{{- define "gateway.selectorLabels" -}}
app: {{ include "gateway.name" . }}
istio: {{ include "gateway.name" . | trimPrefix "istio-" }}
{{- end -}}

{{- define "gateway.serviceAccountName" -}}
{{- .Values.serviceAccount.name | default (printf "%s-service-account" (include "gateway.name" .)) -}}
{{- end -}}
