#!/bin/bash
# The container's entry point: sizes the JVM heap and ND4J's off-heap memory from the container's memory
# limit, then starts the service. "healthcheck" as the only argument answers Docker's HEALTHCHECK instead.
set -euo pipefail

if [ "${1:-}" = healthcheck ]; then
  # no curl in slim images: plain HTTP over bash's /dev/tcp
  exec 3<>"/dev/tcp/127.0.0.1/${SERVER_PORT:-8080}"
  printf 'GET /actuator/health/readiness HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
  grep -q '"status":"UP"' <&3
  exit
fi

# The container's limit (cgroup v2, then v1); "max" or an absurd v1 value means none: the host's memory.
limit=$(cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || echo max)
host=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) * 1024 ))  # shell arithmetic: awk may print 2.5e+10
case "$limit" in ''|max|*[!0-9]*) limit=$host ;; esac
# cgroup v1 reports "no limit" as a huge number (and more digits than the shell's integers hold)
if [ "${#limit}" -gt 18 ] || [ "$limit" -gt "$host" ]; then
  limit=$host
fi

# Budget (override any of it with JAVA_OPTS): the Java heap 25% (request handling, training features);
# ND4J's native arrays (VGG16's 540 MB of weights, activations, the decoder) up to 55%, the whole process
# (heap + native + JVM) up to 90%, so ND4J fails a too-large allocation with a clear error instead of the
# kernel killing the container.
mib=$((limit / 1048576))
native_max="$((mib * 55 / 100))m"
physical_max="$((mib * 90 / 100))m"
echo "captioner: memory limit ${mib} MiB: Java heap 25%, ND4J native arrays up to ${native_max}, process up to ${physical_max}" >&2
# the class archive the image build made (Dockerfile); without it the JVM loads every class from the jars
archive=()
if [ -f /app/jar/captioner.jsa ]; then archive=(-XX:SharedArchiveFile=/app/jar/captioner.jsa); fi
exec java -XX:MaxRAMPercentage=25 -XX:+ExitOnOutOfMemoryError "${archive[@]}" \
  "-Dorg.bytedeco.javacpp.maxbytes=${native_max}" "-Dorg.bytedeco.javacpp.maxphysicalbytes=${physical_max}" \
  ${JAVA_OPTS:-} -jar /app/jar/captioner.jar "$@"
