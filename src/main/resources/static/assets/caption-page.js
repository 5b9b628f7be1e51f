// The caption page: images in, captions out, each image's results (or its problem) beside its preview.
import { call, describeProblem, el, ApiError } from '/assets/api.js';
import { showAttention, hideAttention, peakCell } from '/assets/attention-overlay.js';

const form = document.getElementById('caption-form');
const input = document.getElementById('images');
const drop = document.getElementById('drop');
const results = document.getElementById('results');
const modelLine = document.getElementById('model');
const againButton = document.getElementById('again');
const attentionField = document.getElementById('attention-field');
const CONCURRENT_REQUESTS = 2;

let modelHasAttention = false;
const items = [];
const waiting = [];
let running = 0;

async function loadModel() {
  try {
    describeModel(await call('/api/v1/model'));
  } catch (e) {
    modelLine.textContent = e instanceof ApiError ? `No model is serving: ${e.message}` : String(e);
    modelHasAttention = false;
    attentionField.hidden = true;
  }
}

function describeModel(model) {
  modelHasAttention = model.attention;
  attentionField.hidden = !model.attention;
  modelLine.replaceChildren(
      el('strong', { id: 'model-id' }, model.id),
      ` — ${model.decoder === 'attention' ? 'soft attention over a 14x14 grid' : 'LSTM on fc7'}, encoder ${model.encoder}`,
      model.description ? el('span', { className: 'muted model-description' }, ` · ${model.description}`) : null);
  modelLine.dataset.model = model.id;
}

function options() {
  const mode = document.getElementById('mode').value;
  const params = new URLSearchParams({ mode });
  if (mode === 'beam') params.set('beamSize', document.getElementById('beamSize').value);
  if (mode === 'sample') params.set('temperature', document.getElementById('temperature').value);
  if (mode !== 'greedy') params.set('n', document.getElementById('n').value);
  params.set('maxLength', document.getElementById('maxLength').value);
  const penalty = document.getElementById('lengthPenalty').value;
  if (mode === 'beam' && penalty !== 'none') params.set('lengthPenalty', penalty);
  const alternatives = document.getElementById('alternatives').value;
  if (alternatives !== '' && alternatives !== '0') params.set('alternatives', alternatives);
  if (document.getElementById('blockRepeatedTrigrams').value === 'true') params.set('blockRepeatedTrigrams', 'true');
  if (modelHasAttention && document.getElementById('attention').value === 'true') params.set('attention', 'true');
  return params;
}

function syncOptionFields() {
  const mode = document.getElementById('mode').value;
  document.getElementById('beamSize').disabled = mode !== 'beam';
  document.getElementById('temperature').disabled = mode !== 'sample';
  document.getElementById('n').disabled = mode === 'greedy';
  document.getElementById('lengthPenalty').disabled = mode !== 'beam';
}

function addFiles(files) {
  for (const file of files) {
    const item = { file, url: URL.createObjectURL(file) };
    item.element = renderItem(item);
    results.append(item.element);
    items.push(item);
    enqueue(item);
  }
  againButton.disabled = items.length === 0;
}

function renderItem(item) {
  const image = el('img', { src: item.url, alt: `${item.file.name} (being captioned)` });
  // a file the browser cannot draw (corrupt, or a format it lacks) still goes to the service, which says why
  image.addEventListener('error', () => {
    image.replaceWith(el('p', { className: 'no-preview muted' }, 'No preview: the browser cannot show this file.'));
  });
  const overlay = el('canvas', { hidden: true, 'aria-hidden': 'true' });
  item.image = image;
  item.overlay = overlay;
  item.body = el('div', { className: 'result-body' });
  item.status = el('p', { className: 'status', role: 'status' }, 'Waiting…');
  item.body.append(item.status);
  return el('li', { className: 'result', dataset: { name: item.file.name, state: 'pending' } },
      el('figure', { className: 'preview' }, el('div', { className: 'frame' }, image, overlay),
          el('figcaption', {}, item.file.name)),
      item.body);
}

function enqueue(item) {
  item.element.dataset.state = 'pending';
  waiting.push(item);
  pump();
}

function pump() {
  while (running < CONCURRENT_REQUESTS && waiting.length > 0) {
    const item = waiting.shift();
    running++;
    caption(item).finally(() => { running--; pump(); });
  }
}

async function caption(item) {
  item.status.textContent = 'Captioning…';
  item.body.replaceChildren(item.status);
  hideAttention(item.overlay);
  const params = options();
  const body = new FormData();
  body.append('image', item.file, item.file.name);
  const started = performance.now();
  try {
    const response = await call(`/api/v1/captions?${params}`, { method: 'POST', body });
    showCaptions(item, response, performance.now() - started);
    if (modelLine.dataset.model !== response.model.id) loadModel();
  } catch (e) {
    showProblem(item, e);
  }
}

