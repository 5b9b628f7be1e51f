// What the admin pages share about training jobs: how often they poll, which states are final, the cancel and
// restart buttons, and how a failed call is shown.
import { call, el, signInAgain, ApiError } from '/assets/api.js';

export const POLL_MS = 2000;
export const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/** A failed call's sentence in {@code where}; a lapsed session (401) goes to the sign-in form instead. */
export function showFailure(error, where) {
  if (error instanceof ApiError && error.status === 401) return signInAgain();
  where.textContent = error.message;
  where.hidden = false;
}

/**
 * The buttons a job offers now: cancel (confirmed first) while it may still run, restart once it failed or was
 * cancelled. {@code done} runs after the call succeeds, {@code failed} with its error.
 */
export function jobButtons(job, { done, failed, labels = { cancel: 'Cancel', restart: 'Restart' } }) {
  const act = async action => {
    if (action === 'cancel' && !confirm(`Cancel training job #${job.id}?`)) return;
    try {
      await call(`/admin/training-jobs/${job.id}/${action}`, { method: 'POST' });
      done();
    } catch (error) {
      failed(error);
    }
  };
  const buttons = [];
  if (!TERMINAL.has(job.status) && !job.cancelRequested) {
    buttons.push(el('button', { type: 'button', className: 'danger', onclick: () => act('cancel') }, labels.cancel));
  }
  if (job.status === 'FAILED' || job.status === 'CANCELLED') {
    buttons.push(el('button', { type: 'button', className: 'secondary', onclick: () => act('restart') },
        labels.restart));
  }
  return buttons;
}
