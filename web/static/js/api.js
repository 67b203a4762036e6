// api.js: calls to barraiser's JSON API. Every failure becomes an ApiError
// carrying the server's {"error":{"code","message"}} when there is one.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// request calls the API; headers adds to the ones it sets. A failure is an
// ApiError with the server's code and message, the field a validation
// error names, and Retry-After (seconds) on a 429.
export async function request(method, path, { body, token, signal, headers: extra } = {}) {
  const headers = { Accept: 'application/json', ...extra };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = 'Bearer ' + token;
  let resp;
  try {
    resp = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal,
    });
  } catch (err) {
    if (err && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', 'The server could not be reached. Check your connection and try again.');
  }
  let data = null;
  const text = await resp.text();
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!resp.ok) {
    const e = (data && data.error) || {};
    const err = new ApiError(resp.status, e.code || 'http_' + resp.status, e.message || `The server answered ${resp.status}.`);
    err.field = e.field || '';
    err.retryAfter = Number(resp.headers.get('Retry-After')) || 0;
    throw err;
  }
  return data;
}

export const api = {
  principles: () => request('GET', '/api/v1/principles'),
  startSession: (body) => request('POST', '/api/v1/sessions', { body }),
  redeemInvite: (code) => request('POST', '/api/v1/invites/redeem', { body: { code } }),
  scorecard: (id, token) => request('GET', `/api/v1/sessions/${encodeURIComponent(id)}/scorecard`, { token }),
  exemplars: (params) => request('GET', '/api/v1/exemplars?' + new URLSearchParams(params).toString()),
};

// socketURL is the interview websocket of a session on this page's host.
// Browsers cannot set headers on a websocket, so the token rides in the
// query string of this one request (never in a page URL).
export function socketURL(id, token) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api/v1/sessions/${encodeURIComponent(id)}/ws?token=${encodeURIComponent(token)}`;
}

// sessionIdFromPath reads the id from /interview/{id} or /scorecard/{id}.
export function sessionIdFromPath() {
  const parts = location.pathname.split('/').filter(Boolean);
  return parts.length >= 2 ? decodeURIComponent(parts[1]) : '';
}
