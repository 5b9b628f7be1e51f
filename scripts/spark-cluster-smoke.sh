#!/usr/bin/env bash
# A real standalone Spark cluster on this machine (a master and two worker JVMs, from the Spark jars the Spark jobs
# are built against), both jobs spark-submitted to it on generated images, one worker killed with kill -9 in the
# middle of each: every image must still be there exactly once, with the single-machine results (the service's
# FeatureExtractor for the features, its caption command for the captions), and a training job (the train command)
# in the same data dir must find every image's features in the cache the cluster filled. Exits non-zero on any
# failure; the last line is the counts.
#
#   scripts/spark-cluster-smoke.sh            # builds what it needs when missing; IMAGES=240 by default
#   IMAGES=60 KEEP=1 scripts/spark-cluster-smoke.sh    # fewer images; keep the work folder for a look
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

images=${IMAGES:-240}
per_task=${IMAGES_PER_TASK:-12}
master_port=${SPARK_MASTER_PORT:-17077}
master_ui=${SPARK_MASTER_UI_PORT:-18091}
driver_ui=${SPARK_DRIVER_UI_PORT:-14041}
work=$(mktemp -d "${TMPDIR:-/tmp}/spark-smoke.XXXXXX")
log() { echo "spark-cluster-smoke: $*" >&2; }
fail() { log "FAILED: $*"; exit 1; }
started=$(date +%s)

pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    pkill -9 -P "$pid" 2>/dev/null || true
    kill -9 "$pid" 2>/dev/null || true
  done
  if [ "${KEEP:-0}" = 1 ]; then log "work folder kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# --- what it runs: the Spark application, Spark's own jars, the service (for its caption command) ---
app=target/spark/captioner-spark.jar
spark_jars=target/spark/spark-home/jars
service=target/captioner.jar
if [ ! -f "$app" ] || [ ! -d target/spark/test-classes ]; then
  log "building the Spark jobs"
  ./mvnw -q -B -f src/spark/pom.xml -DskipTests package >&2
fi
spark_version=$(sed -n 's|.*<spark.version>\(.*\)</spark.version>.*|\1|p' src/spark/pom.xml)
if [ ! -f "$spark_jars/spark-core_2.13-$spark_version.jar" ]; then
  log "resolving Spark $spark_version's jars"
  ./mvnw -q -B -f src/spark/cluster/pom.xml -Dspark.version="$spark_version" package >&2
fi
boot_jar() { python3 -c "import sys,zipfile; sys.exit(0 if any(n.startswith('BOOT-INF/lib/') for n in zipfile.ZipFile('$1').namelist()) else 1)" 2>/dev/null; }
if ! boot_jar "$service"; then
  log "building the service jar"
  ./mvnw -q -B -DskipTests package >&2
fi
# A Spark home: Spark's launcher (in each worker) builds executors' class path from <home>/jars when RELEASE is there
spark_home="$work/spark-home"
mkdir -p "$spark_home"
ln -s "$root/$spark_jars" "$spark_home/jars"
echo "Spark $spark_version (the Spark jobs' smoke test)" > "$spark_home/RELEASE"
export SPARK_HOME="$spark_home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 OMP_WAIT_POLICY=passive
# what Spark's launcher scripts add on Java 17 (org.apache.spark.launcher.JavaModuleOptions); executors get them
# from SparkContext itself
module_options=(--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true)
# started with & only: exec makes the background job the JVM itself, so $! is its pid (kill -9 reaches it, and
# the executors a worker starts are its children)
spark_java() { exec java -cp "$spark_home/jars/*" "${module_options[@]}" "$@"; }

json() { # json URL PYTHON-EXPRESSION-ON-d: prints the value, or nothing while the URL does not answer
  curl -fsS --max-time 5 "$1" 2>/dev/null | python3 -c "import json,sys; d=json.load(sys.stdin); print($2)" 2>/dev/null || true
}

