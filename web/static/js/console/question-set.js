// question-set.js: /console/question-sets/new and /console/question-sets/{id},
// the question set editor. Every input carries its JSON path in data-field
// (renumbered whenever rows are added, removed or moved), so the field a
// validation error names gets the message next to it. Saving stores a new
// version, shown in the heading.

import { $, $$, h, replace, showError } from '../dom.js';
import { dimensionName, redFlagName } from '../labels.js';
import { capi } from './capi.js';
import { clearFieldErrors, reason, showFieldError } from './fields.js';
import { announce, failure, fatal, requireLogin } from './shell.js';

const LEVELS = ['L4', 'L5', 'L6', 'L7'];
const RED_FLAG_IDS = ['no_real_example', 'manipulation_attempt', 'routing_not_ownership', 'directed_by_manager'];
const CORE = ['first_person_actions', 'concrete_actions', 'end_to_end_ownership', 'metric_delta'];
// The advanced dimensions that can be probed, in the default probing order.
const ADVANCED = ['scope_boundary', 'mechanism', 'data_rigor', 'business_impact', 'second_order_effect', 'specific_reflection', 'organizational_thinking'];
const PROBE_TARGETS = [...RED_FLAG_IDS, ...CORE, ...ADVANCED];
const EXEMPLAR_TARGETS = [...CORE, 'concise_situation', ...ADVANCED, ...RED_FLAG_IDS];

const targetName = (id) => (RED_FLAG_IDS.includes(id) ? 'Red flag: ' + redFlagName(id) : dimensionName(id));

let principles = [];
let setId = '';
let uid = 0;
const nextId = (p) => `${p}-${++uid}`;

function setState(s) { document.body.dataset.state = s; }

function options(list, selected, blank) {
  return [
    blank ? h('option', { value: '' }, blank) : null,
    list.map((v) => h('option', { value: v.value ?? v, selected: (v.value ?? v) === selected }, v.label ?? v)),
  ];
}

function principleOptions(selected, blank) {
  return options(principles.map((p) => ({ value: p, label: p })), selected, blank);
}

// ---- questions ----

function probeRow(p = { dimension: 'first_person_actions', text: '' }) {
  const dimId = nextId('probe-dim');
  const textId = nextId('probe-text');
  const row = h('div', { class: 'probe-row' },
    h('div', { class: 'field' }, h('label', { for: dimId }, 'Probe dimension'),
      h('select', { id: dimId, 'data-name': 'dimension' }, options(PROBE_TARGETS.map((d) => ({ value: d, label: targetName(d) })), p.dimension))),
    h('div', { class: 'field' }, h('label', { for: textId }, 'Probe wording'),
      h('input', { type: 'text', id: textId, 'data-name': 'text', value: p.text, autocomplete: 'off' })),
    h('div', { class: 'row-actions' }, h('button', {
      type: 'button', class: 'btn btn-secondary btn-small remove-probe',
      onclick: () => { row.remove(); renumber(); announce('Probe removed.'); },
    }, 'Remove probe')));
  return row;
}

function questionCard(q = { principle: '', text: '', levels: [], probes: [] }) {
  const pId = nextId('q-principle');
  const tId = nextId('q-text');
  const probes = h('div', { class: 'probes' }, (q.probes || []).map((p) => probeRow(p)));
  const card = h('fieldset', { class: 'q-card' },
    h('legend', {}, 'Question'),
    h('div', { class: 'field' }, h('label', { for: pId }, 'Leadership Principle'),
      h('select', { id: pId, 'data-name': 'principle' }, principleOptions(q.principle, 'Choose a principle…'))),
    h('div', { class: 'field' }, h('label', { for: tId }, 'Question'),
      h('textarea', { id: tId, 'data-name': 'text', rows: '2' }, q.text)),
    h('fieldset', { class: 'levels', 'data-name': 'levels' },
      h('legend', {}, 'Levels'),
      h('div', { class: 'checks' }, LEVELS.map((l) => {
        const id = nextId('q-level');
        return h('span', { class: 'check' }, h('input', { type: 'checkbox', id, value: l, checked: (q.levels || []).includes(l) }), h('label', { for: id }, l));
      })),
      h('p', { class: 'hint' }, 'None ticked: every level.')),
    h('fieldset', { class: 'probes-fieldset', 'data-name': 'probes' },
      h('legend', {}, 'Probes'),
      probes,
      h('button', {
        type: 'button', class: 'btn btn-secondary btn-small add-probe',
        onclick: () => { const r = probeRow(); probes.append(r); renumber(); $('select', r).focus(); },
      }, 'Add probe')),
    h('div', { class: 'row-actions' }, h('button', {
      type: 'button', class: 'btn btn-danger btn-small remove-question',
      onclick: () => { card.remove(); renumber(); announce('Question removed.'); $('#add-question').focus(); },
    }, 'Remove question')));
  return card;
}

