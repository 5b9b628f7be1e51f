// Checks the Kubernetes manifests in a folder offline, three ways:
//  1. schema: each object against the JSON schema of its apiVersion and kind, generated from Kubernetes' OpenAPI
//     spec (kubernetes-models: types, required fields, formats, enums);
//  2. fields: every field name known to Kubernetes' API (the OpenAPI spec's models as @kubernetes/client-node
//     generates them), which the schemas in 1 do not check: a misspelt "readinesProbe" would pass them and be
//     dropped by the API server;
//  3. this service's rules: the objects refer to each other (selectors, claims, secret keys, probe ports, the
//     HPA's target), probes on the actuator's health groups, memory request = limit, OMP_WAIT_POLICY=passive,
//     no namespace, shared volumes ReadWriteMany, CAPTIONER_* variables the README documents.
// Usage: node validate.mjs DIR [README]   or   node validate.mjs --self-test DIR [README]
// Exits 1 when anything is wrong, printing every problem.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join, basename } from "node:path";
import yaml from "js-yaml";

const here = new URL(".", import.meta.url).pathname;
const clientModels = join(here, "node_modules/@kubernetes/client-node/dist/gen/models");

const args = process.argv.slice(2);
const selfTest = args[0] === "--self-test";
if (selfTest) args.shift();
const [dir, readme] = args;
if (!dir) {
  console.error("usage: node validate.mjs [--self-test] DIR [README]");
  process.exit(2);
}

function load(folder) {
  const objects = [];
  for (const file of readdirSync(folder).filter((f) => f.endsWith(".yaml")).sort()) {
    const docs = yaml.loadAll(readFileSync(join(folder, file), "utf8"), null, { filename: file });
    docs.filter((d) => d != null).forEach((doc, i) => objects.push({ file, index: i, doc }));
  }
  return objects;
}

// --- 1. schema -------------------------------------------------------------------------------------------------
async function schemaProblems(doc) {
  const [group, version] = doc.apiVersion.includes("/") ? doc.apiVersion.split("/") : [null, doc.apiVersion];
  const module = `kubernetes-models/${group ? group + "/" : ""}${version}/${doc.kind}`;
  let Model;
  try {
    Model = (await import(module))[doc.kind];
  } catch {
    return [`no schema for ${doc.apiVersion} ${doc.kind}`];
  }
  try {
    new Model(structuredClone(doc)).validate();
    return [];
  } catch (e) {
    return [String(e.message)];
  }
}

// --- 2. fields -------------------------------------------------------------------------------------------------
const modelCache = new Map();
async function attributes(type) {
  if (!modelCache.has(type)) {
    const file = join(clientModels, `${type}.js`);
    modelCache.set(type, existsSync(file) ? (await import(file))[type].getAttributeTypeMap() : null);
  }
  return modelCache.get(type);
}
function className(doc) {
  const version = doc.apiVersion.split("/").pop();
  return version.charAt(0).toUpperCase() + version.slice(1) + doc.kind;
}
async function unknownFields(value, type, path, problems) {
  if (value == null) return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (Array.isArray(value)) for (const [i, v] of value.entries()) await unknownFields(v, array[1], `${path}[${i}]`, problems);
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (typeof value === "object") for (const [k, v] of Object.entries(value)) await unknownFields(v, map[1], `${path}.${k}`, problems);
    return;
  }
  const attrs = await attributes(type);
  if (!attrs || typeof value !== "object" || Array.isArray(value)) return;
  const known = new Map(attrs.map((a) => [a.baseName, a.type]));
  for (const [key, v] of Object.entries(value)) {
    if (!known.has(key)) problems.push(`${path}.${key}: no such field in ${type}`);
    else await unknownFields(v, known.get(key), `${path}.${key}`, problems);
  }
}

