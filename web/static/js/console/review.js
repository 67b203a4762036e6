// review.js: /console/sessions/{id}, a session's scorecard for a recruiter
// of its org (rendered by ../scorecard.js, which reads it with the console
// cookie) and the recruiter's own calibration vote.

import { $, h, replace, showError } from '../dom.js';
import { DIMENSIONS, decisionInfo } from '../labels.js';
import { capi } from './capi.js';
import { clearFieldErrors, reason, showFieldError } from './fields.js';
import { announce, failure, fatal, requireLogin } from './shell.js';

const id = decodeURIComponent(location.pathname.split('/').filter(Boolean).pop() || '');

function dimensionSelects() {
  replace($('#vote-dims'), Object.entries(DIMENSIONS).map(([dim, name]) => {
    const sid = 'vote-dim-' + dim;
    return h('div', { class: 'field' },
      h('label', { for: sid }, name),
      h('select', { id: sid, 'data-dimension': dim, 'data-field': 'dimensions.' + dim },
        h('option', { value: '' }, 'Not judged'),
        h('option', { value: 'pass' }, 'Pass'),
        h('option', { value: 'fail' }, 'Fail')));
  }));
}

$('#vote-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = e.currentTarget;
  const box = $('#vote-error');
  box.hidden = true;
  clearFieldErrors(form);
  const picked = form.querySelector('input[name="decision"]:checked');
  if (!picked) {
    showFieldError(form, 'decision', 'Choose a decision.');
    announce('Choose a decision before recording the vote.');
    return;
  }
  const dimensions = {};
  for (const sel of form.querySelectorAll('select[data-dimension]')) {
    if (sel.value) dimensions[sel.dataset.dimension] = sel.value === 'pass';
  }
  const body = { decision: picked.value, note: $('#vote-note').value.trim() };
  if (Object.keys(dimensions).length) body.dimensions = dimensions;
  const btn = $('#vote-save');
  btn.disabled = true;
  $('#vote-status').textContent = 'Saving…';
  try {
    const v = await capi.vote(id, body);
    const label = decisionInfo(v.decision).label;
    replace($('#vote-status'), `Vote recorded: ${label}. `, h('a', { href: '/console/calibration' }, 'See the agreement report'));
    announce(`Vote recorded: ${label}.`);
    document.body.dataset.voted = v.decision;
  } catch (err) {
    $('#vote-status').textContent = '';
    if (!(err.field && showFieldError(form, err.field, reason(err)))) {
      showError(box, err.code === 'conflict' || err.code === 'not_finished'
        ? 'Votes can be recorded once the interview has finished.'
        : failure('The vote could not be recorded', err));
    }
    announce(`The vote could not be recorded: ${err.message}`);
  } finally {
    btn.disabled = false;
  }
});

// showVote fills the form with the vote recorded before, if any, so a
// second visit shows it and saving again replaces it knowingly.
async function showVote() {
  let v;
  try {
    ({ vote: v } = await capi.myVote(id));
  } catch {
    return; // the scorecard below says what is wrong with the session
  }
  if (!v) return;
  const radio = $(`#vote-${v.decision}`);
  if (radio) radio.checked = true;
  for (const [dim, passed] of Object.entries(v.dimensions || {})) {
    const sel = $(`#vote-dim-${dim}`);
    if (sel) sel.value = passed ? 'pass' : 'fail';
  }
  $('#vote-note').value = v.note || '';
  $('#vote-status').textContent = `Your vote: ${decisionInfo(v.decision).label}. Saving again replaces it.`;
  document.body.dataset.voted = v.decision;
}

async function start() {
  try {
    await requireLogin();
  } catch (err) {
    fatal(err);
    return;
  }
  dimensionSelects();
  await showVote();
  // The scorecard module fetches and renders as soon as it is loaded.
  await import('../scorecard.js');
}

start();