// ---- advanced dimensions ----

function dimItem(id, checked) {
  const cb = nextId('dim');
  const li = h('li', { 'data-dimension': id },
    h('span', { class: 'check' }, h('input', { type: 'checkbox', id: cb, value: id, checked, onchange: renumber }), h('label', { for: cb }, dimensionName(id))),
    h('span', { class: 'order-pos' }),
    h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'aria-label': `Move ${dimensionName(id)} up`, onclick: (e) => move(li, -1, e.currentTarget) }, '↑ Up'),
    h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'aria-label': `Move ${dimensionName(id)} down`, onclick: (e) => move(li, 1, e.currentTarget) }, '↓ Down'));
  return li;
}

function move(li, dir, btn) {
  const sib = dir < 0 ? li.previousElementSibling : li.nextElementSibling;
  if (!sib) return;
  if (dir < 0) sib.before(li); else sib.after(li);
  renumber();
  btn.focus();
  const pos = [...li.parentElement.children].indexOf(li) + 1;
  announce(`${dimensionName(li.dataset.dimension)} moved to position ${pos}.`);
}

// ---- exemplars ----

function exemplarCard(e = { principle: '', dimension: 'first_person_actions', label: 'strong', text: '' }) {
  const ids = ['ex-principle', 'ex-dim', 'ex-label', 'ex-text'].map(nextId);
  const card = h('fieldset', { class: 'ex-card' },
    h('legend', {}, 'Example answer'),
    h('div', { class: 'ex-row' },
      h('div', { class: 'field' }, h('label', { for: ids[0] }, 'Principle'),
        h('select', { id: ids[0], 'data-name': 'principle' }, principleOptions(e.principle, 'Any principle'))),
      h('div', { class: 'field' }, h('label', { for: ids[1] }, 'Dimension'),
        h('select', { id: ids[1], 'data-name': 'dimension' }, options(EXEMPLAR_TARGETS.map((d) => ({ value: d, label: targetName(d) })), e.dimension))),
      h('div', { class: 'field' }, h('label', { for: ids[2] }, 'Kind'),
        h('select', { id: ids[2], 'data-name': 'label' }, options([{ value: 'strong', label: 'Strong' }, { value: 'weak', label: 'Weak' }], e.label))),
      h('div', { class: 'field ex-text' }, h('label', { for: ids[3] }, 'Answer'),
        h('textarea', { id: ids[3], 'data-name': 'text', rows: '3' }, e.text))),
    h('div', { class: 'row-actions' }, h('button', {
      type: 'button', class: 'btn btn-danger btn-small',
      onclick: () => { card.remove(); renumber(); announce('Example answer removed.'); $('#add-exemplar').focus(); },
    }, 'Remove example answer')));
  return card;
}

// renumber gives every input its JSON path (data-field) and every
// repeated group its number.
function renumber() {
  $$('#questions > .q-card').forEach((card, i) => {
    const f = `questions[${i}]`;
    card.dataset.field = f;
    $(':scope > legend', card).textContent = `Question ${i + 1}`;
    $('[data-name="principle"]', card).dataset.field = f + '.principle';
    $('[data-name="text"]', card).dataset.field = f + '.text';
    const levels = $('[data-name="levels"]', card);
    levels.dataset.field = f + '.levels';
    $$('input:checked', levels).forEach((cb, j) => { cb.dataset.field = `${f}.levels[${j}]`; });
    const probes = $('[data-name="probes"]', card);
    probes.dataset.field = f + '.probes';
    $$('.probe-row', probes).forEach((row, j) => {
      const pf = `${f}.probes[${j}]`;
      row.dataset.field = pf;
      $('[data-name="dimension"]', row).dataset.field = pf + '.dimension';
      $('[data-name="text"]', row).dataset.field = pf + '.text';
      $('.remove-probe', row).setAttribute('aria-label', `Remove probe ${j + 1} of question ${i + 1}`);
    });
    $('.add-probe', card).setAttribute('aria-label', `Add a probe to question ${i + 1}`);
    $('.remove-question', card).setAttribute('aria-label', `Remove question ${i + 1}`);
  });
  let n = 0;
  for (const li of $$('#dims > li')) {
    const cb = $('input', li);
    delete cb.dataset.field;
    if (cb.checked) cb.dataset.field = `dimensions[${n++}]`;
    $('.order-pos', li).textContent = cb.checked ? `Probed ${n}${n === 1 ? 'st' : n === 2 ? 'nd' : n === 3 ? 'rd' : 'th'}` : 'Not probed';
  }
  $$('#exemplars > .ex-card').forEach((card, i) => {
    const f = `exemplars[${i}]`;
    card.dataset.field = f;
    $(':scope > legend', card).textContent = `Example answer ${i + 1}`;
    for (const el of $$('[data-name]', card)) el.dataset.field = `${f}.${el.dataset.name}`;
    $('.btn-danger', card).setAttribute('aria-label', `Remove example answer ${i + 1}`);
  });
}