// --- 3. this service's rules ----------------------------------------------------------------------------------
function documentedVariables(readmePath) {
  if (!readmePath) return null;
  return new Set(readFileSync(readmePath, "utf8").match(/CAPTIONER_[A-Z0-9_]+/g) ?? []);
}
function matches(selector, labels) {
  return Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v) && Object.keys(selector ?? {}).length > 0;
}
function podSpecs(objects) {
  const specs = [];
  for (const { doc } of objects) {
    if (doc.kind === "Deployment") specs.push({ owner: doc, template: doc.spec.template, replicated: (doc.spec.replicas ?? 1) > 1 });
    if (doc.kind === "Job") specs.push({ owner: doc, template: doc.spec.template, replicated: false });
  }
  return specs;
}
function serviceRules(objects, documented) {
  const problems = [];
  const byKind = (kind) => objects.filter((o) => o.doc.kind === kind).map((o) => o.doc);
  const claims = new Map(byKind("PersistentVolumeClaim").map((p) => [p.metadata.name, p]));
  const secrets = new Map(byKind("Secret").map((s) => [s.metadata.name, { ...(s.data ?? {}), ...(s.stringData ?? {}) }]));
  const deployments = byKind("Deployment");

  for (const { doc } of objects) {
    if (doc.metadata?.namespace) problems.push(`${doc.kind} ${doc.metadata.name}: names a namespace (the manifests are namespace-agnostic)`);
  }
  for (const d of deployments) {
    if (!matches(d.spec.selector?.matchLabels, d.spec.template.metadata?.labels)) {
      problems.push(`Deployment ${d.metadata.name}: selector does not match its pod labels`);
    }
  }
  for (const { owner, template, replicated } of podSpecs(objects)) {
    const where = `${owner.kind} ${owner.metadata.name}`;
    const spec = template.spec;
    const volumes = new Map((spec.volumes ?? []).map((v) => [v.name, v]));
    for (const v of volumes.values()) {
      const claim = v.persistentVolumeClaim?.claimName;
      if (claim && !claims.has(claim)) problems.push(`${where}: volume ${v.name} claims ${claim}, which no PersistentVolumeClaim here is`);
      if (claim && claims.has(claim) && !claims.get(claim).spec.accessModes.includes("ReadWriteMany")) {
        problems.push(`${where}: volume ${v.name} (${claim}) is shared by every replica and job, so it must be ReadWriteMany`);
      }
    }
    for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
      const cw = `${where} container ${c.name}`;
      for (const m of c.volumeMounts ?? []) if (!volumes.has(m.name)) problems.push(`${cw}: mounts ${m.name}, which is no volume of the pod`);
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (ref && !(secrets.get(ref.name) && ref.key in secrets.get(ref.name))) {
          problems.push(`${cw}: ${e.name} reads key ${ref.key} of Secret ${ref.name}, which no Secret here has`);
        }
        if (documented && e.name.startsWith("CAPTIONER_") && !documented.has(e.name)) {
          problems.push(`${cw}: ${e.name} is not a variable the README documents`);
        }
      }
      const memory = c.resources ?? {};
      if (!memory.requests?.memory || !memory.limits?.memory) problems.push(`${cw}: no memory request and limit`);
      else if (spec.containers.includes(c) && memory.requests.memory !== memory.limits.memory) {
        problems.push(`${cw}: memory request ${memory.requests.memory} differs from its limit ${memory.limits.memory}`);
      }
    }
    for (const c of spec.containers) {
      const cw = `${where} container ${c.name}`;
      const env = new Map((c.env ?? []).map((e) => [e.name, e.value]));
      if (env.get("OMP_WAIT_POLICY") !== "passive") problems.push(`${cw}: OMP_WAIT_POLICY is not passive`);
      if (owner.kind !== "Deployment") continue;
      const ports = new Set((c.ports ?? []).flatMap((p) => [p.name, p.containerPort]));
      const want = { startupProbe: "/actuator/health/liveness", livenessProbe: "/actuator/health/liveness", readinessProbe: "/actuator/health/readiness" };
      for (const [probe, path] of Object.entries(want)) {
        const get = c[probe]?.httpGet;
        if (!get) problems.push(`${cw}: no ${probe}`);
        else {
          if (get.path !== path) problems.push(`${cw}: ${probe} asks ${get.path}, not ${path}`);
          if (!ports.has(get.port)) problems.push(`${cw}: ${probe} port ${get.port} is no port of the container`);
        }
      }
      if (!c.resources?.requests?.cpu) problems.push(`${cw}: no CPU request (the HPA's utilisation is relative to it)`);
    }
    if (replicated && !(spec.volumes ?? []).some((v) => v.persistentVolumeClaim)) problems.push(`${where}: replicas share no volume`);
  }
  for (const s of byKind("Service")) {
    const targets = deployments.filter((d) => matches(s.spec.selector, d.spec.template.metadata?.labels));
    if (targets.length === 0) problems.push(`Service ${s.metadata.name}: its selector matches no Deployment's pods`);
    for (const p of s.spec.ports) {
      const named = targets.some((d) => d.spec.template.spec.containers.some((c) => (c.ports ?? []).some((q) => q.name === p.targetPort || q.containerPort === p.targetPort)));
      if (targets.length && !named) problems.push(`Service ${s.metadata.name}: targetPort ${p.targetPort} is no container port`);
    }
  }
  for (const b of byKind("PodDisruptionBudget")) {
    if (!deployments.some((d) => matches(b.spec.selector?.matchLabels, d.spec.template.metadata?.labels))) {
      problems.push(`PodDisruptionBudget ${b.metadata.name}: its selector matches no Deployment's pods`);
    }
  }
  for (const h of byKind("HorizontalPodAutoscaler")) {
    const ref = h.spec.scaleTargetRef;
    if (!deployments.some((d) => d.metadata.name === ref.name && ref.kind === "Deployment")) {
      problems.push(`HorizontalPodAutoscaler ${h.metadata.name}: scales ${ref.kind} ${ref.name}, which is not here`);
    }
    if ((h.spec.minReplicas ?? 1) > h.spec.maxReplicas) problems.push(`HorizontalPodAutoscaler ${h.metadata.name}: minReplicas above maxReplicas`);
  }
  return problems;
}

