// invite.js: /invite, where a candidate's invite link lands. The code
// rides in the fragment (/invite#code=…), which browsers never send to a
// server; it is moved into the form and out of the address bar at once.
// Starting redeems it (POST /api/v1/invites/redeem), keeps the session's
// token in this tab like the practice page does, and opens the interview.

import { ApiError } from './api.js';
import { $, showError } from './dom.js';
import { saveStart } from './store.js';

const form = $('#invite-form');
const input = $('#invite-code');
const box = $('#invite-error');
const btn = $('#invite-start');

const fragment = new URLSearchParams(location.hash.slice(1));
if (fragment.get('code')) {
  input.value = fragment.get('code');
  history.replaceState(null, '', location.pathname + location.search);
}

const PROBLEMS = {
  400: 'That doesn’t look like an invite code. Check it against the link you were sent.',
  404: 'That invite code is not known. Check it against the link you were sent.',
  409: 'That invite has been used already. Each invite starts one interview; ask the recruiter for a new one.',
  410: 'That invite has expired. Ask the recruiter for a new one.',
};

async function redeem(code) {
  const resp = await fetch('/api/v1/invites/redeem', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ code }),
    credentials: 'omit',
    cache: 'no-store',
  }).catch(() => { throw new ApiError(0, 'network', 'The server could not be reached. Check your connection and try again.'); });
  const data = await resp.json().catch(() => null);
  if (!resp.ok) {
    const e = (data && data.error) || {};
    throw new ApiError(resp.status, e.code || 'http_' + resp.status, e.message || `The server answered ${resp.status}.`);
  }
  return data;
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  box.hidden = true;
  const code = input.value.trim();
  if (!code) {
    showError(box, 'Enter the invite code from your link.');
    input.focus();
    return;
  }
  btn.disabled = true;
  btn.textContent = 'Starting…';
  try {
    const started = await redeem(code);
    saveStart({ ...started, invited: true });
    location.assign('/interview/' + encodeURIComponent(started.id));
  } catch (err) {
    showError(box, PROBLEMS[err.status] || `The interview could not be started: ${err.message}`);
    btn.disabled = false;
    btn.textContent = 'Start the interview';
    input.focus();
  }
});

if (input.value) btn.focus(); else input.focus();
