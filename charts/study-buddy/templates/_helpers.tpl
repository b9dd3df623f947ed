{{/* ---------- names and labels ---------- */}}

{{- define "study-buddy.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "study-buddy.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Name of one component: (dict "root" $ "component" "gateway") */}}
{{- define "study-buddy.componentName" -}}
{{- printf "%s-%s" (include "study-buddy.fullname" .root | trunc 40 | trimSuffix "-") .component }}
{{- end }}

{{- define "study-buddy.selectorLabels" -}}
app.kubernetes.io/name: {{ include "study-buddy.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "study-buddy.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{ include "study-buddy.selectorLabels" . }}
app.kubernetes.io/part-of: study-buddy
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- end }}

{{/* Labels shared by every pod of the release (NetworkPolicy default deny). */}}
{{- define "study-buddy.releaseLabels" -}}
app.kubernetes.io/name: {{ include "study-buddy.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* ---------- the services ---------- */}}

{{/* The five services, in the order they are rendered. */}}
{{- define "study-buddy.serviceNames" -}}
gateway videos processor notes billing
{{- end }}

{{/* Services that keep note bodies and transcripts in object storage. */}}
{{- define "study-buddy.blobStoreUsers" -}}
videos processor notes
{{- end }}

{{- define "study-buddy.image" -}}
{{- printf "%s:%s" .image.repository (default .root.Chart.AppVersion .image.tag) }}
{{- end }}

{{/* A service's replica count is left to its autoscaler when it has one. */}}
{{- define "study-buddy.autoscaled" -}}
{{- if or .autoscaling.enabled (and .keda .keda.enabled) }}true{{- end }}
{{- end }}

{{/* ---------- metrics and traces ---------- */}}

{{/* The metrics port, checked against the API ports (each service serves both, on different ports). */}}
{{- define "study-buddy.metricsPort" -}}
{{- $port := int .Values.metrics.port }}
{{- range $name := splitList " " (include "study-buddy.serviceNames" .) }}
{{- if eq $port (int (index $.Values.services $name).port) }}
{{- fail (printf "metrics.port %d is services.%s.port too: the metrics need a port of their own" $port $name) }}
{{- end }}
{{- end }}
{{- $port }}
{{- end }}

{{/* A service container's ports: the API (`http`) and, when enabled, `metrics`. (dict "root" $ "svc" $svc) */}}
{{- define "study-buddy.containerPorts" -}}
- name: http
  containerPort: {{ .svc.port }}
  protocol: TCP
{{- if .root.Values.metrics.enabled }}
- name: metrics
  containerPort: {{ include "study-buddy.metricsPort" .root }}
  protocol: TCP
{{- end }}
{{- end }}

{{/* Pod annotations of a Prometheus that discovers its targets by them (the `kubernetes-pods` job). */}}
{{- define "study-buddy.scrapeAnnotations" -}}
{{- if and .Values.metrics.enabled .Values.metrics.podAnnotations -}}
prometheus.io/scrape: "true"
prometheus.io/port: {{ include "study-buddy.metricsPort" . | quote }}
prometheus.io/path: /metrics
{{- end }}
{{- end }}

{{/* The port the services send traces to: tracing.collector.port, else the endpoint's, else its scheme's. */}}
{{- define "study-buddy.otlpPort" -}}
{{- $url := urlParse .Values.tracing.otlpEndpoint }}
{{- $explicit := regexFind ":[0-9]+$" $url.host | trimPrefix ":" }}
{{- .Values.tracing.collector.port | default $explicit | default (ternary "443" "80" (eq $url.scheme "https")) }}
{{- end }}

{{/* ---------- hardening, the same for every pod ---------- */}}

{{/* Pod securityContext: (dict "uid" 10001) */}}
{{- define "study-buddy.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .uid }}
runAsGroup: {{ .uid }}
fsGroup: {{ .uid }}
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "study-buddy.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
privileged: false
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* The uid of the service images (tools/delivery/src/dockerfile.ts). */}}
{{- define "study-buddy.serviceUid" -}}10001{{- end }}

{{/* ---------- infrastructure endpoints ---------- */}}

{{- define "study-buddy.natsUrl" -}}
{{- if .Values.nats.enabled }}
{{- printf "nats://%s:4222" (include "study-buddy.componentName" (dict "root" . "component" "nats")) }}
{{- else }}
{{- required "nats.external.url is required when nats.enabled is false" .Values.nats.external.url }}
{{- end }}
{{- end }}

{{- define "study-buddy.natsMonitoringEndpoint" -}}
{{- if .Values.nats.enabled }}
{{- printf "%s.%s.svc:8222" (include "study-buddy.componentName" (dict "root" . "component" "nats")) .Release.Namespace }}
{{- else }}
{{- required "nats.external.monitoringEndpoint is required for KEDA when nats.enabled is false" .Values.nats.external.monitoringEndpoint }}
{{- end }}
{{- end }}

{{- define "study-buddy.inClusterEventStore" -}}
{{- if and (eq .Values.eventStore.type "eventstoredb") .Values.eventStore.inCluster.enabled }}true{{- end }}
{{- end }}

{{- define "study-buddy.s3Endpoint" -}}
{{- if .Values.objectStore.minio.enabled }}
{{- printf "http://%s:9000" (include "study-buddy.componentName" (dict "root" . "component" "minio")) }}
{{- else }}
{{- required "objectStore.external.endpoint is required when objectStore.minio.enabled is false" .Values.objectStore.external.endpoint }}
{{- end }}
{{- end }}

{{/* ---------- secrets ---------- */}}

{{- define "study-buddy.appSecretName" -}}
{{- if .Values.secrets.existingSecret }}{{ .Values.secrets.existingSecret }}{{ else }}{{ include "study-buddy.componentName" (dict "root" . "component" "app") }}{{ end }}
{{- end }}

{{/*
A secret value: the one given in values, else the one already in the cluster
(so upgrades keep it), else a new random one.
(dict "root" $ "secret" "name" "key" "KEY" "value" .Values.x)
*/}}
{{- define "study-buddy.secretValue" -}}
{{- if .value }}
{{- .value }}
{{- else }}
{{- $existing := lookup "v1" "Secret" .root.Release.Namespace .secret }}
{{- if and $existing $existing.data (hasKey $existing.data .key) }}
{{- index $existing.data .key | b64dec }}
{{- else if .generate }}
{{- genPrivateKey .generate }}
{{- else }}
{{- randAlphaNum 48 }}
{{- end }}
{{- end }}
{{- end }}

{{- define "study-buddy.postgresqlSecretName" -}}
{{- if .Values.postgresql.enabled }}{{ include "study-buddy.componentName" (dict "root" . "component" "postgresql") }}{{ else }}{{ required "postgresql.external.existingSecret is required when postgresql.enabled is false" .Values.postgresql.external.existingSecret }}{{ end }}
{{- end }}

{{- define "study-buddy.minioSecretName" -}}
{{- if .Values.objectStore.minio.enabled }}{{ include "study-buddy.componentName" (dict "root" . "component" "minio") }}{{ else }}{{ required "objectStore.external.existingSecret is required when objectStore.minio.enabled is false" .Values.objectStore.external.existingSecret }}{{ end }}
{{- end }}

{{/* ---------- HTTP probes, for the services and the infrastructure ---------- */}}

{{/* (dict "path" "/healthz" "ready" "/readyz" "port" "http" "startupPeriodSeconds" 2); the startup probe allows 60 periods. */}}
{{- define "study-buddy.httpProbes" -}}
startupProbe:
  httpGet: { path: {{ .startup | default .path | quote }}, port: {{ .port }} }
  periodSeconds: {{ .startupPeriodSeconds | default 3 }}
  failureThreshold: 60
livenessProbe:
  httpGet: { path: {{ .path | quote }}, port: {{ .port }} }
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  httpGet: { path: {{ .ready | default .path | quote }}, port: {{ .port }} }
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 2
{{- end }}

{{/*
The two Services of an in-cluster StatefulSet: a ClusterIP one for clients and
the headless one that names its pod.
(dict "root" $ "component" "nats" "ports" (list (dict "name" "client" "port" 4222)))
*/}}
{{- define "study-buddy.infraServices" -}}
{{- $name := include "study-buddy.componentName" . }}
{{- range $headless := list false true }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $name }}{{ if $headless }}-headless{{ end }}
  labels:
    {{- include "study-buddy.labels" $ | nindent 4 }}
spec:
  {{- if $headless }}
  clusterIP: None
  publishNotReadyAddresses: true
  {{- end }}
  selector:
    {{- include "study-buddy.selectorLabels" $ | nindent 4 }}
  ports:
    {{- range $.ports }}
    - { name: {{ .name }}, port: {{ .port }}, targetPort: {{ .name }} }
    {{- end }}
{{- end }}
{{- end }}

{{/* A ReadWriteOnce volume claim template: (dict "storage" .Values.x.storage) */}}
{{- define "study-buddy.volumeClaimTemplate" -}}
- metadata:
    name: data
  spec:
    accessModes: ["ReadWriteOnce"]
    {{- with .storage.storageClassName }}
    storageClassName: {{ . }}
    {{- end }}
    resources:
      requests:
        storage: {{ .storage.size }}
{{- end }}
