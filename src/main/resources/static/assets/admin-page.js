// The admin overview: training jobs with live progress, the form that starts one, and the stored models.
import { call, el, formatSeconds, signInAgain, ApiError } from '/assets/api.js';
import { POLL_MS, TERMINAL, jobButtons, showFailure } from '/assets/training-jobs.js';
/** Metric columns of the models table, in this order, where any model has them. */
const METRIC_COLUMNS = [
  ['validationBleu4', 'val. BLEU-4'], ['validationCIDEr', 'val. CIDEr-D'], ['validationROUGEL', 'val. ROUGE-L'],
  ['heldOutScenes.bleu4', 'held-out BLEU-4'], ['heldOutScenes.ciderD', 'held-out CIDEr-D'],
  ['validationLoss', 'val. loss'], ['confidence.spearman', 'confidence ρ'], ['trainImages', 'train images'],
  ['bestEpoch', 'best epoch'],
];

const pageProblem = document.getElementById('page-problem');

function fail(error, where = pageProblem) {
  showFailure(error, where);
}

function clear(where) {
  where.hidden = true;
  where.textContent = '';
}

// ---- jobs -------------------------------------------------------------------------------------------------------

async function refreshJobs() {
  try {
    const jobs = await call('/admin/training-jobs?limit=50');
    document.getElementById('job-rows').replaceChildren(...jobs.map(jobRow));
    document.getElementById('jobs-updated').textContent = jobs.length
        ? `${jobs.length} job${jobs.length === 1 ? '' : 's'}, newest first; updated ${new Date().toLocaleTimeString()}`
        : 'No training jobs yet.';
    clear(pageProblem);
  } catch (error) {
    fail(error);
  }
}

function jobRow(job) {
  const percent = Math.round(100 * job.progress);
  const actions = el('div', { className: 'actions' },
      el('a', { href: `/admin/ui/job?id=${job.id}`, 'aria-label': `open job ${job.id}` }, 'Open'),
      ...jobButtons(job, { done: refreshJobs, failed: fail }));
  return el('tr', { dataset: { job: job.id, status: job.status } },
      el('td', {}, el('a', { href: `/admin/ui/job?id=${job.id}` }, `#${job.id}`)),
      el('td', {}, el('span', { className: `badge ${job.status}` }, job.status),
          job.cancelRequested && !TERMINAL.has(job.status) ? ' (cancelling)' : ''),
      el('td', {}, job.step ?? ''),
      el('td', {}, el('progress', { max: 100, value: percent, 'aria-label': `job ${job.id} progress` }), ` ${percent}%`),
      el('td', {}, TERMINAL.has(job.status) ? '—' : formatSeconds(job.etaSeconds)),
      el('td', {}, job.submittedAt ? new Date(job.submittedAt).toLocaleString() : ''),
      el('td', {}, job.modelId ?? ''),
      el('td', {}, actions));
}

// ---- start a job ------------------------------------------------------------------------------------------------

const startForm = document.getElementById('start');
const startProblem = document.getElementById('start-problem');

/** The form as the API's JSON: empty fields left out (the service's defaults), dotted names nested. */
function jobRequest() {
  const request = {};
  for (const input of startForm.querySelectorAll('input, select')) {
    const value = input.value.trim();
    if (value === '') continue;
    let typed = value;
    if (input.dataset.kind === 'integer' || input.dataset.kind === 'number') typed = Number(value);
    if (input.name === 'activate') typed = value === 'true';
    const [outer, inner] = input.name.split('.');
    if (inner) (request[outer] ??= {})[inner] = typed;
    else request[outer] = typed;
  }
  return request;
}

function clearFieldErrors() {
  for (const message of startForm.querySelectorAll('.field .error')) message.remove();
  for (const input of startForm.querySelectorAll('[aria-invalid]')) {
    input.removeAttribute('aria-invalid');
    input.removeAttribute('aria-describedby');
  }
}

/** The API's per-field messages ({@code errors} of its problem) beside their fields; the rest above the button. */
function showFieldErrors(problem) {
  const unplaced = [];
  for (const { field, message } of problem.errors ?? []) {
    const input = document.getElementById(field);
    if (!input) { unplaced.push(`${field}: ${message}`); continue; }
    const id = `${field}-error`;
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', id);
    input.closest('.field').append(el('span', { className: 'error', id }, message));
  }
  return unplaced;
}

