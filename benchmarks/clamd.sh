#!/usr/bin/env bash
# `bench smtp` with ClamAV on against off, alternating, in one sitting (issue 16: "with clamd on, record
# the figure and where the time goes"). Starts Debian's clamd on loopback with a one-signature
# database (the EICAR test file's, made with `sigtool --hex-dump`: no signature download on this
# machine), points the bench's in-process node at it through MAILFLEET_CONFIG
# (mailfleet.clamav.enabled/address), and reports clamd's own CPU per message next to the node's.
# Usage: benchmarks/clamd.sh [rounds (2)] [extra bench smtp options, e.g. --warmup 20000 --messages 20000]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib.sh
source "$here/benchmarks/lib.sh"
rounds="${1:-2}"
shift || true
command -v clamd >/dev/null || bench_die "clamd is missing: apt-get install -y clamav-daemon"
command -v sigtool >/dev/null || bench_die "sigtool is missing: apt-get install -y clamav"

work="$(mktemp -d /tmp/mailfleet-bench-clamd.XXXXXX)"
clamd_pid=""
cleanup() { [[ -n "$clamd_pid" ]] && kill "$clamd_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

mkdir -p "$work/db"
printf '%s' 'X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*' > "$work/eicar.txt"
echo "Mailfleet-Bench-EICAR:0:*:$(sigtool --hex-dump < "$work/eicar.txt")" > "$work/db/bench.ndb"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/clamd.conf" <<CONF
Foreground yes
DatabaseDirectory $work/db
TCPSocket $port
TCPAddr 127.0.0.1
PidFile $work/clamd.pid
StreamMaxLength 100M
MaxThreads 20
LogFile $work/clamd.log
CONF
clamd -c "$work/clamd.conf" > "$work/clamd.out" 2>&1 &
clamd_pid=$!
for _ in $(seq 1 60); do
  if python3 - "$port" <<'PY' 2>/dev/null; then break; fi
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)
s.sendall(b"zPING\0")
sys.exit(0 if s.recv(16).startswith(b"PONG") else 1)
PY
  kill -0 "$clamd_pid" 2>/dev/null || { cat "$work/clamd.out" >&2; bench_die "clamd did not start"; }
  sleep 1
done
bench_log "clamd $(clamd --version) on 127.0.0.1:$port (pid $clamd_pid)"
cat > "$work/mailfleet.conf" <<CONF
mailfleet.clamav { enabled = true, address = "127.0.0.1:$port" }
CONF

clamd_ticks() { awk '{print $14 + $15}' "/proc/$clamd_pid/stat"; }
common=(--connections 20 --warmup 4000 --messages 8000 --size 2k --checks none "$@")
messages=8000
for ((i = 0; i < ${#common[@]}; i++)); do [[ "${common[$i]}" == --messages ]] && messages="${common[$((i + 1))]}"; done
hz=$(getconf CLK_TCK)
for r in $(seq 1 "$rounds"); do
  for mode in off on; do
    before=$(clamd_ticks)
    if [[ $mode == on ]]; then
      out=$(MAILFLEET_CONFIG="$work/mailfleet.conf" "$here/mailfleet" bench smtp "${common[@]}" 2>/dev/null)
    else
      out=$("$here/mailfleet" bench smtp "${common[@]}" 2>/dev/null)
    fi
    after=$(clamd_ticks)
    line=$(echo "$out" | grep -E 'process CPU|bench smtp:' | tr '\n' ' ')
    # clamd's CPU over the whole run (warm-up included) per message sent
    total=$messages
    for ((i = 0; i < ${#common[@]}; i++)); do [[ "${common[$i]}" == --warmup ]] && total=$((messages + ${common[$((i + 1))]})); done
    clamd_ms=$(python3 -c "print(f'{($after - $before) * 1000 / $hz / $total:.2f}')")
    echo "round $r | clamav $mode | clamd CPU $clamd_ms ms per message | $line"
  done
done
