// capi.js: the recruiter API as the console calls it. The console is
// logged in by the HttpOnly session cookie; every unsafe request echoes the
// CSRF cookie (barraiser_csrf, readable by script) in X-CSRF-Token, as the
// server's double-submit check asks. Failures are api.js's ApiError (with
// the field a validation error names and Retry-After on a 429).

import { request as apiRequest } from '../api.js';

const CSRF_COOKIE = 'barraiser_csrf';
const CSRF_HEADER = 'X-CSRF-Token';

export function csrfToken() {
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === CSRF_COOKIE) return decodeURIComponent(v.join('='));
  }
  return '';
}

// request is api.js's, with the CSRF header on every unsafe request.
function request(method, path, body) {
  const headers = ['GET', 'HEAD'].includes(method) ? {} : { [CSRF_HEADER]: csrfToken() };
  return apiRequest(method, path, { body, headers });
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
