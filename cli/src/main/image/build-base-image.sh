#!/usr/bin/env bash
# Builds a Java 17 base image from Debian packages, without a container registry or a Docker
# daemon, and writes it as a docker-archive tarball (the `docker save` format) that Jib reads with
# -Djib.from.image=tar://<file>, and that `docker load` / `podman load` / skopeo accept as well.
#
#   sudo cli/src/main/image/build-base-image.sh [output.tar] [debian-mirror-url]
#
# Needs root (debootstrap and chroot), the debootstrap package and network access to a Debian
# mirror. The default mirror is the first Debian URI of this machine's apt sources.
set -euo pipefail

OUT=$(realpath -m "${1:-cli/target/base-image/mailfleet-base.tar}")
SUITE=bookworm
IMAGE_NAME=mailfleet-base:${SUITE}-jre17

fail() { echo "build-base-image: $*" >&2; exit 1; }

default_mirror() {
  # deb822 sources (bookworm default) first, then the one-line format; skip the security archive
  local uri
  uri=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v security | head -n1 || true)
  [[ -n $uri ]] || uri=$(grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
      | awk '{print $2}' | grep -i debian | grep -v security | head -n1 || true)
  echo "${uri:-http://deb.debian.org/debian}"
}
MIRROR=${2:-$(default_mirror)}

[[ $(id -u) -eq 0 ]] || fail "must run as root (debootstrap and chroot need it)"
command -v debootstrap >/dev/null || fail "debootstrap is not installed (apt-get install debootstrap)"
case $(dpkg --print-architecture) in
  amd64) ARCH=amd64 ;;
  arm64) ARCH=arm64 ;;
  *) fail "unsupported architecture $(dpkg --print-architecture)" ;;
esac

WORK=$(mktemp -d /tmp/mailfleet-base.XXXXXX)
ROOT=$WORK/rootfs
cleanup() {
  mountpoint -q "$ROOT/proc" && umount "$ROOT/proc"
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "build-base-image: debootstrap $SUITE from $MIRROR into $ROOT"
debootstrap --variant=minbase --arch="$ARCH" "$SUITE" "$ROOT" "$MIRROR"

# The JRE's maintainer scripts run java (ca-certificates-java builds the trust store): it needs /proc.
mount -t proc proc "$ROOT/proc"
chroot "$ROOT" /usr/bin/env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    openjdk-17-jre-headless ca-certificates
chroot "$ROOT" apt-get clean
JAVA_HOME=/usr/lib/jvm/java-17-openjdk-$ARCH
[[ -x $ROOT$JAVA_HOME/bin/java ]] || fail "no java at $JAVA_HOME in the new root"
# java finds libjli.so through /proc/self/exe, so this check (like any container) needs /proc
chroot "$ROOT" /usr/bin/java -version
umount "$ROOT/proc"

# Nothing in the image needs package indexes, documentation or man pages: about 70 MB less (LANG=C.UTF-8 is built into glibc).
rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/cache/apt/* "$ROOT"/var/log/* \
       "$ROOT"/usr/share/doc/* "$ROOT"/usr/share/man/* "$ROOT"/usr/share/info/* \
       "$ROOT"/usr/share/locale/*

# docker-archive layout: manifest.json, <config digest>.json, <diff id>/layer.tar (one layer).
PACK=$WORK/pack
mkdir -p "$PACK"
tar --numeric-owner --xattrs -C "$ROOT" -cf "$PACK/layer.tar" .
DIFF_ID=$(sha256sum "$PACK/layer.tar" | cut -d' ' -f1)
mkdir "$PACK/$DIFF_ID"
mv "$PACK/layer.tar" "$PACK/$DIFF_ID/layer.tar"

CREATED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
cat > "$PACK/config.json" <<JSON
{"architecture":"$ARCH","os":"linux","created":"$CREATED",
 "config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=$JAVA_HOME","LANG=C.UTF-8"],
           "Cmd":["/bin/bash"]},
 "rootfs":{"type":"layers","diff_ids":["sha256:$DIFF_ID"]},
 "history":[{"created":"$CREATED","created_by":"debootstrap --variant=minbase $SUITE $MIRROR; apt-get install openjdk-17-jre-headless ca-certificates"}]}
JSON
CONFIG_ID=$(sha256sum "$PACK/config.json" | cut -d' ' -f1)
mv "$PACK/config.json" "$PACK/$CONFIG_ID.json"
cat > "$PACK/manifest.json" <<JSON
[{"Config":"$CONFIG_ID.json","RepoTags":["$IMAGE_NAME"],"Layers":["$DIFF_ID/layer.tar"]}]
JSON

mkdir -p "$(dirname "$OUT")"
tar -C "$PACK" -cf "$OUT" manifest.json "$CONFIG_ID.json" "$DIFF_ID"
echo "build-base-image: wrote $OUT ($(du -h "$OUT" | cut -f1)), image $IMAGE_NAME, layer sha256:$DIFF_ID"
