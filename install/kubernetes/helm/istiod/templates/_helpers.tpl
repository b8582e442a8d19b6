{{- define "istiod.checkRevision" -}}
{{- if .Values.revision -}}
{{- fail "revision: Mizzen's chart installs the default revision only (leave revision empty)" -}}
{{- end -}}
{{- end -}}