function showProblem(item, error) {
  const message = error instanceof ApiError ? describeProblem(error.problem) : String(error);
  item.image.alt = `${item.file.name} (could not be captioned)`;
  item.body.replaceChildren(el('p', { className: 'problem', role: 'alert' },
      el('strong', {}, 'Could not caption this image. '), message));
  item.element.dataset.state = 'error';
}

function showCaptions(item, response, roundTripMs) {
  const captions = response.captions;
  const total = captions.reduce((sum, c) => sum + c.probability, 0);
  const detail = el('p', { className: 'token-detail', 'aria-live': 'polite' });
  const list = el('ol', { className: 'captions' });
  captions.forEach((c, index) => {
    const share = total > 0 ? c.probability / total : 0;
    const percent = (100 * share).toFixed(1);
    const bar = el('div', { className: 'bar', role: 'img',
      'aria-label': `${percent}% of the probability of these ${captions.length} captions` }, el('span'));
    bar.firstChild.style.width = `${Math.max(1, 100 * share)}%`;
    list.append(el('li', { className: 'caption' },
        el('div', { className: 'caption-text' }, ...tokens(item, c, detail)),
        bar,
        el('div', { className: 'muted' },
            `p = ${c.probability.toPrecision(3)} (log ${c.logProbability.toFixed(2)}), ${percent}% of this list`
            + (c.confidence != null ? ` · confidence ${c.confidence.toFixed(2)}` : ''))));
    if (index === 0) item.image.alt = `${item.file.name}: ${c.text}`;
  });
  const t = response.timingsMs || {};
  const timings = el('p', { className: 'timings' },
      `decode ${t.decode ?? '?'} ms · encode ${t.encode ?? '?'} ms · generate ${t.generate ?? '?'} ms · `
      + `round trip ${Math.round(roundTripMs)} ms · model ${response.model.id}`);
  const parts = [list];
  if (captions.some(c => c.attention)) {
    parts.push(el('p', { className: 'hint' }, 'Hover over or focus a word to see where the model looked.'));
  }
  parts.push(detail, timings);
  item.body.replaceChildren(...parts);
  item.element.dataset.state = 'done';
}

/** The caption's words: buttons that show their attention map (and their own probability) when it has maps. */
function tokens(item, caption, detail) {
  const words = caption.tokens.length ? caption.tokens : [caption.text];
  const maps = caption.attention;
  const perToken = caption.tokenLogProbabilities;
  if (!maps && !perToken) return [caption.text];
  const nodes = [];
  words.forEach((word, i) => {
    const button = el('button', { type: 'button', className: 'token',
      'aria-label': maps ? `${word}: show where the model looked` : `${word}: show its probability` }, word);
    const show = () => {
      button.classList.add('shown');
      if (maps) showAttention(item.overlay, maps[i]);
      detail.textContent = describeToken(word, i, caption, maps ? maps[i] : null);
    };
    const hide = () => {
      button.classList.remove('shown');
      hideAttention(item.overlay);
    };
    button.addEventListener('mouseenter', show);
    button.addEventListener('focus', show);
    button.addEventListener('mouseleave', hide);
    button.addEventListener('blur', hide);
    nodes.push(button, ' ');
  });
  return nodes;
}

function describeToken(word, i, caption, map) {
  const parts = [`“${word}”`];
  const logP = caption.tokenLogProbabilities?.[i];
  if (logP != null) parts.push(`p = ${Math.exp(logP).toFixed(3)}`);
  const others = caption.alternatives?.[i];
  if (others?.length) {
    parts.push('instead: ' + others.map(a => `${a.word === '<end>' ? '(end)' : a.word} `
        + `${Math.exp(a.logProbability).toFixed(3)}`).join(', '));
  }
  if (map) {
    const peak = peakCell(map);
    parts.push(`looked most at row ${peak.row + 1}, column ${peak.column + 1} of ${map.length}x${map[0].length}`
        + ` (weight ${peak.weight.toFixed(2)})`);
  }
  return parts.join(' · ');
}

input.addEventListener('change', () => {
  addFiles([...input.files]);
  input.value = '';
});
drop.addEventListener('dragover', e => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', e => {
  e.preventDefault();
  drop.classList.remove('over');
  addFiles([...e.dataTransfer.files]);
});
document.addEventListener('paste', e => {
  const files = [...(e.clipboardData?.files || [])];
  if (files.length) addFiles(files);
});
document.getElementById('mode').addEventListener('change', syncOptionFields);
form.addEventListener('submit', e => {
  e.preventDefault();
  items.forEach(enqueue);
});

syncOptionFields();
loadModel();