async function check(objects, documented) {
  const problems = [];
  for (const { file, index, doc } of objects) {
    const where = `${file}#${index} ${doc.kind ?? "?"} ${doc.metadata?.name ?? "?"}`;
    if (doc.kind === "Kustomization") {
      for (const r of doc.resources ?? []) if (!objects.some((o) => o.file === r)) problems.push(`${where}: resource ${r} is not a file here`);
      continue;
    }
    if (!doc.apiVersion || !doc.kind) {
      problems.push(`${where}: no apiVersion or kind`);
      continue;
    }
    for (const p of await schemaProblems(doc)) problems.push(`${where}: schema: ${p}`);
    const fields = [];
    const type = className(doc);
    if (!(await attributes(type))) problems.push(`${where}: fields: no API model ${type}`);
    else await unknownFields(doc, type, "", fields);
    for (const p of fields) problems.push(`${where}: fields: ${p}`);
  }
  try {
    return problems.concat(serviceRules(objects.filter((o) => o.doc.kind !== "Kustomization"), documented));
  } catch (e) {
    // an object too malformed for the rules to read is already reported by the schema
    return problems.concat([`rules: could not read the objects (${e.message})`]);
  }
}

const documented = documentedVariables(readme);
const objects = load(dir);

if (!selfTest) {
  const problems = await check(objects, documented);
  for (const p of problems) console.log(`PROBLEM ${p}`);
  const kinds = objects.map((o) => o.doc.kind).join(", ");
  console.log(`${basename(dir)}: ${objects.length} objects (${kinds}): ${problems.length === 0 ? "OK" : problems.length + " problems"}`);
  process.exit(problems.length === 0 ? 0 : 1);
}

// --self-test: the checks must be able to fail. Each mistake below, made in a copy of the manifests, must be
// reported (and the manifests as they are must pass).
const deployment = (o) => o.find((x) => x.doc.kind === "Deployment").doc;
const container = (o) => deployment(o).spec.template.spec.containers[0];
const mistakes = {
  "a misspelt field": (o) => { const c = container(o); c.readinesProbe = c.readinessProbe; delete c.readinessProbe; },
  "a number as a string": (o) => { deployment(o).spec.replicas = "2"; },
  "a required field left out": (o) => { delete deployment(o).spec.selector; },
  "a claim that does not exist": (o) => { deployment(o).spec.template.spec.volumes[0].persistentVolumeClaim.claimName = "nope"; },
  "a secret key that does not exist": (o) => { container(o).env.find((e) => e.valueFrom?.secretKeyRef).valueFrom.secretKeyRef.key = "nope"; },
  "readiness on liveness": (o) => { container(o).readinessProbe.httpGet.path = "/actuator/health/liveness"; },
  "a probe on a port the container lacks": (o) => { container(o).livenessProbe.httpGet.port = "admin"; },
  "a Service selecting nothing": (o) => { o.find((x) => x.doc.kind === "Service").doc.spec.selector = { app: "other" }; },
  "an HPA on another Deployment": (o) => { o.find((x) => x.doc.kind === "HorizontalPodAutoscaler").doc.spec.scaleTargetRef.name = "other"; },
  "a namespace": (o) => { deployment(o).metadata.namespace = "prod"; },
  "busy-waiting OpenMP": (o) => { container(o).env.find((e) => e.name === "OMP_WAIT_POLICY").value = "active"; },
  "memory request below the limit": (o) => { container(o).resources.requests.memory = "1Gi"; },
  "a shared volume ReadWriteOnce": (o) => { o.find((x) => x.doc.kind === "PersistentVolumeClaim").doc.spec.accessModes = ["ReadWriteOnce"]; },
  "an undocumented CAPTIONER_ variable": (o) => { container(o).env.push({ name: "CAPTIONER_MODEL_DIR", value: "/x" }); },
};
let failures = 0;
const clean = await check(objects, documented);
if (clean.length) { console.log(`SELF-TEST FAILED: the manifests themselves: ${clean.join("; ")}`); failures++; }
for (const [name, mistake] of Object.entries(mistakes)) {
  const copy = structuredClone(objects);
  mistake(copy);
  const found = await check(copy, documented);
  console.log(`${found.length ? "caught" : "MISSED"}: ${name}${found.length ? ": " + found[0] : ""}`);
  if (!found.length) failures++;
}
console.log(failures === 0 ? `self-test: ${Object.keys(mistakes).length} mistakes caught` : `SELF-TEST FAILED: ${failures}`);
process.exit(failures === 0 ? 0 : 1);
