#!/usr/bin/env bash
# The main job. With no arguments: build, start the default simulated fleet on loopback, discover it, run every
# applicable rule, and write reports/<time>/ (index.html, results.json, junit.xml, session.pcapng).
# Exit code: 0 when no MUST fails, 1 when one does, 2 on a usage error or a missing prerequisite.
#
#   ./run-conformance.sh                                  # default fleet on loopback
#   ./run-conformance.sh --fleet fleets/quirky.json       # a fleet file (quirk profiles show failures)
#   ./run-conformance.sh --pcap captures/x.pcapng         # judge a capture (passive rules)
#   ./run-conformance.sh --target 192.0.2.10 --interface eth0   # a real device
#   ./run-conformance.sh --help                           # every option
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

if ! command -v dotnet >/dev/null 2>&1; then
  cat >&2 <<'MSG'
run-conformance.sh: the .NET SDK 10 is not installed. Install it, e.g. on Debian 12:
  wget https://packages.microsoft.com/config/debian/12/packages-microsoft-prod.deb -O /tmp/ms.deb
  sudo dpkg -i /tmp/ms.deb && sudo apt-get update && sudo apt-get install -y dotnet-sdk-10.0
MSG
  exit 2
fi

needs_pcap=0
for arg in "$@"; do
  case "$arg" in --pcap|--pcap=*|--replay|--replay=*) needs_pcap=1 ;; esac
done
if [ "$needs_pcap" = 1 ] && ! ldconfig -p 2>/dev/null | grep -q 'libpcap\.so'; then
  echo "run-conformance.sh: reading captures needs libpcap: sudo apt-get install -y libpcap0.8" >&2
  exit 2
fi

out="$here/src/Harness.Cli/bin/Release/net10.0"
echo "Building Harness (Release)..." >&2
if ! build_log=$(dotnet build "$here/src/Harness.Cli/Harness.Cli.csproj" -c Release -nologo -v q 2>&1); then
  echo "$build_log" | grep -E "error" | sort -u | head -30 >&2
  echo "run-conformance.sh: the build failed." >&2
  exit 2
fi

cd "$here"
exec dotnet "$out/harness.dll" conformance run "$@"
