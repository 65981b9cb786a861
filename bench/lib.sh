# Sourced by the bench/run-*.sh scripts: makes the repository root the working directory ($root)
# and reads extra Maven arguments from BENCH_MVN_ARGS (e.g. "-o -Dmaven.repo.local=/tmp/m2")
# into the array mvn_args.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

mvn_args=()
if [[ -n "${BENCH_MVN_ARGS:-}" ]]; then
  read -r -a mvn_args <<< "$BENCH_MVN_ARGS"
fi
