#!/usr/bin/env bash
# Builds the project's Dockerfile and proves the image works, on a machine with Debian's packages but no
# container registry: the JDK and JRE base images are made from Debian packages (debootstrap + podman import),
# the Dockerfile is built with podman on those bases, the image's entry point is started (with buildah run:
# podman run needs cgroups that these machines lack), a generated image is posted, and the caption JSON is
# checked. Prints the image size as its last line; exits non-zero on any failure.
#
# Needs root, and: apt install podman buildah debootstrap
# Usage: scripts/container-smoke.sh [--rebuild-bases]
#   CAPTIONER_SMOKE_PORT   port the service listens on (default 18080)
#   DEBIAN_MIRROR          (default http://deb.debian.org/debian)
set -euo pipefail
cd "$(dirname "$0")/.."

rebuild=0
[ "${1:-}" = --rebuild-bases ] && rebuild=1
port=${CAPTIONER_SMOKE_PORT:-18080}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
image=localhost/captioner:smoke
jdk_base=localhost/captioner-base-jdk:bookworm
jre_base=localhost/captioner-base-jre:bookworm
podman_opts=(--cgroup-manager=cgroupfs)
work=$(mktemp -d)
container=""
service=""
started=$(date +%s)

log() { echo "[smoke $(($(date +%s) - started))s] $*" >&2; }
fail() { echo "[smoke] FAILED: $*" >&2; exit 1; }
cleanup() {
  [ -n "$service" ] && kill "$service" 2>/dev/null && wait "$service" 2>/dev/null || true
  [ -n "$container" ] && buildah rm "$container" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

for tool in podman buildah debootstrap curl; do
  command -v "$tool" >/dev/null || fail "$tool is missing (apt install podman buildah debootstrap curl)"
done
[ "$(id -u)" = 0 ] || fail "run as root (debootstrap and rootful podman)"

# 1. base images from Debian packages
base_image() {
  local name=$1 packages=$2 trust_host_cas=${3:-0}
  if [ "$rebuild" = 0 ] && podman "${podman_opts[@]}" image exists "$name"; then
    log "base $name exists (--rebuild-bases to make it again)"
    return
  fi
  log "debootstrap bookworm with $packages -> $name"
  local root="$work/rootfs-${name##*/}"
  debootstrap --variant=minbase --include="$packages" bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; fail "debootstrap for $name"; }
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  if [ "$trust_host_cas" = 1 ]; then
    # the build downloads Maven and the dependencies over HTTPS: trust what this host trusts (a TLS-inspecting
    # egress proxy's CA included), for curl and for Java
    cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
    [ -f /etc/ssl/certs/java/cacerts ] && cp /etc/ssl/certs/java/cacerts "$root/etc/ssl/certs/java/cacerts"
  fi
  tar -C "$root" -c . | podman "${podman_opts[@]}" import - "$name" >/dev/null || fail "podman import $name"
  rm -rf "$root"
}
base_image "$jdk_base" openjdk-17-jdk-headless,curl,ca-certificates 1
base_image "$jre_base" openjdk-17-jre-headless

# 2. the project's Dockerfile on those bases (docker format: the OCI format has no HEALTHCHECK)
log "podman build $image"
podman "${podman_opts[@]}" build --isolation=chroot --format docker \
  --build-arg BUILD_IMAGE="$jdk_base" --build-arg RUNTIME_IMAGE="$jre_base" -t "$image" . >"$work/build.log" 2>&1 \
  || { tail -40 "$work/build.log" >&2; fail "podman build"; }

# 3. the image's own entry point, as its own user, with its own environment
entrypoint=$(podman "${podman_opts[@]}" image inspect "$image" --format '{{join .Config.Entrypoint " "}}')
user=$(podman "${podman_opts[@]}" image inspect "$image" --format '{{.Config.User}}')
[ "$user" = captioner ] || fail "the image runs as '$user', not as the non-root user captioner"
healthcheck=$(podman "${podman_opts[@]}" image inspect "$image" --format '{{json .Config.Healthcheck}}')
case "$healthcheck" in *healthcheck*) ;; *) fail "no HEALTHCHECK in the image config: $healthcheck" ;; esac
container=$(buildah from "$image")
log "starting $entrypoint (port $port)"
buildah run --isolation chroot --env SERVER_PORT="$port" "$container" -- $entrypoint >"$work/service.log" 2>&1 &
service=$!
ready=0
for _ in $(seq 1 180); do
  if curl -fs "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null 2>&1; then ready=1; break; fi
  kill -0 "$service" 2>/dev/null || { tail -30 "$work/service.log" >&2; fail "the service exited"; }
  sleep 1
done
[ "$ready" = 1 ] || { tail -30 "$work/service.log" >&2; fail "not ready within 180 s"; }
log "ready"
grep -m1 "memory limit" "$work/service.log" >&2 || fail "the entry point did not size the JVM's memory"
buildah run --isolation chroot --env SERVER_PORT="$port" "$container" -- /app/entrypoint.sh healthcheck \
  || fail "the image's HEALTHCHECK command does not report UP"

# 4. a generated picture (the jar draws the demo model's kind of image), posted over HTTP
buildah run --isolation chroot "$container" -- java -jar /app/jar/captioner.jar generate-shapes \
  --output /tmp/smoke --count 1 --seed 7 >"$work/generate.log" 2>&1 || { cat "$work/generate.log" >&2; fail "generate-shapes"; }
mnt=$(buildah mount "$container")
picture="$mnt/tmp/smoke/images/synthetic_000001.png"
[ -s "$picture" ] || fail "no generated picture at $picture"
cp "$picture" "$work/picture.png"
buildah umount "$container" >/dev/null
answer=$(curl -fsS -F "image=@$work/picture.png" "http://127.0.0.1:$port/api/v1/captions") || fail "caption request"
log "caption: $answer"
printf '%s' "$answer" | grep -q '"captions":\[{"text":"[a-z][^"]*"' || fail "no caption text in $answer"
printf '%s' "$answer" | grep -q '"model":{"id":"demo-scenes-attention-v1"' || fail "not the demo model: $answer"

# 5. an empty body is a problem+json 400, not a 500
status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: image/png' --data-binary '' "http://127.0.0.1:$port/api/v1/captions")
[ "$status" = 400 ] || fail "empty body answered $status, expected 400"

size=$(podman "${podman_opts[@]}" image inspect "$image" --format '{{.Size}}')
log "passed in $(($(date +%s) - started)) s"
echo "image $image size $((size / 1048576)) MB"
