#!/usr/bin/env bash
# Regenerates the synthetic shapes dataset (under data/) and retrains the embedded demo model (models/demo-shapes-v1).
# Takes about 10 minutes on 2 cores: most of it is VGG16 fc7 extraction for 1,200 images.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B package -DskipTests
OMP_WAIT_POLICY=passive java -jar target/captioner.jar train-demo --models models --data data "$@"
