#!/usr/bin/env bash
# Records the regression sessions in captures/sessions/: one correct camera per WS-Discovery family setting and one
# camera per quirk profile, each judged live by `harness conformance run`; keeps session.pcapng and writes the
# expected passive verdicts (the rules the quirk profile is defined to break, restricted to passive rules, which are
# the ones a capture can judge). Review the diff before committing: a changed expectation is a behaviour change.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
dotnet build src/Harness.Cli -c Release -nologo -v q >/dev/null
harness() { dotnet src/Harness.Cli/bin/Release/net10.0/harness.dll "$@"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
port=23800
record() { # name quirk-or-empty version
  local name=$1 quirk=$2 version=$3
  port=$((port + 1))
  local entry="{ \"kind\": \"camera\", \"name\": \"$name\", \"version\": \"$version\"${quirk:+, \"quirk\": \"$quirk\"} }"
  echo "{ \"seed\": 2026, \"multicastPort\": $port, \"devices\": [ $entry ] }" > "$work/$name.json"
  harness conformance run --fleet "$work/$name.json" --out "$work/$name" >/dev/null 2>&1 || true
  cp "$work/$name/session.pcapng" "captures/sessions/$name.pcapng"
  python3 - "$work/$name/results.json" "captures/sessions/$name.expected.json" "$name" "${quirk:-}" <<'PY'
import json, sys
results, out, name, quirk = sys.argv[1:5]
r = json.load(open(results))
rules = {x["id"]: x for x in r["rules"]}
devices = []
for d in r["devices"]:
    outcomes = [o for o in r["outcomes"] if o["deviceId"] == d["id"] and rules[o["ruleId"]]["kind"].lower() == "passive"]
    not_passing = {o["ruleId"]: o["verdict"] for o in outcomes if o["verdict"].lower() not in ("pass", "notapplicable", "not-applicable", "na")}
    devices.append({"endpoint": d["id"], "name": d.get("displayName"), "notPassing": dict(sorted(not_passing.items()))})
json.dump({"capture": name + ".pcapng", "quirk": quirk or None,
           "note": "Passive verdicts expected when this capture is judged: the rules the quirk profile breaks that a capture can show.",
           "devices": devices}, open(out, "w"), indent=2)
open(out, "a").write("\n")
PY
  echo "$name: $(python3 -c "import json;d=json.load(open('captures/sessions/$name.expected.json'));print(d['devices'][0]['notPassing'] if d['devices'] else 'no device')")"
}
record camera-correct "" 2005
record camera-correct-both "" both
for quirk in $(harness simulate --list-quirks | awk 'NR > 2 && $1 != "" && substr($0,1,1) != " " { print $1 }'); do
  record "camera-$quirk" "$quirk" 2005
done
# camera-new-epr-on-restart.expected.json lists a second device (the new endpoint reference after the restart) by
# hand; re-add it after a re-recording.
