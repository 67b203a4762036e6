// sessions.js: /console/sessions, the org's interviews in a table with
// client-side filters (status, decision, candidate text). Each row opens
// the session's scorecard view.

import { $, h, replace } from '../dom.js';
import { decisionInfo } from '../labels.js';
import { capi } from './capi.js';
import { datetime, fatal, requireLogin, when } from './shell.js';

let all = [];
const setNames = {};

function setLabel(s) {
  if (!s.question_set_id) return 'Practice bank';
  const name = setNames[s.question_set_id] || s.question_set_id;
  return s.question_set_version ? `${name} v${s.question_set_version}` : name;
}

function filtered() {
  const text = $('#f-text').value.trim().toLowerCase();
  const status = $('#f-status').value;
  const decision = $('#f-decision').value;
  return all.filter((s) => (!status || s.status === status) &&
    (!decision || s.decision === decision) &&
    (!text || (s.candidate || '').toLowerCase().includes(text)));
}

function render() {
  const rows = filtered();
  $('#count').textContent = rows.length === all.length
    ? `${all.length} ${all.length === 1 ? 'session' : 'sessions'}`
    : `Showing ${rows.length} of ${all.length} sessions`;
  if (rows.length === 0) {
    replace($('#sessions'), h('p', { class: 'empty' }, all.length ? 'No session matches these filters.' : 'No sessions yet. They appear here once a candidate opens an invite.'));
    return;
  }
  replace($('#sessions'), h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Sessions table' },
    h('table', { class: 'data stackable', id: 'sessions-table' },
      h('thead', {}, h('tr', {},
        ['Candidate', 'Question set', 'Level', 'Status', 'Decision', 'Started', 'Finished'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows.map((s) => {
        const d = s.decision ? decisionInfo(s.decision) : null;
        return h('tr', { 'data-id': s.id, 'data-status': s.status, 'data-decision': s.decision || '' },
          h('th', { scope: 'row' }, h('a', { href: '/console/sessions/' + encodeURIComponent(s.id) }, s.candidate || 'Unlabelled candidate')),
          h('td', { 'data-label': 'Question set' }, setLabel(s)),
          h('td', { 'data-label': 'Level' }, s.level),
          h('td', { 'data-label': 'Status' }, h('span', { class: 'badge ' + (s.status === 'finished' ? 'badge-muted' : 'badge-info') }, s.status === 'finished' ? 'Finished' : 'In progress')),
          h('td', { 'data-label': 'Decision' }, d ? h('span', { class: 'badge d-' + s.decision }, d.label) : '—'),
          h('td', { 'data-label': 'Started' }, h('time', { datetime: datetime(s.created_at) }, when(s.created_at))),
          h('td', { 'data-label': 'Finished' }, s.finished_at ? h('time', { datetime: datetime(s.finished_at) }, when(s.finished_at)) : '—'));
      })))));
}

async function start() {
  await requireLogin();
  try {
    const [list, sets] = await Promise.all([capi.sessions(), capi.questionSets()]);
    all = list.sessions || [];
    for (const s of sets.question_sets || []) setNames[s.id] = s.name;
  } catch (err) {
    fatal(err);
    return;
  }
  $('#loading').hidden = true;
  $('#sessions-view').hidden = false;
  render();
  document.body.dataset.state = 'ready';
}

$('#filters').addEventListener('input', render);
$('#filters').addEventListener('change', render);
$('#filters').addEventListener('submit', (e) => e.preventDefault());
$('#filters').addEventListener('reset', () => setTimeout(render, 0));

start();
