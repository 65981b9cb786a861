#!/usr/bin/env bash
# Runs the Jazzer fuzz tests in fuzzing mode for a time budget each. Every build already runs
# their committed inputs (regression mode); this looks for new ones.
#
# Usage: scripts/fuzz.sh [test-class] [seconds]        e.g. scripts/fuzz.sh ConfigFuzzTest 60
#   test-class  one of the classes below (default: each in turn)
#   seconds     fuzzing time per test (default 60), not counting the build before it
#   Extra Maven arguments go in MAVEN_ARGS, e.g. MAVEN_ARGS="-o -Dmaven.repo.local=/tmp/m2".
#
# What it keeps:
#   - a crashing input lands in src/test/resources/<package>/<Class>Inputs/<method>/, where the
#     next `mvn verify` replays it; fix the bug and commit the input (or delete it);
#   - the inputs that reached new code stay in <module>/.cifuzz-corpus/<Class>/<method>/ (git
#     ignores it) and seed the next run; copy the telling ones into the Inputs directory.
#
# Jazzer takes its time limit from @FuzzTest(maxDuration), a constant, so the budget is enforced
# from here: the run is interrupted after the budget and that counts as "nothing found".
set -euo pipefail
cd "$(dirname "$0")/.."

declare -A modules=([ConfigFuzzTest]=imposters [DasRoutesFuzzTest]=das)
classes=("${1:-ConfigFuzzTest}")
if [ $# -eq 0 ]; then
  classes=(ConfigFuzzTest DasRoutesFuzzTest)
fi
seconds="${2:-60}"
read -r -a maven_args <<<"${MAVEN_ARGS:-}"

status=0
for class in "${classes[@]}"; do
  module="${modules[$class]:-}"
  if [ -z "$module" ]; then
    echo "fuzz: unknown test class $class; one of: ${!modules[*]}" >&2
    exit 2
  fi
  # Build first (outside the budget): the module, what it needs, its test classes.
  mvn -B -q "${maven_args[@]}" -pl "$module" -am test-compile -DskipTests
  before="$(git status --porcelain --untracked-files=all -- "$module/src/test/resources")"
  log="$module/target/fuzz-$class.log"
  echo "fuzz: $class for ${seconds}s (log: $log)"
  set +e
  # The Maven start-up before fuzzing begins takes some 20-40 s; it is added to the budget.
  # Coverage is off: JaCoCo's agent and Jazzer's both instrument the classes.
  JAZZER_FUZZ=1 timeout --signal=INT --kill-after=30 "$((seconds + 40))" \
    mvn -B "${maven_args[@]}" -pl "$module" -am test-compile surefire:test@fuzz-tests -Dtest="$class" \
    -Dsurefire.failIfNoSpecifiedTests=false -Djacoco.skip=true \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn >"$log" 2>&1
  code=$?
  set -e
  grep -E '^#[0-9]+.*(DONE|INITED|pulse)|cov: [0-9]+' "$log" | tail -1 || true
  after="$(git status --porcelain --untracked-files=all -- "$module/src/test/resources")"
  if [ "$before" != "$after" ]; then
    echo "fuzz: $class found new inputs (replayed by every build from now on):"
    diff <(echo "$before") <(echo "$after") | sed -n 's/^> /  /p'
  fi
  [ -d "$module/.cifuzz-corpus" ] &&
    echo "fuzz: corpus: $(find "$module/.cifuzz-corpus" -type f | wc -l) inputs in $module/.cifuzz-corpus/"
  case "$code" in
    0 | 124 | 130) echo "fuzz: $class: no failure within the budget" ;;
    *)
      echo "fuzz: $class FAILED (exit $code); see $log" >&2
      status=1
      ;;
  esac
done
exit "$status"
