// interview.js: the interview page (/interview/{id}). It renders what
// LiveInterview (live.js) reports and hands it the candidate's answers.

import { sessionIdFromPath } from './api.js';
import { $, h, replace } from './dom.js';
import { LiveInterview } from './live.js';
import { loadSession } from './store.js';

const el = {
  body: document.body,
  log: $('#log'),
  typing: $('#typing'),
  progress: $('#progress'),
  clock: $('#clock'),
  conn: $('#conn'),
  offline: $('#offline'),
  missing: $('#missing'),
  errors: $('#errors'),
  notices: $('#notices'),
  announcer: $('#announcer'),
  composer: $('#composer'),
  answer: $('#answer'),
  send: $('#send'),
  end: $('#end'),
  endConfirm: $('#end-confirm'),
  endYes: $('#end-yes'),
  endNo: $('#end-no'),
  done: $('#done'),
  scorecardLink: $('#scorecard-link'),
  title: $('#title'),
};

const CONN_TEXT = {
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  online: 'Connected',
  offline: 'Offline',
  closed: 'Closed',
};

const id = sessionIdFromPath();
const state = id ? loadSession(id) : null;
let live = null;
let clockTimer = 0;
let streamingSeq = 0;

function formatElapsed(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

let timeUpShown = false;

function tickClock() {
  if (!state) return;
  const end = state.finishedAt || Date.now();
  const elapsed = end - (state.startedAt || end);
  const limit = (state.timeLimitMinutes || 0) * 60000;
  el.clock.textContent = formatElapsed(elapsed) + (limit ? ` of ${formatElapsed(limit)}` : '');
  el.clock.setAttribute('aria-label', 'Time elapsed: ' + el.clock.textContent);
  if (limit && elapsed >= limit && !state.finished && !timeUpShown) {
    timeUpShown = true;
    replace(el.notices, 'Time is up: your next answer ends the interview.');
    el.notices.hidden = false;
  }
}

function announce(text) {
  // Replace the text so screen readers read each new message once.
  el.announcer.textContent = '';
  requestAnimationFrame(() => { el.announcer.textContent = text; });
}

function speakerName(role) { return role === 'candidate' ? 'You' : 'Bar raiser'; }

function kindLabel(m) {
  if (m.kind === 'probe') return 'Follow-up';
  if (m.kind === 'wrapup') return 'Wrap-up';
  if (m.kind === 'question') return `Question ${(m.question || 0) + 1}`;
  return '';
}

function bubble(m, { pending = false } = {}) {
  const li = h('li', {
    class: `msg msg-${m.role}${pending ? ' pending' : ''}`,
    dataset: m.role === 'interviewer' ? { seq: String(m.seq), kind: m.kind } : { id: m.id, seq: String(m.seq || 0) },
  },
  h('div', { class: 'msg-meta' },
    h('span', { class: 'who' }, speakerName(m.role)),
    m.role === 'interviewer' && kindLabel(m) ? h('span', { class: 'kind' }, kindLabel(m)) : null,
    pending ? h('span', { class: 'status' }, 'Waiting to send') : null),
  h('p', { class: 'msg-text' }, m.text));
  return li;
}

function scrollToEnd() {
  const last = el.log.lastElementChild;
  if (last) last.scrollIntoView({ block: 'end', behavior: 'smooth' });
}

function renderAll() {
  replace(el.log, state.messages.map((m) => bubble(m)), state.outbox.map((x) => bubble(
    { role: 'candidate', id: x.id, text: x.text }, { pending: true })));
  updateProgress();
}

function updateProgress() {
  const total = state.questionCount || (state.questions || []).length || 1;
  const asked = state.messages.filter((m) => m.role === 'interviewer');
  const last = asked[asked.length - 1];
  if (state.finished) el.progress.textContent = `Finished · ${total} ${total === 1 ? 'question' : 'questions'}`;
  else if (!last) el.progress.textContent = `Question 1 of ${total}`;
  else if (last.kind === 'wrapup') el.progress.textContent = 'Wrapping up';
  else el.progress.textContent = `Question ${Math.min((last.question || 0) + 1, total)} of ${total}`;
  const q = (state.questions || [])[last ? last.question || 0 : 0];
  if (q && q.principle) el.title.textContent = `${q.principle} · ${state.level || ''}`.trim();
}

function updateComposer() {
  const turn = live && live.candidateTurn();
  el.answer.disabled = !!state.finished;
  el.send.disabled = !turn || el.answer.value.trim() === '';
  el.end.disabled = !!state.finished;
  const last = state.messages[state.messages.length - 1];
  const waiting = (last && last.role === 'candidate') || (state.outbox.length > 0 && el.body.dataset.connection === 'online');
  const busy = live && !state.finished && (streamingSeq > 0 || live.awaitingReply || waiting);
  el.typing.hidden = !busy;
  el.body.dataset.turn = state.finished ? 'finished' : turn ? 'candidate' : 'interviewer';
  if (state.finished) el.composer.hidden = true;
}

function setConnection(status) {
  el.body.dataset.connection = status;
  el.conn.textContent = CONN_TEXT[status] || status;
  el.conn.className = 'conn conn-' + status;
  el.offline.hidden = !(status === 'offline' || status === 'reconnecting');
  if (status === 'online') el.body.dataset.reconnects = String(live ? live.reconnects : 0);
  updateComposer();
}

function showError(message, retry) {
  replace(el.errors, h('p', {}, message), retry ? h('p', {}, h('button', {
    type: 'button', class: 'btn btn-secondary', onclick: () => { el.errors.hidden = true; live.retry(); },
  }, 'Send again')) : null);
  el.errors.hidden = false;
}

function showDone() {
  el.done.hidden = false;
  el.composer.hidden = true;
  el.typing.hidden = true;
  el.scorecardLink.href = '/scorecard/' + encodeURIComponent(state.id);
  updateProgress();
  tickClock();
}

function streamingBubble(seq) {
  return el.log.querySelector(`li.msg-interviewer[data-seq="${Number(seq)}"]`);
}

const handlers = {
  status: setConnection,
  session() { updateProgress(); },
  streamStart(seq) {
    streamingSeq = seq;
    const li = bubble({ role: 'interviewer', seq, kind: 'streaming', text: '' });
    li.classList.add('streaming');
    li.setAttribute('aria-busy', 'true');
    el.log.append(li);
    updateComposer();
  },
  streamToken(seq, piece, text) {
    const li = streamingBubble(seq);
    if (li) $('.msg-text', li).textContent = text;
    scrollToEnd();
  },
  streamDiscard(seq) {
    const li = el.log.querySelector(`li.msg-interviewer.streaming[data-seq="${Number(seq)}"]`);
    if (li) li.remove();
    if (streamingSeq === seq) streamingSeq = 0;
    updateComposer();
  },
  message(m) {
    let li = streamingBubble(m.seq);
    const fresh = bubble(m);
    if (li) li.replaceWith(fresh);
    else el.log.append(fresh);
    streamingSeq = 0;
    announce(`${speakerName(m.role)}: ${m.text}`);
    updateProgress();
    updateComposer();
    scrollToEnd();
  },
  answerQueued(item) {
    el.log.append(bubble({ role: 'candidate', id: item.id, text: item.text }, { pending: true }));
    updateComposer();
    scrollToEnd();
  },
  answerAcked(m) {
    const li = el.log.querySelector(`li.msg-candidate[data-id="${CSS.escape(m.id)}"]`);
    if (li) li.replaceWith(bubble(m));
    else el.log.append(bubble(m));
    updateComposer();
  },
  answerRejected(item, f) {
    const li = el.log.querySelector(`li.msg-candidate[data-id="${CSS.escape(item.id)}"]`);
    if (li) li.remove();
    if (!el.answer.value.trim()) el.answer.value = item.text;
    showError(f.message || 'That answer could not be sent.');
    updateComposer();
    el.answer.focus();
  },
  notice(f) {
    replace(el.notices, f.message || 'Notice from the server.');
    el.notices.hidden = false;
  },
  error(f, canRetry) {
    showError(f.message || 'Something went wrong.', canRetry && !f.fatal);
    if (f.fatal) {
      clearInterval(clockTimer); // the interview cannot go on here
      el.composer.hidden = true;
      el.typing.hidden = true;
      el.errors.append(h('p', {}, h('a', { href: '/' }, 'Start a new practice interview')));
      el.body.dataset.turn = 'closed';
      return;
    }
    updateComposer();
  },
  scorecard() {
    showDone();
    announce('Interview complete. Your scorecard is ready.');
    el.scorecardLink.focus();
  },
};

function submit() {
  const text = el.answer.value.trim();
  if (!text || !live || !live.candidateTurn()) return;
  el.errors.hidden = true;
  el.notices.hidden = true;
  el.answer.value = '';
  live.answer(text);
  updateComposer();
  el.answer.focus();
}

function init() {
  if (!state || !state.token) {
    el.missing.hidden = false;
    el.composer.hidden = true;
    el.body.dataset.connection = 'closed';
    return;
  }
  renderAll();
  tickClock();
  clockTimer = setInterval(tickClock, 1000);

  el.composer.addEventListener('submit', (e) => { e.preventDefault(); submit(); });
  // Enter sends, Shift+Enter is a new line; on touch screens (no Shift
  // key to speak of) Enter is a new line and the Send button sends.
  const touch = window.matchMedia('(pointer: coarse)').matches;
  el.answer.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && !touch) {
      e.preventDefault();
      submit();
    }
  });
  el.answer.addEventListener('input', updateComposer);
  el.end.addEventListener('click', () => {
    el.endConfirm.hidden = false;
    el.endYes.focus();
  });
  el.endNo.addEventListener('click', () => {
    el.endConfirm.hidden = true;
    el.end.focus();
  });
  el.endYes.addEventListener('click', () => {
    el.endConfirm.hidden = true;
    el.end.disabled = true;
    live.end();
    replace(el.notices, 'Ending the interview and scoring it…');
    el.notices.hidden = false;
  });

  live = new LiveInterview(state, handlers);
  if (state.finished) {
    showDone();
    el.body.dataset.connection = 'closed';
    return;
  }
  live.start();
  updateComposer();
  el.answer.focus();
}

init();
