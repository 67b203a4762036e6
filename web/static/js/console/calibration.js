// calibration.js: /console/calibration, the agreement report
// (GET /api/v1/calibration): hire-side and four-way agreement, the
// confusion matrix of votes against rubric decisions, and disagreements
// per dimension.

import { $, h, replace } from '../dom.js';
import { decisionInfo, dimensionName } from '../labels.js';
import { capi } from './capi.js';
import { fatal, requireLogin } from './shell.js';

const pct = (r) => (r.total ? `${Math.round(r.rate * 100)}%` : '—');

function stat(id, term, ratio, detail) {
  return h('div', { class: 'stat', id },
    h('dt', {}, term),
    h('dd', {}, pct(ratio), h('span', { class: 'stat-detail' }, ratio.total ? `${ratio.agree} of ${ratio.total} ${detail}` : 'No votes yet')));
}

function render(a) {
  replace($('#stats'),
    h('div', { class: 'stat', id: 'stat-votes' }, h('dt', {}, 'Votes'), h('dd', {}, String(a.votes)), ''),
    stat('stat-hire-side', 'Hire-side agreement', a.hire_side, 'agree on hire or no hire'),
    stat('stat-four-way', 'Exact agreement', a.four_way, 'agree on the exact decision'));

  const labels = a.labels || [];
  replace($('#confusion'), h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'confusion-title' },
    h('table', { class: 'data confusion', id: 'confusion-table', 'aria-describedby': 'confusion-hint' },
      h('caption', { class: 'visually-hidden' }, 'Votes (rows) against rubric decisions (columns)'),
      h('thead', {}, h('tr', {},
        h('td', { class: 'corner' }, 'Vote ↓ · Rubric →'),
        labels.map((l) => h('th', { scope: 'col', class: 'num' }, h('span', { class: 'visually-hidden' }, 'Rubric: '), decisionInfo(l).label)))),
      h('tbody', {}, labels.map((row, i) => h('tr', {},
        h('th', { scope: 'row' }, h('span', { class: 'visually-hidden' }, 'Vote: '), decisionInfo(row).label),
        labels.map((col, j) => h('td', {
          class: 'num' + (i === j && a.confusion[i][j] > 0 ? ' agree' : ''),
          'data-vote': row, 'data-rubric': col,
        }, String((a.confusion[i] || [])[j] || 0)))))))));

  const dims = (a.dimensions || []).filter((d) => d.compared > 0);
  if (dims.length === 0) {
    replace($('#dims'), h('p', { class: 'empty' }, 'No vote has judged a single dimension yet.'));
    return;
  }
  replace($('#dims'), h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'dims-title' },
    h('table', { class: 'data', id: 'dims-table' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Dimension'),
        h('th', { scope: 'col', class: 'num' }, 'Judged'),
        h('th', { scope: 'col', class: 'num' }, 'Disagreed'),
        h('th', { scope: 'col', class: 'num' }, 'Only the vote passed it'),
        h('th', { scope: 'col', class: 'num' }, 'Only the rubric passed it'))),
      h('tbody', {}, dims.map((d) => h('tr', { 'data-dimension': d.id },
        h('th', { scope: 'row' }, dimensionName(d.id)),
        h('td', { class: 'num' }, String(d.compared)),
        h('td', { class: 'num' }, String(d.disagree)),
        h('td', { class: 'num' }, String(d.recruiter_only)),
        h('td', { class: 'num' }, String(d.rubric_only))))))));
}

async function start() {
  await requireLogin();
  try {
    render(await capi.calibration());
  } catch (err) {
    fatal(err);
    return;
  }
  $('#loading').hidden = true;
  $('#report').hidden = false;
  document.body.dataset.state = 'ready';
}

start();
