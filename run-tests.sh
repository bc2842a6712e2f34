#!/usr/bin/env bash
# Runs every test project of the solution and prints the totals on the last line:
#   N passed, N failed, N skipped
# Usage: ./run-tests.sh [extra dotnet test arguments, e.g. --filter ...]
set -uo pipefail
cd "$(dirname "$0")"
if ! command -v dotnet >/dev/null 2>&1; then
  echo "run-tests.sh: the .NET SDK 10 is missing (https://learn.microsoft.com/dotnet/core/install/linux-debian)" >&2
  exit 2
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet build Harness.sln -c Release -nologo -v q >"$log" 2>&1
build=$?
if [ $build -ne 0 ]; then
  grep -E "error|Error" "$log" | sort -u | head -50
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
dotnet test Harness.sln -c Release --no-build -nologo -v q --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log" | grep -E "^\s*(Failed|Skipped) |Passed!|Failed!|error|Skipped!|\[FAIL\]|\[SKIP\]" 
status=${PIPESTATUS[0]}
# dotnet test prints one summary line per test project:
#   Passed!  - Failed:     0, Passed:    42, Skipped:     1, Total:    43, Duration: ...
awk '
  /(Passed|Failed)! +- +Failed:/ {
    for (i = 1; i <= NF; i++) {
      gsub(",", "", $(i+1))
      if ($i == "Failed:")  f += $(i+1)
      if ($i == "Passed:")  p += $(i+1)
      if ($i == "Skipped:") s += $(i+1)
    }
    seen = 1
  }
  END { if (!seen) { f = 1 } printf "%d passed, %d failed, %d skipped\n", p, f, s }
' "$log"
exit $status
