#!/usr/bin/env bash
# XEP-0115 ver generation per second: ours (Harness.Xmpp Caps115.ComputeVer) vs aioxmpp's caps115.hash_query
# (/usr/bin/python3, Debian python3-aioxmpp) on the same typical-client disco#info, in one run, with the ratio.
# Usage: tests/Harness.Benchmarks/xmpp-caps-vs-aioxmpp.sh [seconds-per-measurement] [artifacts-path]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
seconds="${1:-3}"
artifacts="${2:-/tmp/art-xmpp-caps-bench}"
dotnet run -c Release --project "$here/Harness.Benchmarks.csproj" --artifacts-path "$artifacts" -- xmpp-caps-vs-aioxmpp "$seconds"
