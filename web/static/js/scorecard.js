// scorecard.js: the scorecard page (/scorecard/{id}). It fetches the
// finished session's scorecard with the token this tab keeps, and renders
// the decision, every dimension (with an inline SVG chart), the transcript
// with the evidence highlighted, red flags, coaching with a strong
// exemplar per failed dimension, and JSON/Markdown downloads.

import { api, sessionIdFromPath } from './api.js';
import { $, $$, h, replace } from './dom.js';
import { decisionInfo, dimensionName, redFlagName } from './labels.js';
import { loadSession } from './store.js';

// The recruiter console shows the same scorecard at /console/sessions/{id}
// (body data-viewer="recruiter"), read with the console's session cookie.
const recruiter = document.body.dataset.viewer === 'recruiter';
const id = recruiter ? decodeURIComponent(location.pathname.split('/').filter(Boolean).pop() || '') : sessionIdFromPath();
const candidateName = recruiter ? 'Candidate' : 'You';
let scorecard = null;
const exemplarFor = {}; // dimension → exemplar shown (for the Markdown)

function setState(s) { document.body.dataset.state = s; }

function problem(message, withLink) {
  $('#loading').hidden = true;
  const box = $('#problem');
  replace(box, h('p', {}, message), withLink ? h('p', {}, h('a', { href: '/' }, 'Start a practice interview')) : null);
  box.hidden = false;
  setState('error');
}

async function load() {
  const s = id ? loadSession(id) : null;
  // Without the session's key, a logged-in recruiter (the console's CSRF
  // cookie is there) of the session's org may still read it.
  const asRecruiter = (!s || !s.token) && (recruiter || /(?:^|;\s*)barraiser_csrf=/.test(document.cookie));
  if ((!s || !s.token) && !asRecruiter) {
    problem('This scorecard’s key isn’t in this browser tab, so it can’t be shown here. Scorecards open in the tab that ran the interview.', true);
    return;
  }
  try {
    scorecard = await api.scorecard(id, asRecruiter ? undefined : s.token);
  } catch (err) {
    if (err.code === 'not_finished') {
      problem('This interview hasn’t finished yet.', false);
      if (!asRecruiter) $('#problem').append(h('p', {}, h('a', { href: '/interview/' + encodeURIComponent(id) }, 'Go back to the interview')));
    } else if (asRecruiter && !recruiter) {
      problem('This scorecard’s key isn’t in this browser tab, so it can’t be shown here. Scorecards open in the tab that ran the interview.', true);
    } else {
      problem(`The scorecard could not be loaded: ${err.message}`, err.status === 404 && !recruiter);
    }
    return;
  }
  render(scorecard);
  setState('ready');
  loadExemplars(scorecard);
}

// ---- evidence ----

// evidenceItems lists every quote the scorecard cites, each with a key the
// transcript marks and the dimension rows share.
function evidenceItems(sc) {
  const items = [];
  for (const d of sc.dimensions || []) {
    (d.evidence || []).forEach((e, k) => items.push({ key: `dim:${d.id}:${k}`, group: `dim:${d.id}`, label: dimensionName(d.id), kind: 'dim', ...e }));
  }
  for (const f of sc.red_flags || []) {
    (f.evidence || []).forEach((e, k) => items.push({ key: `flag:${f.id}:${k}`, group: `flag:${f.id}`, label: 'Red flag: ' + redFlagName(f.id), kind: 'flag', ...e }));
  }
  return items;
}

// markTurn splits a turn's text at every evidence boundary and wraps the
// quoted stretches in <mark>s (overlapping quotes share segments).
function markTurn(text, items) {
  const spans = [];
  for (const it of items) {
    const start = text.indexOf(it.quote);
    if (!it.quote || start < 0) continue;
    spans.push({ ...it, start, end: start + it.quote.length });
  }
  if (spans.length === 0) return [text];
  const cuts = new Set([0, text.length]);
  for (const s of spans) { cuts.add(s.start); cuts.add(s.end); }
  const points = [...cuts].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i < points.length - 1; i++) {
    const a = points[i];
    const b = points[i + 1];
    const seg = text.slice(a, b);
    const covering = spans.filter((s) => s.start <= a && s.end >= b);
    if (covering.length === 0) { out.push(seg); continue; }
    const starts = covering.filter((s) => s.start === a).map((s) => s.key);
    const flag = covering.some((s) => s.kind === 'flag');
    const only = covering.every((s) => s.kind === 'flag');
    out.push(h('mark', {
      class: 'ev' + (flag ? ' ev-flag' : '') + (only ? ' ev-flag-only' : ''),
      tabindex: '-1',
      title: [...new Set(covering.map((s) => s.label))].join(' · '),
      'data-ev': covering.map((s) => s.key).join(' '),
      'data-groups': [...new Set(covering.map((s) => s.group))].join(' '),
      'data-ev-start': starts.length ? starts.join(' ') : null,
    }, seg));
  }
  return out;
}

