#!/usr/bin/env bash
# Mizzen's istiod beside Istio's istiod, same mesh, same proxies, same machine: builds the real-cluster
# fixture's Go programs (it/build-go.sh: mizzen-kube, pilot-discovery) and the load tool if missing, then runs
# `bench compare`, which starts a fresh mizzen-kube per server, applies Istio's CRDs, starts the server in its
# own process and drives it from the load tool's JVM. Prints one table (Mizzen, istiod, ratio) on stdout.
#
#   bench/compare.sh                                  # defaults of `bench load` (P=10,000: long)
#   bench/compare.sh -p 500 -s 200 --duration PT30S   # any `bench load` flag; `bench compare --help` lists them
#   BUILD=1 bench/compare.sh ...                      # rebuild bench/target/bench.jar first
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
go_bin="$root/it/target/go-bin"

bash "$root/it/build-go.sh" "$go_bin" >&2
if [[ "${BUILD:-0}" == 1 || ! -f "$root/bench/target/bench.jar" ]]; then
  mvn -B -q -f "$root/pom.xml" package -pl bench -am -DskipTests >&2
fi

istio_dir="$(cd "$root/it/istio" && go list -m -f '{{.Dir}}' istio.io/istio)"
istio_version="$(cd "$root/it/istio" && go list -m -f '{{.Version}}' istio.io/istio)"
exec java -Xmx"${BENCH_HEAP:-4g}" -jar "$root/bench/target/bench.jar" compare \
  --go-bin "$go_bin" \
  --crds "$istio_dir/manifests/charts/base/files/crd-all.gen.yaml" \
  --istio-version "istio.io/istio $istio_version ($(cat "$istio_dir/VERSION")-dev)" \
  "$@"
