// practice.js: the start page (/). It lists the principles, starts a
// practice session and goes to its interview page. The session token is
// kept in sessionStorage (store.js), never in the URL.

import { api } from './api.js';
import { $, h, replace, showError } from './dom.js';
import { lastSession, saveStart } from './store.js';

const LEVEL_HINTS = {
  L4: 'L4: delivers well-scoped work with guidance.',
  L5: 'L5: independent owner of a significant project.',
  L6: 'L6: leads across teams; organisational thinking counts.',
  L7: 'L7: sets direction for an organisation; organisational thinking counts.',
};

const form = $('#start-form');
const principle = $('#principle');
const desc = $('#principle-desc');
const errorBox = $('#form-error');
const startBtn = $('#start');
let descriptions = {};

async function loadPrinciples() {
  try {
    const data = await api.principles();
    descriptions = Object.fromEntries(data.principles.map((p) => [p.name, p.description]));
    replace(principle,
      h('option', { value: '' }, 'Any principle (chosen for you)'),
      data.principles.map((p) => h('option', { value: p.name }, p.name)));
    principle.disabled = false;
  } catch (err) {
    replace(principle, h('option', { value: '' }, 'Any principle (chosen for you)'));
    principle.disabled = false;
    showError(errorBox, `The list of principles could not be loaded (${err.message}). You can still start with a principle chosen for you.`);
  }
}

function updateHints() {
  desc.textContent = descriptions[principle.value] || 'Pick one, or let us choose.';
  const level = form.elements.level.value;
  $('#level-hint').textContent = LEVEL_HINTS[level] || '';
}

function showResume() {
  const s = lastSession();
  if (!s || s.finished || !s.token) return;
  const box = $('#resume');
  replace(box, h('p', {}, 'You have an interview in progress in this tab. ',
    h('a', { href: '/interview/' + encodeURIComponent(s.id) }, 'Continue it')));
  box.hidden = false;
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  errorBox.hidden = true;
  startBtn.disabled = true;
  startBtn.textContent = 'Starting…';
  const body = {
    level: form.elements.level.value || 'L5',
    questions: Number(form.elements.questions.value) || 1,
    probes: Number(form.elements.probes.value) || 3,
  };
  if (principle.value) body.principle = principle.value;
  try {
    const started = await api.startSession(body);
    saveStart(started);
    location.assign('/interview/' + encodeURIComponent(started.id));
  } catch (err) {
    showError(errorBox, `The interview could not be started: ${err.message}`);
    startBtn.disabled = false;
    startBtn.textContent = 'Start interview';
    startBtn.focus();
  }
});
// An invite link may carry its code in the fragment (#code=…), which
// browsers never send to a server; it is moved into the form and taken out
// of the address bar and history at once.
const inviteForm = $('#invite-form');
const inviteCode = $('#invite-code');
const inviteError = $('#invite-error');
const inviteBtn = $('#invite-start');
const fragment = new URLSearchParams(location.hash.slice(1));
if (fragment.get('code')) {
  inviteCode.value = fragment.get('code');
  history.replaceState(null, '', location.pathname + location.search);
  inviteCode.focus();
}

const INVITE_PROBLEMS = {
  404: 'That invite code is not known. Check it against the link you were sent.',
  409: 'That invite has been used already. Each invite starts one interview; ask the recruiter for a new one.',
  410: 'That invite has expired. Ask the recruiter for a new one.',
};

inviteForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  inviteError.hidden = true;
  const code = inviteCode.value.trim();
  if (!code) {
    showError(inviteError, 'Enter the invite code from your link.');
    inviteCode.focus();
    return;
  }
  inviteBtn.disabled = true;
  inviteBtn.textContent = 'Starting…';
  try {
    const started = await api.redeemInvite(code);
    saveStart({ ...started, invited: true });
    location.assign('/interview/' + encodeURIComponent(started.id));
  } catch (err) {
    showError(inviteError, INVITE_PROBLEMS[err.status] || `The interview could not be started: ${err.message}`);
    inviteBtn.disabled = false;
    inviteBtn.textContent = 'Start invited interview';
    inviteCode.focus();
  }
});

principle.addEventListener('change', updateHints);
form.addEventListener('change', updateHints);

showResume();
loadPrinciples().then(updateHints);
