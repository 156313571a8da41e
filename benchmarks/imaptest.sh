#!/usr/bin/env bash
# Dovecot's imaptest stress (default profile: random commands, state tracking on) against a fresh
# Mailfleet node and a scratch Dovecot from the distribution, in the same run; prints commands/s and
# errors of both. A benchmark, not a test: run by hand (./mailfleet bench imaptest ...), needs root
# for Dovecot and the imaptest binary (see docs/benchmarks.md for how to build it).
#
# Usage: benchmarks/imaptest.sh [--clients N] [--secs S] [--users U] [--rounds R] [--only mailfleet|dovecot]
#   --rounds R: R imaptest runs back to back against the same server; round 1 is the fresh server
#   environment: IMAPTEST (the binary; default /work/tools/imaptest/src/imaptest),
#   BENCH_WORK (scratch directory; default a new one under /tmp), MAILFLEET_JAVA_OPTS, BENCH_MAIL_USER
set -euo pipefail
{ # read whole before it runs, so editing the file during a run cannot break the run
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
source "$here/lib.sh"

clients=10 secs=60 users=100 rounds=1 only=""
bench_options "clients secs users rounds only" "$@"
imaptest="${IMAPTEST:-/work/tools/imaptest/src/imaptest}"
[[ -x "$imaptest" ]] || bench_die "no imaptest binary at $imaptest (set IMAPTEST)"
command -v dovecot >/dev/null || [[ "$only" == mailfleet ]] || bench_die "dovecot is not installed (apt-get install dovecot-imapd)"

work="${BENCH_WORK:-$(mktemp -d /tmp/imaptest-bench.XXXXXX)}"
mkdir -p "$work"
chmod 755 "$work"                 # the servers' own users read their files under it
password="bench-password"
imap_port_offset=23000            # Mailfleet IMAP on 23143
dovecot_port=24143
trap 'bench_stop_mailfleet; bench_stop_dovecot "$work/dovecot"' EXIT

python3 "$here/generate-mbox.py" "$work/messages.mbox" 1000
results="$work/results.txt"
: > "$results"

# run_imaptest NAME PORT ROUND: one imaptest run; its output in $work/NAME-ROUND.out
run_imaptest() {
  local name="$1" port="$2" round="$3" out="$work/$1-$3.out"
  bench_log "imaptest against $name, round $round: users=$users clients=$clients secs=$secs (load $(cut -d' ' -f1 /proc/loadavg))"
  (cd "$work" && LD_LIBRARY_PATH="/usr/lib/dovecot${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
    timeout $((secs + 120)) "$imaptest" host=127.0.0.1 port="$port" user='bench%d@example.com' pass="$password" \
      users="$users" clients="$clients" secs="$secs" mbox="$work/messages.mbox") > "$out" 2>&1 || true
  # commands = the "Totals:" row (the last line of numbers); errors = imaptest's "Error:" (and Panic/Fatal) lines
  local commands errors
  commands=$(awk '/^Totals:/ {t=1} t && /^ *[0-9]+( +[0-9]+)+ *$/ {s=0; for (i=1;i<=NF;i++) s+=$i; last=s} END {print last+0}' "$out")
  errors=$(grep -c -E '(Error|Panic|Fatal): ' "$out" || true)
  printf '%-10s %5s %7s %5s %9s %11.1f %7s %s\n' "$name" "$round" "$clients" "$secs" "$commands" \
    "$(echo "$commands / $secs" | bc -l)" "$errors" "$(cut -d' ' -f1 /proc/loadavg)" >> "$results"
}

{ bench_machine; echo "imaptest: $(cd "$(dirname "$imaptest")/.." && git log -1 --format='%h %cd' --date=short 2>/dev/null || echo "$imaptest")"; } | tee "$work/machine.txt" >&2

if [[ "$only" != mailfleet ]]; then
  bench_dovecot_config "$work/dovecot" "$dovecot_port" "$users" "$password"
  bench_start_dovecot "$work/dovecot"
  for ((r = 1; r <= rounds; r++)); do run_imaptest dovecot "$dovecot_port" "$r"; done
  bench_stop_dovecot "$work/dovecot"
fi
if [[ "$only" != dovecot ]]; then
  bench_copy_distribution "$repo" "$work/dist"
  # like the Dovecot peer (ssl = no): no TLS, so imaptest's plaintext LOGIN is accepted (with no
  # SSL_TYPE at all the node makes a self-signed certificate and refuses LOGIN before STARTTLS)
  SSL_TYPE= MAILFLEET_PRE_LOGIN_CONNECTIONS_PER_ADDRESS=0 \
    bench_start_mailfleet "$work/dist" "$work/mailfleet" "$imap_port_offset" "$users" "$password"
  for ((r = 1; r <= rounds; r++)); do run_imaptest mailfleet $((imap_port_offset + 143)) "$r"; done
  bench_stop_mailfleet
fi

echo "server     round clients  secs  commands  commands/s  errors load"
cat "$results"
for name in dovecot mailfleet; do
  [[ -f "$work/$name-1.out" ]] || continue
  kinds=$(cat "$work/$name"-*.out | { grep -E '(Error|Panic|Fatal): ' || true; } | sed -E 's/^.*(Error|Panic|Fatal): //; s/[0-9]+/N/g' | cut -c1-90 | sort | uniq -c | sort -rn | head -8)
  if [[ -n "$kinds" ]]; then echo "error kinds, $name (count, text with numbers as N):"; echo "$kinds"; fi
done
echo "outputs and logs: $work"
exit
}
