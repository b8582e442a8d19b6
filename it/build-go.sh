#!/usr/bin/env bash
# Builds the Go programs the real-cluster tests run:
#   mizzen-kube   etcd + kube-apiserver + kube-controller-manager + a fake kubelet, from ./kube
#   istio-tools   Istio's pilot-agent, istioctl and pilot-discovery in one binary, from ./istio,
#                 with symlinks named after each of them
#   xdscheck      Istio's xDS simulation and validations over what an istiod serves, from ./istio/cmd/xdscheck
#   grpcgo        a proxyless grpc-go (xDS) client, or with -serve an xDS server, from ./istio/cmd/grpcgo
#   helm          Helm's own command (helm.sh/helm/v3, a tool of ./helm), to render install/kubernetes/helm
# into the directory given as the first argument (default: target/go-bin beside this script).
#
# It uses the normal Go module and build caches, so a second run only relinks what changed; a binary
# newer than every go.mod, go.sum and *.go file of its module is not rebuilt at all.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/target/go-bin}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

if ! command -v go >/dev/null 2>&1; then
  echo "build-go.sh: 'go' was not found on PATH." >&2
  echo "Go 1.26 is needed for the real-cluster tests: install it from https://go.dev/dl/ (or your" >&2
  echo "distribution's golang package, if it is 1.26 or newer) and put its bin directory on PATH." >&2
  exit 1
fi

# build MODULE_DIR BINARY [LDFLAGS...]: go build the module's main package (or the package $PACKAGE of the
# module), unless the binary is up to date.
build() {
  local module="$1" binary="$2"
  shift 2
  build_package "$module" "$binary" "${PACKAGE:-.}" "$@"
}

# build_package MODULE_DIR BINARY PACKAGE [LDFLAGS...]: go build PACKAGE (the module's own, or a main package
# of a module it requires, such as a tool) with the module's dependency versions, unless up to date.
build_package() {
  local module="$1" binary="$2" package="$3"
  shift 3
  local target="$out/$binary"
  if [[ -x "$target" ]] && [[ -z "$(find "$module" \( -name '*.go' -o -name go.mod -o -name go.sum \) -newer "$target" -print -quit)" ]]; then
    echo "build-go.sh: $binary is up to date ($target)"
    return
  fi
  echo "build-go.sh: building $binary from $module with $(go version | cut -d' ' -f3) ..."
  local start=$SECONDS
  # -trimpath: no paths of the build machine in the binary; -s -w: no symbol table or DWARF, which
  # makes the link faster and the binary about a third smaller (stack traces keep function names).
  (cd "$module" && go build -trimpath -buildvcs=false -ldflags="-s -w $*" -o "$target.tmp" "$package")
  mv -f "$target.tmp" "$target"
  echo "build-go.sh: built $binary in $((SECONDS - start))s ($(du -h "$target" | cut -f1))"
}

# The version stamps the upstream builds set with -X (Kubernetes' hack/lib/version.sh, Istio's
# common/scripts/report_build_info.sh); without them both report v0.0.0 or "unknown", and Istio checks
# the Kubernetes version it talks to, as Mizzen may check a proxy's Istio version.
module_version() { (cd "$1" && go list -m -f '{{.Version}}' "$2"); }

kube_version="$(module_version "$here/kube" k8s.io/kubernetes)"   # v1.37.2
kube_minor="${kube_version#v1.}"
kube_minor="${kube_minor%%.*}"
kube_ldflags=()
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  kube_ldflags+=("-X=$pkg.gitVersion=$kube_version" "-X=$pkg.gitMajor=1" "-X=$pkg.gitMinor=$kube_minor"
                 "-X=$pkg.gitTreeState=clean")
done
build "$here/kube" mizzen-kube "${kube_ldflags[@]}"

# A pseudo-version names the commit (its last 12 hex digits); the release line is in the module's VERSION
# file, to which upstream's Makefile appends -dev for a build that is not a release.
istio_version="$(module_version "$here/istio" istio.io/istio)"
istio_dir="$(cd "$here/istio" && go mod download istio.io/istio && go list -m -f '{{.Dir}}' istio.io/istio)"
istio_ldflags=(
  "-X=istio.io/istio/pkg/version.buildVersion=$(cat "$istio_dir/VERSION")-dev"
  "-X=istio.io/istio/pkg/version.buildGitRevision=${istio_version##*-}"
  "-X=istio.io/istio/pkg/version.buildStatus=Clean"
  "-X=istio.io/istio/pkg/version.buildOS=$(go env GOOS)"
  "-X=istio.io/istio/pkg/version.buildArch=$(go env GOARCH)"
)
build "$here/istio" istio-tools "${istio_ldflags[@]}"
PACKAGE=./cmd/xdscheck build "$here/istio" xdscheck "${istio_ldflags[@]}"
PACKAGE=./cmd/grpcgo build "$here/istio" grpcgo
for program in pilot-agent istioctl pilot-discovery; do
  ln -sfn istio-tools "$out/$program"
done

# Helm's version stamp (internal/version.version), as its Makefile sets it; without it helm reports v3.x-dev
helm_version="$(module_version "$here/helm" helm.sh/helm/v3)"
build_package "$here/helm" helm helm.sh/helm/v3/cmd/helm "-X=helm.sh/helm/v3/internal/version.version=$helm_version"