// focusEvidence highlights every mark of a group (a dimension or a red
// flag) and moves focus to its first quote.
function focusEvidence(group) {
  for (const m of $$('mark.ev.active')) m.classList.remove('active');
  const marks = $$(`mark.ev[data-groups~="${CSS.escape(group)}"]`);
  if (marks.length === 0) return false;
  for (const m of marks) m.classList.add('active');
  const first = marks.find((m) => (m.dataset.evStart || '').split(' ').some((k) => k.startsWith(group + ':'))) || marks[0];
  first.scrollIntoView({ block: 'center' });
  first.focus({ preventScroll: true });
  return true;
}

// ---- rendering ----

function render(sc) {
  $('#loading').hidden = true;
  $('#card').hidden = false;
  const info = decisionInfo(sc.decision);
  document.title = recruiter ? `${info.label} · Scorecard · barraiser console` : `${info.label} · Your scorecard · barraiser`;

  const meta = [sc.principle, sc.level && `Level ${sc.level}`, sc.rubric_version && `Rubric ${sc.rubric_version}`].filter(Boolean);
  $('#meta').textContent = meta.join(' · ');
  const banner = $('#decision');
  banner.className = `decision decision-${info.tone}`;
  banner.dataset.decision = sc.decision;
  $('#decision-label').textContent = info.label;
  $('#decision-blurb').textContent = decisionBlurb(sc, info);
  $('#summary').textContent = sc.summary || '';

  renderChart(sc);
  renderDimensions(sc);
  renderFlags(sc);
  renderCoaching(sc);
  renderQuestions(sc);
  renderTranscript(sc);

  $('#download-json').addEventListener('click', () => download(`scorecard-${id}.json`, 'application/json', JSON.stringify(sc, null, 2) + '\n'));
  $('#download-md').addEventListener('click', () => download(`scorecard-${id}.md`, 'text/markdown', markdown(sc)));
  $('#print').addEventListener('click', () => window.print());
}

function decisionBlurb(sc, info) {
  const c = sc.counts || {};
  const core = (sc.dimensions || []).filter((d) => d.tier === 'core');
  const corePassed = core.filter((d) => d.pass).length;
  const parts = [info.blurb, `${corePassed} of ${core.length} core dimensions passed`];
  if (c.advanced_passed !== undefined) parts.push(`${c.advanced_passed} advanced`);
  if (c.red_flags) parts.push(`${c.red_flags} red ${c.red_flags === 1 ? 'flag' : 'flags'}`);
  return parts.filter(Boolean).join(' · ');
}

function tiers(sc) {
  const dims = sc.dimensions || [];
  return [
    { id: 'core', title: 'Core', note: 'A hire must pass all of these.', dims: dims.filter((d) => d.tier === 'core') },
    { id: 'advanced', title: 'Advanced', note: 'These count towards a strong hire.', dims: dims.filter((d) => d.tier !== 'core') },
  ];
}

function renderChart(sc) {
  const rows = tiers(sc).map((t) => {
    const counted = t.dims.filter((d) => d.counted !== false);
    return { title: t.title, passed: counted.filter((d) => d.pass).length, total: counted.length };
  });
  const W = 360;
  const labelW = 86;
  const barW = W - labelW - 56;
  const rowH = 30;
  const svg = h('svg:svg', {
    viewBox: `0 0 ${W} ${rows.length * rowH + 6}`, role: 'img', 'aria-labelledby': 'chart-title', class: 'chart-svg',
  }, h('svg:title', { id: 'chart-title' }, rows.map((r) => `${r.title}: ${r.passed} of ${r.total} passed`).join('; ')));
  rows.forEach((r, i) => {
    const y = i * rowH + 6;
    const frac = r.total ? r.passed / r.total : 0;
    svg.append(
      h('svg:text', { x: 0, y: y + 14, class: 'chart-label' }, r.title),
      h('svg:rect', { x: labelW, y: y + 2, width: barW, height: 16, rx: 4, class: 'chart-track' }),
      h('svg:rect', { x: labelW, y: y + 2, width: Math.max(0, barW * frac), height: 16, rx: 4, class: frac === 1 ? 'chart-bar full' : 'chart-bar' }),
    );
    for (let k = 1; k < r.total; k++) {
      const x = labelW + (barW * k) / r.total;
      svg.append(h('svg:line', { x1: x, x2: x, y1: y + 2, y2: y + 18, class: 'chart-tick' }));
    }
    svg.append(h('svg:text', { x: labelW + barW + 8, y: y + 14, class: 'chart-value' }, `${r.passed}/${r.total}`));
  });
  replace($('#chart'), svg);
}

