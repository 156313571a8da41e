#!/usr/bin/env bash
# Hot mailbox: Postfix's smtp-source sends every message to ONE account, against a fresh Mailfleet
# node and against Postfix -> Dovecot LMTP from the distribution, in the same run. For each server:
# a fresh start (first measured batch), a warm-up batch, then a second measured batch (warmed up).
# Prints delivered msg/s (messages in the mailbox / time from the start of smtp-source to the last
# arrival, polled every 100 ms: Dovecot's log, Mailfleet over IMAP) and accepted msg/s (smtp-source's
# wall time), Mailfleet's "dropping message" and time-out lines, and the server's CPU time per message
# (all its processes, from the start of smtp-source to the last arrival; comparable when other work
# shares the machine). A benchmark, not a test: needs root (Postfix, Dovecot).
#
# Usage: benchmarks/hot-mailbox.sh [--messages N] [--sessions S] [--size B] [--warmup W] [--rounds R]
#                                  [--only mailfleet|postfix]
#   defaults: smtp-source -s 20 -m 5000 -l 2000 -M client.example.org, warm-up 10000 messages, 1 round
#   --rounds R: R rounds, each a fresh start of both servers one after the other (the machine's drift
#   reaches both); then the median delivered/s of each server per phase and the ratio of the medians
#   environment: BENCH_WORK (scratch directory), MAILFLEET_JAVA_OPTS, BENCH_MAIL_USER
set -euo pipefail
{ # read whole before it runs, so editing the file during a run cannot break the run
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
source "$here/lib.sh"

messages=5000 sessions=20 size=2000 warmup=10000 rounds=1 only=""
bench_options "messages sessions size warmup rounds only" "$@"
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || bench_die "--rounds must be a positive number, got '$rounds'"
command -v smtp-source >/dev/null || bench_die "smtp-source is missing (apt-get install postfix)"

work="${BENCH_WORK:-$(mktemp -d /tmp/hot-mailbox-bench.XXXXXX)}"
mkdir -p "$work"
chmod 755 "$work"                 # the servers' own users read their files under it
rcpt="bench1@example.com" password="bench-password"
offset=25000                      # Mailfleet SMTP on 25025, IMAP on 25143
postfix_port=26025
round=1 dir="$work"
trap 'bench_stop_mailfleet; bench_stop_postfix "$dir/postfix"; bench_stop_dovecot "$dir/dovecot"' EXIT
results="$work/results.txt" notes="$work/notes.txt"
: > "$results"
: > "$notes"

# send NAME PHASE PORT COUNT TOTAL WAITER...: smtp-source COUNT messages to PORT, then wait until the
# mailbox holds TOTAL; records the rates (measured phases only: PHASE other than "warm-up")
send() {
  local name="$1" phase="$2" port="$3" count="$4" total="$5"; shift 5
  bench_log "$name, round $round, $phase: $count messages (load $(cut -d' ' -f1 /proc/loadavg))"
  local start accepted last cpu0 cpu1
  cpu0=$(python3 "$here/tree-cpu.py" $cpu_pids)
  start=$(date +%s.%N)
  smtp-source -s "$sessions" -m "$count" -l "$size" -M client.example.org -f sender@client.example.org \
    -t "$rcpt" "127.0.0.1:$port" > "$work/$name-$phase.smtp-source.out" 2>&1 || bench_log "smtp-source: exit $?"
  accepted=$(date +%s.%N)
  last=$("$@" "$total" 600 | cut -d' ' -f1)
  cpu1=$(python3 "$here/tree-cpu.py" $cpu_pids)
  [[ "$last" == timeout ]] && { bench_log "$name, $phase: not all delivered within 600 s"; return; }
  [[ "$phase" == warm-up ]] && return
  printf '%-18s %5s %-6s %8s %12.0f %13.0f %8.1f %12.2f %s\n' "$name" "$round" "$phase" "$count" \
    "$(echo "$count / ($accepted - $start)" | bc -l)" "$(echo "$count / ($last - $start)" | bc -l)" \
    "$(echo "$last - $start" | bc -l)" "$(echo "1000 * ($cpu1 - $cpu0) / $count" | bc -l)" \
    "$(cut -d' ' -f1 /proc/loadavg)" >> "$results"
}

series() {
  local name="$1" port="$2"; shift 2
  send "$name" fresh "$port" "$messages" "$messages" "$@"
  ((warmup > 0)) && send "$name" warm-up "$port" "$warmup" $((messages + warmup)) "$@"
  send "$name" warm "$port" "$messages" $((2 * messages + warmup)) "$@"
}

bench_machine | tee "$work/machine.txt" >&2

for ((round = 1; round <= rounds; round++)); do
  dir="$work"
  ((rounds > 1)) && dir="$work/round-$round"
  mkdir -p "$dir"
  chmod 755 "$dir"
  if [[ "$only" != mailfleet ]]; then
    bench_dovecot_config "$dir/dovecot" 0 1 "$password"
    bench_start_dovecot "$dir/dovecot"
    bench_postfix_config "$dir/postfix" "$postfix_port" "$dir/dovecot/run/lmtp" "$rcpt"
    bench_start_postfix "$dir/postfix"
    cpu_pids="$(cat "$dir/dovecot/run/master.pid") $(head -1 "$dir/postfix/spool/pid/master.pid" | tr -d ' ')"
    # Dovecot's LMTP logs each message it saved: cheaper to follow than a Maildir of 20,000 files
    series postfix-dovecot "$postfix_port" "$here/wait-delivered.py" log "$dir/dovecot/dovecot.log" "saved mail to"
    bench_stop_postfix "$dir/postfix"
    bench_stop_dovecot "$dir/dovecot"
  fi
  if [[ "$only" != postfix ]]; then
    [[ -d "$work/dist" ]] || bench_copy_distribution "$repo" "$work/dist"
    # the peer checks no SPF, DKIM or DMARC and has no DNS here: neither does the node
    ENABLE_POLICYD_SPF=0 ENABLE_OPENDKIM=0 ENABLE_OPENDMARC=0 \
      bench_start_mailfleet "$work/dist" "$dir/mailfleet" "$offset" 1 "$password"
    cpu_pids="$MAILFLEET_PID"
    series mailfleet $((offset + 25)) "$here/wait-delivered.py" imap 127.0.0.1 $((offset + 143)) "$rcpt" "$password"
    bench_stop_mailfleet
    log=$(ls "$dir"/mailfleet.console.log "$dir"/mailfleet/*.log 2>/dev/null || true)
    echo "mailfleet log, round $round: $(cat $log | grep -c 'dropping message' || true) 'dropping message' lines, $(cat $log | grep -c 'did not answer' || true) 'did not answer' lines" >> "$notes"
  fi
done

echo "server             round phase  messages accepted/s  delivered/s  seconds  CPU ms/msg load"
cat "$results" "$notes"
python3 "$here/hot-mailbox-summary.py" "$results"
echo "outputs and logs: $work"
exit
}
