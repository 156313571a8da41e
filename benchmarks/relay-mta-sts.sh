#!/usr/bin/env bash
# Issue 17's MTA-STS comparison in one sitting: `bench relay` by MX over STARTTLS without an MTA-STS
# policy (--mta-sts none) against the same run with an enforce policy for the sink's domain
# (--mta-sts enforce), alternating (ABBA), ROUNDS times each (a shared machine drifts, so only the ratio
# within one sitting counts). Prints each run's relayed msg/s and load average, then the means and
# the ratio enforce/none. Each run relays 500 messages first, not measured (--warmup): the JIT, the
# connections and the one policy fetch are warm, so the figures are the steady state.
# Usage: benchmarks/relay-mta-sts.sh [rounds (2)] [extra bench relay options, e.g. --messages 2000]
#   environment: MAILFLEET (default: ./mailfleet of this checkout)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mailfleet="${MAILFLEET:-$here/mailfleet}"
rounds="${1:-2}"
shift || true
common=(--messages 2000 --warmup 500 --size 2048 --in-flight 64 "$@")
results=$(mktemp)
for r in $(seq 1 "$rounds"); do
  # none, enforce, then enforce, none: a load that drifts during the sitting favours neither side
  order="none enforce"
  ((r % 2 == 0)) && order="enforce none"
  for mode in $order; do
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    out=$("$mailfleet" bench relay "${common[@]}" --mta-sts "$mode" 2>/dev/null)
    rate=$(sed -n 's/^relayed [0-9]* in [0-9.]* s: \([0-9]*\) msg\/s$/\1/p' <<<"$out")
    sts=$(grep '^sink sessions' <<<"$out" || true)
    echo "round $r | --mta-sts $mode | ${rate:-?} msg/s | load before $load | $sts"
    echo "$mode ${rate:-0}" >> "$results"
  done
done
awk '{ sum[$1] += $2; n[$1]++ }
     END { none = sum["none"] / n["none"]; enforce = sum["enforce"] / n["enforce"];
           printf "mean: none %.0f msg/s, enforce %.0f msg/s, enforce/none %.3f\n", none, enforce, enforce / none }' "$results"
rm -f "$results"