function renderDimensions(sc) {
  const box = $('#dimensions');
  replace(box, tiers(sc).map((t) => h('div', { class: 'tier' },
    h('h3', {}, t.title, ' ', h('span', { class: 'tier-note' }, t.note)),
    h('ul', { class: 'dims' }, t.dims.map((d) => dimensionRow(d))))));
}

function dimensionRow(d) {
  const n = (d.evidence || []).length;
  const notCounted = d.counted === false;
  const status = d.pass ? 'Pass' : 'Fail';
  const detail = notCounted ? 'Counts at L6–L7' : n > 0 ? `${n} ${n === 1 ? 'quote' : 'quotes'}` : d.pass ? '' : 'No evidence found';
  const target = n > 0 ? 'evidence' : (!d.pass && d.tip ? 'coaching' : null);
  const name = dimensionName(d.id);
  const label = target ? h('button', {
    type: 'button', class: 'dim-link', 'data-dimension': d.id,
    'aria-describedby': `dim-status-${d.id}`,
    onclick: () => {
      if (target === 'evidence') focusEvidence('dim:' + d.id);
      else focusCoaching(d.id);
    },
  }, name) : h('span', { class: 'dim-name' }, name);
  return h('li', { class: `dim ${d.pass ? 'dim-pass' : 'dim-fail'}${notCounted ? ' dim-uncounted' : ''}`, 'data-dimension': d.id },
    h('span', { class: 'dim-icon', 'aria-hidden': 'true' }, d.pass ? '✓' : '✕'),
    label,
    h('span', { class: 'dim-detail' }, detail),
    h('span', { id: `dim-status-${d.id}`, class: `badge ${notCounted ? 'badge-muted' : d.pass ? 'badge-pass' : 'badge-fail'}` }, notCounted ? 'Not counted' : status));
}

function focusCoaching(dim) {
  const el = document.getElementById('coach-' + dim);
  if (!el) return;
  el.scrollIntoView({ block: 'start' });
  el.focus({ preventScroll: true });
}

function renderFlags(sc) {
  const flags = sc.red_flags || [];
  const box = $('#flags');
  if (flags.length === 0) {
    replace(box, h('p', { class: 'none' }, 'No red flags were raised.'));
    return;
  }
  replace(box, h('ul', { class: 'flags' }, flags.map((f) => h('li', { class: 'flag' },
    h('h3', {}, redFlagName(f.id)),
    f.reason ? h('p', {}, f.reason) : null,
    (f.evidence || []).map((e) => h('figure', { class: 'quote' },
      h('blockquote', {}, h('p', {}, '“' + e.quote + '”')),
      h('figcaption', {}, h('button', { type: 'button', class: 'link-btn', onclick: () => focusEvidence('flag:' + f.id) }, 'Show in the transcript'))))))));
}

function renderCoaching(sc) {
  const failed = (sc.dimensions || []).filter((d) => !d.pass && d.counted !== false);
  const box = $('#coaching');
  if (failed.length === 0) {
    replace(box, h('p', { class: 'none' }, 'Every counted dimension passed. Keep telling stories this way.'));
    return;
  }
  replace(box, failed.map((d) => h('article', { class: 'coach', id: 'coach-' + d.id, tabindex: '-1', 'aria-labelledby': 'coach-title-' + d.id },
    h('h3', { id: 'coach-title-' + d.id }, dimensionName(d.id)),
    d.tip ? h('p', {}, d.tip) : null,
    d.cue && d.cue.quote ? h('p', { class: 'cue' }, 'You said: “', d.cue.quote, '”') : null,
    h('div', { class: 'exemplar', 'data-dimension': d.id, 'aria-live': 'polite' },
      h('p', { class: 'exemplar-title' }, 'A stronger answer sounds like…'),
      h('p', { class: 'exemplar-text muted' }, 'Finding an example…')))));
}

function renderQuestions(sc) {
  const qs = sc.questions || [];
  if (qs.length < 2) return;
  $('#questions-section').hidden = false;
  // The overall scorecard is the weakest answer's.
  const same = JSON.stringify(sc.dimensions);
  const weakest = qs.find((q) => JSON.stringify(q.scorecard.dimensions) === same);
  if (weakest) {
    $('#dims-title').after(h('p', { class: 'weakest' }, `With several questions the scorecard is your weakest answer’s: question ${weakest.index + 1}.`));
  }
  replace($('#questions'), h('table', { class: 'qtable' },
    h('caption', { class: 'visually-hidden' }, 'The decision on each question'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '#'), h('th', { scope: 'col' }, 'Question'), h('th', { scope: 'col' }, 'Decision'))),
    h('tbody', {}, qs.map((q) => h('tr', {},
      h('td', {}, String(q.index + 1)),
      h('td', {}, h('span', { class: 'q-principle' }, q.principle), h('br'), q.question),
      h('td', {}, decisionInfo(q.scorecard.decision).label))))));
}

