#!/usr/bin/env bash
# disco#info queries per second over one loopback c2s connection, pipelined (default 20,000 queries, 64 in flight):
# ours (MiniXmppServer + FakeXmppEntity / DiscoServer component, in process) vs Debian's Prosody (own temp config on
# free loopback ports; skipped with a message when not installed), in one run, with the ratio.
# Usage: tests/Harness.Benchmarks/xmpp-disco-vs-prosody.sh [queries] [window] [artifacts-path] [prosody-nagle]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
queries="${1:-20000}"
window="${2:-64}"
artifacts="${3:-/tmp/art-xmpp-disco-bench}"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet run -c Release --project "$here/Harness.Benchmarks.csproj" --artifacts-path "$artifacts" -- xmpp-disco-vs-prosody "$queries" "$window" ${4:+"$4"}