startForm.addEventListener('submit', async e => {
  e.preventDefault();
  clearFieldErrors();
  clear(startProblem);
  document.getElementById('start-result').textContent = '';
  try {
    const job = await call('/admin/training-jobs', { method: 'POST', json: jobRequest() });
    document.getElementById('start-result').replaceChildren('Started ',
        el('a', { href: `/admin/ui/job?id=${job.id}` }, `job #${job.id}`), '.');
    refreshJobs();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return signInAgain();
    const unplaced = error instanceof ApiError ? showFieldErrors(error.problem) : [];
    const placedAll = error instanceof ApiError && error.problem.errors?.length && unplaced.length === 0;
    startProblem.textContent = placedAll ? 'Please correct the fields marked above.'
        : [error.message, ...unplaced].join(' · ');
    startProblem.hidden = false;
    startForm.querySelector('[aria-invalid="true"]')?.focus();
  }
});

// ---- models -----------------------------------------------------------------------------------------------------

const modelsProblem = document.getElementById('models-problem');

/** A metric by its dotted path; confidence.* comes from the model's calibration, the rest from its metrics. */
function metric(model, key) {
  let value = key.startsWith('confidence.') ? { confidence: model.confidence } : model.metrics ?? {};
  for (const part of key.split('.')) value = value?.[part];
  return typeof value === 'number' ? value : undefined;
}

function formatMetric(value) {
  if (value === undefined) return '';
  return Number.isInteger(value) ? String(value) : value.toFixed(3);
}

async function refreshModels() {
  try {
    const models = await call('/admin/models');
    const columns = METRIC_COLUMNS.filter(([key]) => models.some(m => metric(m, key) !== undefined));
    document.getElementById('model-head').replaceChildren(el('tr', {},
        el('th', {}, 'Model'), el('th', {}, 'Decoder'), el('th', {}, 'Encoder'), el('th', {}, 'Created'),
        ...columns.map(([, label]) => el('th', { className: 'number' }, label)), el('th', {}, 'Actions')));
    document.getElementById('model-rows').replaceChildren(...models.map(m => modelRow(m, columns)));
    clear(modelsProblem);
  } catch (error) {
    fail(error, modelsProblem);
  }
}

function modelRow(model, columns) {
  if (model.broken) {
    return el('tr', { dataset: { model: model.id } }, el('td', {}, model.id),
        el('td', { colSpan: 3 + columns.length, className: 'problem' }, `unusable: ${model.broken}`),
        el('td', {}, deleteButton(model)));
  }
  const actions = el('div', { className: 'actions' });
  if (!model.active) {
    actions.append(el('button', { type: 'button', onclick: () => activate(model),
      'aria-label': `activate model ${model.id}` }, 'Activate'), deleteButton(model));
  }
  return el('tr', { dataset: { model: model.id, active: model.active } },
      el('td', {}, model.id, model.active ? el('span', { className: 'badge active' }, ' serving ') : '',
          model.description ? el('div', { className: 'muted' }, model.description) : ''),
      el('td', {}, model.decoder?.type ?? 'lstm'),
      el('td', {}, model.encoder ? `${model.encoder.architecture}${model.encoder.layer === 'conv5_3' ? '-conv5_3' : ''}/${model.encoder.weights}` : ''),
      el('td', {}, model.created ? new Date(model.created).toLocaleDateString() : ''),
      ...columns.map(([key]) => el('td', { className: 'number' }, formatMetric(metric(model, key)))),
      el('td', {}, actions));
}

function deleteButton(model) {
  return el('button', { type: 'button', className: 'danger', onclick: () => remove(model),
    'aria-label': `delete model ${model.id}` }, 'Delete');
}

async function activate(model) {
  if (!confirm(`Serve model ${model.id} from now on? Requests in flight finish on the current model.`)) return;
  try {
    await call(`/admin/models/${encodeURIComponent(model.id)}/activate`, { method: 'POST' });
  } catch (error) {
    fail(error, modelsProblem);
  }
  refreshModels();
}

async function remove(model) {
  if (!confirm(`Delete model ${model.id} and its files? This cannot be undone.`)) return;
  try {
    await call(`/admin/models/${encodeURIComponent(model.id)}`, { method: 'DELETE' });
  } catch (error) {
    fail(error, modelsProblem);
  }
  refreshModels();
}

// ---- page -------------------------------------------------------------------------------------------------------

document.getElementById('sign-out').addEventListener('click', async () => {
  await call('/admin/ui/logout', { method: 'POST' }).catch(() => {});
  location.assign('/admin/ui/login');
});

let lastJobs = '';
async function poll() {
  await refreshJobs();
  // a job that finished may have registered (or activated) a model
  const statuses = [...document.querySelectorAll('#job-rows tr')].map(r => r.dataset.status).join();
  if (statuses !== lastJobs) {
    lastJobs = statuses;
    refreshModels();
  }
  setTimeout(poll, POLL_MS);
}
poll();
