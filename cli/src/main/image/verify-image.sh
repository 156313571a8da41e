#!/usr/bin/env bash
# Runs the Mailfleet image without a container runtime: unpacks its layers in order into a root
# directory, starts the image's entry point there with chroot (same network namespace as the host),
# and checks from the host that the node answers on SMTP and IMAP and accepts an IMAP login.
#
#   sudo cli/src/main/image/verify-image.sh [cli/target/mailfleet-image.tar]
#
# PORT_BASE (default 20000) is added to every mail port and used for the management (PORT_BASE+8780),
# cluster (PORT_BASE+7355) and health (PORT_BASE+8558) ports, so the check does not collide with a
# node already running on the host; KEEP_LOG=FILE keeps the node's output. Needs root (chroot,
# mount), python3 (to read the image JSON) and GNU tar.
set -euo pipefail

IMAGE=$(realpath -m "${1:-cli/target/mailfleet-image.tar}")
PORT_BASE=${PORT_BASE:-20000}
START_TIMEOUT=${START_TIMEOUT:-120}
ACCOUNT=verify@example.com
PASSWORD=verify-secret

fail() { echo "verify-image: FAIL: $*" >&2; exit 1; }
step() { echo "verify-image: $*"; }

[[ $(id -u) -eq 0 ]] || fail "must run as root (chroot and mount need it)"
[[ -f $IMAGE ]] || fail "no image tarball at $IMAGE (build it with mvn -Pimage -pl cli -am package)"

WORK=$(mktemp -d /tmp/mailfleet-verify.XXXXXX)
ROOT=$WORK/rootfs
NODE_PID=
cleanup() {
  if [[ -n $NODE_PID ]] && kill -0 "$NODE_PID" 2>/dev/null; then kill -KILL "$NODE_PID"; fi
  mountpoint -q "$ROOT/proc" && umount "$ROOT/proc"
  rm -rf "$WORK"
}
trap cleanup EXIT
[[ -n ${KEEP_LOG:-} ]] && trap 'cp "$WORK/node.log" "$KEEP_LOG" 2>/dev/null; cleanup' EXIT

mkdir -p "$WORK/image" "$ROOT"
tar -xf "$IMAGE" -C "$WORK/image" 2>/dev/null || fail "$IMAGE is not a tar archive"
[[ -f $WORK/image/manifest.json ]] || fail "$IMAGE has no manifest.json: not a docker-archive tarball"

# manifest.json lists the layers bottom-up; config.json holds Env, Entrypoint, Cmd.
python3 - "$WORK/image" > "$WORK/image.env" <<'PY'
import json, shlex, sys, os
d = sys.argv[1]
m = json.load(open(os.path.join(d, "manifest.json")))[0]
c = json.load(open(os.path.join(d, m["Config"])))["config"]
q = lambda xs: " ".join(shlex.quote(x) for x in xs)
print("LAYERS=(%s)" % q(m["Layers"]))
print("IMAGE_ENV=(%s)" % q(c.get("Env", [])))
print("ENTRYPOINT=(%s)" % q(c.get("Entrypoint") or []))
print("CMD=(%s)" % q(c.get("Cmd") or []))
print("WORKDIR=%s" % shlex.quote(c.get("WorkingDir") or "/"))
PY
source "$WORK/image.env"
step "image $IMAGE: ${#LAYERS[@]} layers, entry point ${ENTRYPOINT[*]} ${CMD[*]}"

