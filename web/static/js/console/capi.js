// capi.js: the recruiter API as the console calls it. The console is
// logged in by the HttpOnly session cookie; every unsafe request echoes the
// CSRF cookie (barraiser_csrf, readable by script) in X-CSRF-Token, as the
// server's double-submit check asks. Failures are api.js's ApiError, plus
// the field a validation error names and Retry-After on a 429.

import { ApiError } from '../api.js';

const CSRF_COOKIE = 'barraiser_csrf';
const CSRF_HEADER = 'X-CSRF-Token';

export function csrfToken() {
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === CSRF_COOKIE) return decodeURIComponent(v.join('='));
  }
  return '';
}

async function request(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (!['GET', 'HEAD'].includes(method)) headers[CSRF_HEADER] = csrfToken();
  let resp;
  try {
    resp = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'network', 'The server could not be reached. Check your connection and try again.');
  }
  const text = await resp.text();
  let data = null;
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

const enc = encodeURIComponent;

export const capi = {
  login: (email, password) => request('POST', '/api/v1/auth/login', { email, password }),
  logout: () => request('POST', '/api/v1/auth/logout'),
  org: () => request('GET', '/api/v1/org'),
  principles: () => request('GET', '/api/v1/principles'),
  questionSets: () => request('GET', '/api/v1/question-sets'),
  questionSet: (id) => request('GET', `/api/v1/question-sets/${enc(id)}`),
  createQuestionSet: (body) => request('POST', '/api/v1/question-sets', body),
  updateQuestionSet: (id, body) => request('PUT', `/api/v1/question-sets/${enc(id)}`, body),
  deleteQuestionSet: (id) => request('DELETE', `/api/v1/question-sets/${enc(id)}`),
  invites: () => request('GET', '/api/v1/invites'),
  createInvite: (body) => request('POST', '/api/v1/invites', body),
  revokeInvite: (id) => request('DELETE', `/api/v1/invites/${enc(id)}`),
  sessions: () => request('GET', '/api/v1/sessions'),
  scorecard: (id) => request('GET', `/api/v1/sessions/${enc(id)}/scorecard`),
  vote: (id, body) => request('PUT', `/api/v1/sessions/${enc(id)}/vote`, body),
  myVote: (id) => request('GET', `/api/v1/sessions/${enc(id)}/vote`),
  calibration: () => request('GET', '/api/v1/calibration'),
};
