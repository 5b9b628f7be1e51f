#!/usr/bin/env bash
# Checks the deployment files offline (README, "Deploying several replicas"):
#  - deploy/k8s/*.yaml against Kubernetes' API schemas and field names, and this service's own rules
#    (deploy/validate/validate.mjs), then that the checks can fail (--self-test: 14 deliberate mistakes);
#  - the kustomization builds (kubectl kustomize), where kubectl is installed;
#  - deploy/haproxy.cfg parses (haproxy -c), where haproxy is installed (apt install haproxy).
# Needs node and npm (the validator's packages are installed from the npm registry into deploy/validate on the
# first run, at the versions package-lock.json pins). Exits non-zero on any problem.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d deploy/validate/node_modules ] || [ deploy/validate/package-lock.json -nt deploy/validate/node_modules ]; then
  (cd deploy/validate && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) >&2
fi
node deploy/validate/validate.mjs deploy/k8s README.md
node deploy/validate/validate.mjs --self-test deploy/k8s README.md | tail -1

if command -v kubectl >/dev/null; then
  built=$(kubectl kustomize deploy/k8s)
  echo "kustomization: builds $(grep -c '^kind:' <<<"$built") objects"
else
  echo "kustomization: not built (no kubectl)"
fi

if command -v haproxy >/dev/null; then
  CAPTIONER_DEPLOY_DIR="$PWD/deploy" CAPTIONER_REPLICA_1=127.0.0.1:8081 CAPTIONER_REPLICA_2=127.0.0.1:8082 \
    haproxy -c -q -f deploy/haproxy.cfg
  echo "haproxy.cfg: valid ($(haproxy -v | head -1 | cut -d' ' -f1-3))"
else
  echo "haproxy.cfg: not checked (no haproxy: apt install haproxy)"
fi
