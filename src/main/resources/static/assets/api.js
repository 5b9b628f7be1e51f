// Calls to the service's JSON API from the pages: errors come back as RFC 9457 problems, turned into sentences here.

/** The CSRF token of the signed-in session, sent back as a header on state-changing admin calls. */
function csrfToken() {
  const cookie = document.cookie.split('; ').find(c => c.startsWith('XSRF-TOKEN='));
  return cookie ? decodeURIComponent(cookie.substring('XSRF-TOKEN='.length)) : null;
}

/** An error the API answered with: {@code problem} is its problem+json body (or a stand-in for a bare status). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(describeProblem(problem));
    this.status = status;
    this.problem = problem;
  }
}

export function describeProblem(problem) {
  if (!problem) return 'the service did not answer';
  const title = problem.title || 'Error';
  return problem.detail ? `${title}: ${problem.detail}` : title;
}

async function problemOf(response) {
  const type = response.headers.get('Content-Type') || '';
  if (type.includes('json')) {
    try { return await response.json(); } catch (e) { /* fall through */ }
  }
  return { title: `HTTP ${response.status}`, status: response.status,
    detail: response.status === 502 || response.status === 504 ? 'the service could not be reached' : undefined };
}

/**
 * fetch() for the pages: marks the call as the page's (so a lapsed session gets a plain 401, not the browser's
 * password prompt), adds the CSRF header, and throws ApiError for any non-2xx answer.
 */
export async function call(path, { method = 'GET', body, json, signal } = {}) {
  const headers = { 'X-Requested-With': 'XMLHttpRequest', 'Accept': 'application/json, application/problem+json' };
  const token = csrfToken();
  if (token && method !== 'GET') headers['X-XSRF-TOKEN'] = token;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  }
  let response;
  try {
    response = await fetch(path, { method, body, headers, signal, credentials: 'same-origin' });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, { title: 'Network error', detail: 'the service could not be reached' });
  }
  if (!response.ok) throw new ApiError(response.status, await problemOf(response));
  if (response.status === 204) return null;
  return response.json();
}

/** For admin pages: a 401 means the session has lapsed; go and sign in again, then come back. */
export function signInAgain() {
  location.assign('/admin/ui/login?next=' + encodeURIComponent(location.pathname + location.search));
}

export function formatSeconds(seconds) {
  if (seconds == null) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** Creates an element: el('td', {className: 'number'}, 'text', child...). */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('aria-') || key === 'role' || key === 'for') node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}
