// One training job: its facts, live progress, and plots of loss and caption metrics as it trains.
import uPlot from '/webjars/uplot/dist/uPlot.esm.js';
import { call, el, formatSeconds, ApiError } from '/assets/api.js';
import { POLL_MS, TERMINAL, jobButtons, showFailure } from '/assets/training-jobs.js';
const id = new URLSearchParams(location.search).get('id');
const problem = document.getElementById('page-problem');
const plots = {};

function fail(error) {
  showFailure(error, problem);
}

/** A line plot in a figure, redrawn in place as points arrive; the figure's data-points says how many it has. */
function plot(figureId, xLabel, series, xs, ys) {
  const figure = document.getElementById(figureId);
  figure.dataset.points = String(xs.length);
  const data = [xs, ...ys];
  const width = Math.max(260, figure.clientWidth - 8);
  if (!plots[figureId]) {
    plots[figureId] = new uPlot({
      width, height: 200,
      scales: { x: { time: false } },
      axes: [{ label: xLabel }, {}],
      series: [{ label: xLabel }, ...series.map(([label, stroke]) => ({ label, stroke, width: 2, points: { show: true } }))],
    }, data, figure);
  } else {
    plots[figureId].setData(data);
  }
}

function fact(term, ...value) {
  return [el('dt', {}, term), el('dd', {}, ...value)];
}

function render(job) {
  document.getElementById('job-heading').textContent = `Training job #${job.id}`;
  document.title = `captioner — training job #${job.id}`;
  const percent = Math.round(100 * job.progress);
  const progress = document.getElementById('job-progress');
  progress.value = percent;
  document.getElementById('job-progress-text').textContent = `${percent}%`
      + (TERMINAL.has(job.status) ? '' : `, about ${formatSeconds(job.etaSeconds)} left`);
  const images = job.images ?? {};
  const current = job.currentEpoch;
  const facts = [
    ...fact('Status', el('span', { className: `badge ${job.status}`, id: 'job-status' }, job.status),
        job.cancelRequested && !TERMINAL.has(job.status) ? ' (cancelling)' : ''),
    ...fact('Step', job.step ?? ''),
    ...(current ? fact('Current epoch', `${current.epoch}: batch ${current.batch} of ${current.batches}, running loss `
        + `${current.runningLoss.toFixed(4)}`) : []),
    ...fact('Dataset', job.request?.dataset ? `${job.request.dataset.annotations} · ${job.request.dataset.images}` : ''),
    ...fact('Images', `${images.train ?? '?'} training, ${images.validation ?? '?'} validation`
        + (images.skipped ? `, ${images.skipped} skipped` : '')),
    ...(job.features ? fact('Features', `${job.features.done} of ${job.features.total} (${job.features.reused} from the cache)`) : []),
    ...(job.vocabularySize ? fact('Vocabulary', `${job.vocabularySize} words`) : []),
    ...fact('Submitted', job.submittedAt ? new Date(job.submittedAt).toLocaleString() : ''),
    ...fact('Attempts', String(job.attempts)),
    ...(job.modelId ? fact('Model', job.modelId, job.activated ? ' (activated)' : '',
        job.activationRefused ? ` (not activated: ${job.activationRefused})` : '') : []),
    ...(job.confidence ? fact('Caption confidence', describeConfidence(job.confidence)) : []),
    ...(job.error ? fact('Error', el('span', { className: 'problem' }, job.error)) : []),
  ];
  document.getElementById('job-facts').replaceChildren(...facts);

  document.getElementById('job-actions').replaceChildren(...jobButtons(job, { done: refresh, failed: fail,
    labels: { cancel: 'Cancel job', restart: 'Restart job' } }));

  const epochs = job.epochs ?? [];
  const xs = epochs.map(e => e.epoch);
  plot('loss-plot', 'epoch', [['training loss', '#1f5fbf'], ['validation loss', '#c2410c']], xs,
      [epochs.map(e => e.trainLoss), epochs.map(e => e.validationLoss ?? null)]);
  plot('metrics-plot', 'epoch', [['BLEU-4', '#15803d'], ['CIDEr-D', '#7e22ce']], xs,
      [epochs.map(e => e.metrics?.Bleu_4 ?? null), epochs.map(e => e.metrics?.CIDEr ?? null)]);
  const running = job.runningLoss ?? [];
  if (current) document.getElementById('running-caption').textContent =
      `Running training loss within epoch ${current.epoch}`;
  plot('running-plot', 'batch', [['running loss', '#0f766e']], running.map(p => p.batch), [running.map(p => p.loss)]);
  document.getElementById('epoch-rows').replaceChildren(...epochs.map(e => el('tr', {},
      el('td', { className: 'number' }, e.epoch),
      el('td', { className: 'number' }, e.trainLoss.toFixed(4)),
      el('td', { className: 'number' }, e.validationLoss?.toFixed(4) ?? ''),
      el('td', { className: 'number' }, e.metrics?.Bleu_4?.toFixed(3) ?? ''),
      el('td', { className: 'number' }, e.metrics?.CIDEr?.toFixed(3) ?? ''),
      el('td', { className: 'number' }, e.seconds.toFixed(1)),
      el('td', { className: 'number' }, Math.round(e.tokensPerSecond)),
      el('td', { className: 'number' }, e.learningRate.toPrecision(3)))));
}

function describeConfidence(confidence) {
  if (confidence.notFitted) return `not fitted: ${confidence.notFitted}`;
  const held = confidence.heldOut ?? {};
  const figure = value => typeof value === 'number' ? value.toFixed(3) : '—';
  return `P(${confidence.target}); on ${confidence.heldOutImages} held-out images Spearman ${figure(held.spearman)} `
      + `against CIDEr-D (mean log-probability alone: ${figure(held.meanLogProbabilitySpearman)}), `
      + `Brier ${figure(held.brier)}`;
}

let timer;
async function refresh() {
  clearTimeout(timer);
  try {
    const job = await call(`/admin/training-jobs/${encodeURIComponent(id)}`);
    problem.hidden = true;
    render(job);
    if (TERMINAL.has(job.status)) return;
  } catch (error) {
    fail(error);
    if (error instanceof ApiError && error.status === 404) return;
  }
  timer = setTimeout(refresh, POLL_MS);
}

if (!id) fail(new Error('no job given: open a job from the jobs list'));
else refresh();
