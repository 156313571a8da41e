#!/usr/bin/env bash
# The inbound-checks comparisons of docs/benchmarks.md in one sitting: `bench smtp` with each group of
# checks on against the same run with them off, alternating, every configuration ROUNDS times (a
# shared machine drifts, so only the ratios within one sitting count).
# Usage: benchmarks/smtp-checks.sh [rounds (2)] [extra bench smtp options, e.g. --messages 20000]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-2}"
shift || true
common=(--connections 20 --warmup 4000 --messages 8000 --size 2k "$@")
configs=("--checks none" "--checks none --signed" "--checks auth" "--checks defences" "--checks scorer")
for r in $(seq 1 "$rounds"); do
  for c in "${configs[@]}"; do
    # shellcheck disable=SC2086
    line=$("$here/mailfleet" bench smtp "${common[@]}" $c 2>/dev/null | grep -E 'accepted|delivered|CPU|errors' | tr '\n' ' ')
    echo "round $r | $c | $line"
  done
done