function renderTranscript(sc) {
  const items = evidenceItems(sc);
  const turns = sc.transcript || [];
  replace($('#transcript'), turns.map((t, i) => h('li', { class: `turn turn-${t.role}`, id: `turn-${i}` },
    h('p', { class: 'turn-who' }, t.role === 'candidate' ? candidateName : 'Bar raiser'),
    h('p', { class: 'turn-text' }, markTurn(t.text, items.filter((it) => it.turn === i))))));
}

// ---- exemplars ----

function candidateText(sc) {
  const text = (sc.transcript || []).filter((t) => t.role === 'candidate').map((t) => t.text).join(' ');
  return text.slice(0, 2000) || 'an example answer';
}

async function nearestStrong(sc, dim) {
  const base = { q: candidateText(sc), k: '1', dimension: dim, label: 'strong' };
  if (sc.principle) {
    try {
      const r = await api.exemplars({ ...base, principle: sc.principle });
      if (r.exemplars && r.exemplars.length) return r.exemplars[0];
    } catch { /* fall through to any principle */ }
  }
  const r = await api.exemplars(base);
  return r.exemplars && r.exemplars[0];
}

async function loadExemplars(sc) {
  const boxes = $$('.exemplar[data-dimension]');
  await Promise.all(boxes.map(async (box) => {
    const dim = box.dataset.dimension;
    const text = $('.exemplar-text', box);
    try {
      const ex = await nearestStrong(sc, dim);
      if (!ex) {
        text.textContent = 'No example is available for this dimension yet.';
        return;
      }
      exemplarFor[dim] = ex;
      replace(box, h('p', { class: 'exemplar-title' }, 'A stronger answer sounds like…'),
        h('blockquote', { class: 'exemplar-quote' }, h('p', {}, ex.text)),
        ex.why ? h('p', { class: 'exemplar-why' }, 'Why it works: ', ex.why) : null);
    } catch (err) {
      text.textContent = `No example could be loaded (${err.message}).`;
    }
  }));
  document.body.dataset.exemplars = 'loaded';
}

// ---- downloads ----

function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type: type + ';charset=utf-8' }));
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function mdQuote(text) { return text.split('\n').map((l) => '> ' + l).join('\n'); }

export function markdown(sc) {
  const info = decisionInfo(sc.decision);
  const out = [`# Bar raiser scorecard`, ''];
  out.push(`**Decision: ${info.label}**`, '');
  const meta = [sc.principle && `Principle: ${sc.principle}`, sc.level && `Level: ${sc.level}`, sc.rubric_version && `Rubric: ${sc.rubric_version}`, sc.session_id && `Session: ${sc.session_id}`].filter(Boolean);
  if (meta.length) out.push(meta.join(' · '), '');
  if (sc.summary) out.push(sc.summary, '');
  out.push('## Dimensions', '');
  for (const t of tiers(sc)) {
    out.push(`### ${t.title}`, '', `_${t.note}_`, '');
    for (const d of t.dims) {
      const status = d.pass ? 'Pass' : 'Fail';
      out.push(`- **${dimensionName(d.id)}**: ${status}${d.counted === false ? ' (not counted at this level)' : ''}`);
      for (const e of d.evidence || []) out.push(`  - “${e.quote}”`);
    }
    out.push('');
  }
  out.push('## Red flags', '');
  if (!(sc.red_flags || []).length) out.push('None.', '');
  for (const f of sc.red_flags || []) {
    out.push(`### ${redFlagName(f.id)}`, '');
    if (f.reason) out.push(f.reason, '');
    for (const e of f.evidence || []) out.push(mdQuote(e.quote), '');
  }
  const failed = (sc.dimensions || []).filter((d) => !d.pass && d.counted !== false);
  if (failed.length) {
    out.push('## How to make it stronger', '');
    for (const d of failed) {
      out.push(`### ${dimensionName(d.id)}`, '');
      if (d.tip) out.push(d.tip, '');
      const ex = exemplarFor[d.id];
      if (ex) out.push('A stronger answer sounds like…', '', mdQuote(ex.text), '');
    }
  }
  if ((sc.questions || []).length > 1) {
    out.push('## Each question', '');
    for (const q of sc.questions) out.push(`${q.index + 1}. ${q.principle}: ${q.question} — **${decisionInfo(q.scorecard.decision).label}**`);
    out.push('');
  }
  out.push('## Transcript', '');
  for (const t of sc.transcript || []) out.push(`**${t.role === 'candidate' ? candidateName : 'Bar raiser'}:** ${t.text}`, '');
  return out.join('\n');
}

load();