// ---- load and save ----

const num = (id) => {
  const v = $(id).value.trim();
  return v === '' ? 0 : Number(v);
};

function collect() {
  return {
    name: $('#name').value,
    description: $('#description').value,
    questions: $$('#questions > .q-card').map((card) => ({
      principle: $('[data-name="principle"]', card).value,
      text: $('[data-name="text"]', card).value,
      levels: $$('[data-name="levels"] input:checked', card).map((cb) => cb.value),
      probes: $$('.probe-row', card).map((row) => ({ dimension: $('[data-name="dimension"]', row).value, text: $('[data-name="text"]', row).value })),
    })),
    dimensions: $$('#dims input:checked').map((cb) => cb.value),
    questions_per_interview: num('#questions-per'),
    probes_per_question: num('#probes-per'),
    time_limit_minutes: num('#time-limit'),
    exemplars: $$('#exemplars > .ex-card').map((card) => Object.fromEntries($$('[data-name]', card).map((el) => [el.dataset.name, el.value]))),
  };
}

function fill(qs) {
  $('#name').value = qs.name || '';
  $('#description').value = qs.description || '';
  replace($('#questions'), (qs.questions && qs.questions.length ? qs.questions : [undefined]).map((q) => questionCard(q)));
  const chosen = qs.dimensions || ADVANCED;
  replace($('#dims'), [...chosen.map((d) => dimItem(d, true)), ...ADVANCED.filter((d) => !chosen.includes(d)).map((d) => dimItem(d, false))]);
  $('#questions-per').value = qs.questions_per_interview || '';
  $('#probes-per').value = qs.probes_per_question ?? '';
  $('#time-limit').value = qs.time_limit_minutes || '';
  replace($('#exemplars'), (qs.exemplars || []).map((e) => exemplarCard(e)));
  renumber();
}

function showVersion(qs) {
  $('#title').textContent = `Edit “${qs.name}”`;
  const v = $('#version');
  v.textContent = `Version ${qs.version}`;
  v.dataset.version = String(qs.version);
  v.hidden = false;
  document.title = `${qs.name} · barraiser console`;
}

$('#add-question').addEventListener('click', () => {
  const card = questionCard();
  $('#questions').append(card);
  renumber();
  $('select', card).focus();
});

$('#add-exemplar').addEventListener('click', () => {
  const card = exemplarCard();
  $('#exemplars').append(card);
  renumber();
  $('select', card).focus();
});

$('#set-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = e.currentTarget;
  const box = $('#save-error');
  box.hidden = true;
  clearFieldErrors(form);
  renumber();
  const btn = $('#save');
  btn.disabled = true;
  $('#save-status').textContent = 'Saving…';
  try {
    const body = collect();
    const qs = setId ? await capi.updateQuestionSet(setId, body) : await capi.createQuestionSet(body);
    setId = qs.id;
    history.replaceState(null, '', '/console/question-sets/' + encodeURIComponent(qs.id));
    fill(qs);
    showVersion(qs);
    $('#save-status').textContent = `Saved as version ${qs.version}.`;
    announce(`Saved as version ${qs.version}.`);
    setState('saved');
  } catch (err) {
    $('#save-status').textContent = '';
    const where = err.field && showFieldError(form, err.field, reason(err));
    if (!where) showError(box, failure('The question set could not be saved', err));
    announce(where ? `Not saved. ${where}: ${reason(err)}.` : `Not saved: ${err.message}`);
    setState('invalid');
  } finally {
    btn.disabled = false;
  }
});

async function start() {
  await requireLogin();
  const parts = location.pathname.split('/').filter(Boolean);
  const id = parts[2] && parts[2] !== 'new' ? decodeURIComponent(parts[2]) : '';
  try {
    const cat = await capi.principles();
    principles = (cat.principles || []).map((p) => p.name);
    if (id) {
      const qs = await capi.questionSet(id);
      setId = qs.id;
      fill(qs);
      showVersion(qs);
    } else {
      fill({});
    }
  } catch (err) {
    fatal(err);
    return;
  }
  $('#loading').hidden = true;
  $('#editor').hidden = false;
  setState('ready');
  $('#name').focus();
}

start();
