#!/usr/bin/env bash
# Runs every test project of the solution and prints the totals on the last line:
#   N passed, N failed, N skipped
# Usage: ./run-tests.sh [extra dotnet test arguments, e.g. --filter ...]
set -uo pipefail
cd "$(dirname "$0")"
if ! command -v dotnet >/dev/null 2>&1; then
  echo "run-tests.sh: the .NET SDK 10 is missing (https://learn.microsoft.com/dotnet/core/install/linux-debian)" >&2
  echo "0 passed, 1 failed, 0 skipped"
  exit 2
fi
results="TestResults/run-$(date +%s)"
rm -rf "$results"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! dotnet build Harness.sln -c Release -nologo -v q >"$log" 2>&1; then
  grep -E "error" "$log" | sort -u | head -50
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
# Minimal console output names every failed test; the TRX files hold the counts.
dotnet test Harness.sln -c Release --no-build -nologo --logger "console;verbosity=minimal" --logger trx --results-directory "$results" "$@"
status=$?
passed=0; failed=0; skipped=0; files=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  total=$(get total); executed=$(get executed); p=$(get passed); f=$(get failed); e=$(get error); t=$(get timeout); a=$(get aborted)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0} + ${a:-0}))
  skipped=$((skipped + ${total:-0} - ${executed:-0}))
done
if [ "$files" -eq 0 ] || { [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; }; then
  # No results, or the run failed without a failed test (a crashed test host): count it as a failure.
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