for layer in "${LAYERS[@]}"; do
  # OCI whiteouts: .wh.NAME deletes NAME from the layers below, .wh..wh..opq empties the directory.
  while IFS= read -r entry; do
    entry=${entry#./}
    dir=$(dirname "$entry"); name=$(basename "$entry")
    if [[ $name == .wh..wh..opq ]]; then
      find "$ROOT/$dir" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
    elif [[ $name == .wh.* ]]; then
      rm -rf "${ROOT:?}/$dir/${name#.wh.}"
    fi
  done < <(tar -tf "$WORK/image/$layer" --warning=no-unknown-keyword | grep '\.wh\.' || true)
  tar -xf "$WORK/image/$layer" -C "$ROOT" --numeric-owner --warning=no-unknown-keyword --exclude='.wh.*' --exclude='*/.wh.*'
done
ROOT_SIZE=$(du -sh "$ROOT" | cut -f1)
step "unpacked root: $ROOT_SIZE"

# What a container runtime provides: /proc (java needs /proc/self/exe), name resolution, the volume.
mount -t proc proc "$ROOT/proc"
cp /etc/resolv.conf /etc/hosts "$ROOT/etc/"
mkdir -p "$ROOT/data"

# exec all the way down (chroot, env, sh, java): $! of a background call is the JVM's own pid
in_image() {
  exec chroot "$ROOT" /usr/bin/env -i "${IMAGE_ENV[@]}" HOSTNAME=mailfleet-verify "$@"
}

step "1/3 entry point with --help"
HELP=$(cd / && in_image /bin/sh -c 'cd "$0" && exec "$@"' "$WORKDIR" "${ENTRYPOINT[@]}" serve --help) \
  || fail "serve --help exited with $?"
grep -q -- '--port-offset' <<<"$HELP" || fail "serve --help printed no usage: $HELP"
step "    ok: $(head -n1 <<<"$HELP")"

SMTP_PORT=$((PORT_BASE + 25)); IMAP_PORT=$((PORT_BASE + 143))
for port in "$SMTP_PORT" "$IMAP_PORT"; do
  ! { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || fail "port $port is already in use: stop that process or set PORT_BASE"
done
step "2/3 start: ${ENTRYPOINT[*]} ${CMD[*]} --port-offset $PORT_BASE --create-account $ACCOUNT"
(in_image MAILFLEET_MANAGEMENT_PORT=$((PORT_BASE + 8780)) MAILFLEET_CLUSTER_PORT=$((PORT_BASE + 7355)) \
    MAILFLEET_CLUSTER_MANAGEMENT_PORT=$((PORT_BASE + 8558)) \
    /bin/sh -c 'cd "$0" && exec "$@"' "$WORKDIR" "${ENTRYPOINT[@]}" "${CMD[@]}" \
    --port-offset "$PORT_BASE" --create-account "$ACCOUNT" --password "$PASSWORD" \
    > "$WORK/node.log" 2>&1) &
NODE_PID=$!

# greeting PORT PATTERN: first line the server sends on a fresh connection, or nothing
greeting() {
  local line
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  IFS= read -r -t 5 line <&3 || true
  exec 3>&- 3<&-
  [[ $line == $2* ]] && echo "${line%$'\r'}"
}
deadline=$((SECONDS + START_TIMEOUT))
until SMTP_GREETING=$(greeting "$SMTP_PORT" "220 "); do
  kill -0 "$NODE_PID" 2>/dev/null || { cat "$WORK/node.log" >&2; fail "the node exited before listening"; }
  (( SECONDS < deadline )) || { cat "$WORK/node.log" >&2; fail "no SMTP greeting on port $SMTP_PORT after ${START_TIMEOUT}s"; }
  sleep 1
done
kill -0 "$NODE_PID" 2>/dev/null || fail "the node exited; the greeting came from another process"
step "    SMTP 127.0.0.1:$SMTP_PORT: $SMTP_GREETING"
IMAP_GREETING=$(greeting "$IMAP_PORT" "* OK") || { cat "$WORK/node.log" >&2; fail "no IMAP greeting on port $IMAP_PORT"; }
step "    IMAP 127.0.0.1:$IMAP_PORT: $IMAP_GREETING"

exec 3<>"/dev/tcp/127.0.0.1/$IMAP_PORT"
IFS= read -r -t 5 _ <&3
printf 'a1 LOGIN %s %s\r\na2 LOGOUT\r\n' "$ACCOUNT" "$PASSWORD" >&3
LOGIN=
while IFS= read -r -t 10 line <&3; do
  [[ $line == a1\ * ]] && LOGIN=${line%$'\r'}
  [[ $line == a2\ * ]] && break
done
exec 3>&- 3<&-
[[ $LOGIN == "a1 OK"* ]] || { cat "$WORK/node.log" >&2; fail "IMAP LOGIN as $ACCOUNT answered '$LOGIN'"; }
step "    IMAP LOGIN $ACCOUNT: $LOGIN"

step "3/3 stop with SIGTERM"
kill -TERM "$NODE_PID"
for _ in $(seq 1 30); do kill -0 "$NODE_PID" 2>/dev/null || break; sleep 1; done
kill -0 "$NODE_PID" 2>/dev/null && { cat "$WORK/node.log" >&2; fail "the node did not stop within 30s of SIGTERM"; }
wait "$NODE_PID" && status=0 || status=$?
NODE_PID=
# 143 = 128 + SIGTERM: the JVM ran its shutdown hooks (Pekko coordinated shutdown) and exited
[[ $status -eq 0 || $status -eq 143 ]] || { cat "$WORK/node.log" >&2; fail "the node exited with status $status"; }
step "    node exited with status $status; from its log:"
grep -E "created account|listening:|is running" "$WORK/node.log" | sed 's/^/      /'
grep -q "created account $ACCOUNT" "$WORK/node.log" || fail "the log does not show the account being created"
step "PASS: $IMAGE runs (unpacked root $ROOT_SIZE)"