# --- data: generated COCO-format images, two files that are not images, the demo model ---
log "generating $images images"
java -jar "$service" generate-shapes --output "$work/data/shapes" --count "$images" --seed 5 >/dev/null
printf 'not a PNG' > "$work/data/shapes/images/broken_900001.png"
head -c 4096 /dev/urandom > "$work/data/shapes/images/noise_900002.jpg"
mkdir -p "$work/models/demo-shapes-v1"
cp models/demo-shapes-v1/* "$work/models/demo-shapes-v1/"
echo demo-shapes-v1 > "$work/models/ACTIVE"
weights=$(python3 -c "import json; print(json.load(open('models/demo-shapes-v1/manifest.json'))['encoder']['weights'])")

# --- the cluster ---
start_worker() { # start_worker N: a worker with one core, its own work folder; prints its pid
  mkdir -p "$work/worker-$1"
  spark_java -Xmx512m org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 1 --memory 3g \
    --work-dir "$work/worker-$1" --webui-port $((master_ui + $1)) "spark://127.0.0.1:$master_port" \
    > "$work/worker-$1.log" 2>&1 &
  echo $!
}
alive_workers() { json "http://127.0.0.1:$master_ui/json/" "sum(1 for w in d['workers'] if w['state']=='ALIVE')"; }
wait_for_workers() { # wait_for_workers N: until the master counts N alive workers (or a JVM died)
  until [ "$(alive_workers)" = "$1" ]; do
    kill -0 "$master" 2>/dev/null || fail "the master died: $(tail -5 "$work/master.log")"
    sleep 1
  done
}
log "starting a master and two workers"
spark_java -Xmx512m org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$master_port" \
  --webui-port "$master_ui" > "$work/master.log" 2>&1 &
master=$!; pids+=("$master")
disown "$master"  # killed at the end on purpose: no "Killed" line from the shell
worker1=$(start_worker 1); pids+=("$worker1")
worker2=$(start_worker 2); pids+=("$worker2")
wait_for_workers 2

submit() { # submit NAME ARGS...: spark-submit in the background (client mode); sets $driver
  local name=$1
  shift
  spark_java -Xmx1g org.apache.spark.deploy.SparkSubmit --master "spark://127.0.0.1:$master_port" \
    --class dev.captioner.spark.SparkCaptioner --conf spark.executor.memory=1500m --conf spark.executor.cores=1 \
    --conf spark.executorEnv.OMP_NUM_THREADS=1 --conf spark.ui.port="$driver_ui" --conf spark.task.maxFailures=4 \
    --conf spark.driver.host=127.0.0.1 "$root/$app" "$@" > "$work/$name.out" 2> "$work/$name.err" &
  driver=$!; pids+=("$driver")
}
completed_tasks() {
  local app_id
  app_id=$(json "http://127.0.0.1:$driver_ui/api/v1/applications" "d[0]['id']")
  if [ -n "$app_id" ]; then
    json "http://127.0.0.1:$driver_ui/api/v1/applications/$app_id/stages" "sum(s['numCompleteTasks'] for s in d)"
  fi
}
kill_worker_mid_job() { # kill_worker_mid_job NAME PID: once two tasks are done and the job still runs, kill -9 the
  # worker and the executor it started (as a lost machine); then waits for the job
  local name=$1 victim=$2 done_tasks=""
  until [ "${done_tasks:-0}" -ge 2 ] 2>/dev/null; do
    kill -0 "$driver" 2>/dev/null || fail "$name ended before a worker could be killed: $(tail -3 "$work/$name.err")"
    sleep 1
    done_tasks=$(completed_tasks)
  done
  local executor
  executor=$(pgrep -P "$victim" | head -1 || true)
  [ -n "$executor" ] && log "$name: the executor's peak resident memory so far:" \
    "$(awk '/VmHWM/ {printf "%.0f MB", $2 / 1024}' "/proc/$executor/status" 2>/dev/null)"
  log "$name: $done_tasks tasks done; kill -9 of worker pid $victim and its executor"
  pkill -9 -P "$victim" || true
  kill -9 "$victim"
  if ! wait "$driver"; then
    fail "$name failed after the kill: $(grep -v '^\s*at ' "$work/$name.err" | tail -15)"
  fi
  grep -Eq "Lost executor|ExecutorLostFailure|Executor lost|Worker .* removed|removed: worker" "$work/$name.err" \
    "$work/master.log" || fail "$name: no sign that the driver lost the killed executor"
  # tasks that were running on the lost executor, run again elsewhere
  lost_tasks=$(grep -cE "Lost task|its executor exited" "$work/$name.err" || true)
}

# --- features, with worker 1 killed mid-job ---
log "features on the cluster"
submit features features --images "$work/data/shapes/images" --data-root "$work/data" --weights "$weights" \
  --images-per-task "$per_task" --batch 4 --parquet "$work/out/features.parquet" --report "$work/out/features-report.json"
kill_worker_mid_job features "$worker1"
features_lost=$lost_tasks
features_line=$(tail -1 "$work/features.out")
log "$features_line"
[[ "$features_line" == "features: images=$((images + 2)) "* ]] || fail "features counted: $features_line"
[[ "$features_line" == *" skipped=2 [2 not a readable image]" ]] || fail "features skipped: $features_line"
checks_cp="target/spark/test-classes:$app:$spark_home/jars/*"
java -cp "$checks_cp" "${module_options[@]}" dev.captioner.spark.SmokeChecks features "$work/data/shapes/images" \
  "$work/data" "$weights" "$work/out/features.parquet" > "$work/features-check.out" 2> "$work/features-check.err" \
  || fail "$(tail -3 "$work/features-check.err")"
log "$(tail -1 "$work/features-check.out")"

# --- the handover: a training job in the same data dir encodes nothing, it finds every image in the cache ---
log "a training job (the train command) on the cache the cluster filled"
cat > "$work/train.json" <<JSON
{"dataset":{"annotations":"shapes/captions.json","images":"shapes/images"},"encoderWeights":"$weights",
 "epochs":1,"hiddenSize":32,"embeddingSize":32,"minWordCount":1,"metricsImages":10,"modelId":"smoke-handover"}
JSON
java -jar "$service" train --request "$work/train.json" --data-dir "$work/data" --models-dir "$work/trained" \
  > "$work/train.out" 2> "$work/train.err" || fail "the train command: $(tail -3 "$work/train.out" "$work/train.err")"
train_line=$(cat "$work/train.out" "$work/train.err" | tr '\r' '\n' | grep '^features: ' || true)
log "train: $train_line"
[ "$train_line" = "features: $images images, 0 encoded, $images from the feature cache" ] \
  || fail "the training job did not take every image's features from the cache: $train_line"

# --- captions, with worker 2 killed mid-job (worker 1 back first) ---
worker1=$(start_worker 1); pids+=("$worker1")
wait_for_workers 2
log "caption on the cluster"
submit caption caption --images "$work/data/shapes/images" --models "$work/models" --output "$work/out/results.json" \
  --images-per-task "$per_task" --batch 4 --parquet "$work/out/captions.parquet"
kill_worker_mid_job caption "$worker2"
caption_lost=$lost_tasks
caption_line=$(tail -1 "$work/caption.out")
log "$caption_line"
[ "$caption_line" = "caption: images=$((images + 2)) captioned=$images skipped=2 [2 not a readable image]" ] \
  || fail "caption counted: $caption_line"
java -cp "$checks_cp" "${module_options[@]}" dev.captioner.spark.SmokeChecks captions "$work/out/captions.parquet" \
  "$images" > "$work/caption-check.out" 2> "$work/caption-check.err" || fail "$(tail -3 "$work/caption-check.err")"
log "$(tail -1 "$work/caption-check.out")"
log "the caption command on one machine"
java -jar "$service" caption --images "$work/data/shapes/images" --output "$work/out/single-machine.json" \
  --models-dir "$work/models" --data-dir "$work/data" > "$work/single-machine.out" 2>&1 \
  || fail "the caption command: $(tail -3 "$work/single-machine.out")"
cmp -s "$work/out/results.json" "$work/out/single-machine.json" \
  || fail "the cluster's results differ from the caption command's: diff $work/out/results.json $work/out/single-machine.json"
entries=$(python3 -c "import json; r=json.load(open('$work/out/results.json')); assert len({e['image_id'] for e in r})==len(r); print(len(r))") \
  || fail "an image id appears twice in the results"

echo "spark-cluster-smoke: images=$images unreadable=2 features=$images reused-by-training=$images captions=$entries" \
  "identical-to-single-machine=yes" \
  "workers-killed=2 lost-tasks=$((features_lost + caption_lost)) seconds=$(( $(date +%s) - started ))"
