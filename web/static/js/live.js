// live.js: the interview websocket, kept alive across drops.
//
// LiveInterview owns the connection and the interview's state in this tab
// (store.js persists it); the page only renders what it is told. It
//
//   - reconnects on its own with backoff and, on every connect, asks the
//     server to resume after the last interviewer seq it has, so nothing is
//     lost; every interviewer message is deduplicated by seq, so nothing is
//     shown twice;
//   - keeps each answer in an outbox with its client id until the server
//     acknowledges it, and (re)sends it once the connection has resumed;
//     the server stores an answer once per id, so a re-send is harmless;
//   - buffers the streamed tokens of the message being written and drops
//     them when the server says the interviewer fell back
//     (notice "interviewer_fallback"): the scripted interviewer rewrites
//     that turn from scratch and its whole message follows.

import { api, socketURL } from './api.js';
import { randomId } from './dom.js';
import { saveSession } from './store.js';

const BACKOFF_MS = [250, 500, 1000, 2000, 4000, 8000];
const PING_EVERY_MS = 20000;
const SILENT_LIMIT_MS = 50000; // no frame at all for this long: the connection is dead
const INTERVIEWER_KINDS = new Set(['question', 'probe', 'wrapup']);

export class LiveInterview {
  // state is the stored session (store.js); on holds the page's callbacks:
  // status, session, streamStart, streamToken, streamDiscard, message,
  // answerQueued, answerAcked, answerRejected, notice, error, scorecard.
  constructor(state, on) {
    this.s = state;
    this.s.messages ||= [];
    this.s.outbox ||= [];
    this.s.lastSeq ||= 0;
    this.s.lastAnySeq = Math.max(0, ...this.s.messages.map((m) => m.seq || 0));
    this.on = on;
    this.ws = null;
    this.ready = false; // the current connection has answered our resume
    this.inflight = null; // id of the answer sent on this connection, not yet acknowledged
    this.awaitingReply = false; // an answer was acknowledged; its reply has not arrived
    this.stream = null; // {seq, text}: the interviewer message being streamed
    this.attempt = 0;
    this.reconnects = 0;
    this.stopped = false;
    this.endRequested = false;
    this.timers = { reconnect: 0, ping: 0, retry: 0 };
    this.lastFrameAt = 0;
    // Back online, or back to the tab: try at once instead of waiting out the backoff.
    this.onOnline = () => { if (!this.ws && !this.stopped) this.connectNow(); };
  }

  get finished() { return !!this.s.finished; }

  // candidateTurn reports whether the candidate may answer now (as far as
  // this tab knows, even while offline).
  candidateTurn() {
    if (this.finished || this.s.outbox.length > 0 || this.awaitingReply) return false;
    const last = this.s.messages[this.s.messages.length - 1];
    return !!last && last.role === 'interviewer' && last.kind !== 'wrapup';
  }

  start() {
    window.addEventListener('online', this.onOnline);
    document.addEventListener('visibilitychange', this.onVisible = () => {
      if (document.visibilityState === 'visible') this.onOnline();
    });
    this.connect();
  }

  stop() {
    this.stopped = true;
    window.removeEventListener('online', this.onOnline);
    if (this.onVisible) document.removeEventListener('visibilitychange', this.onVisible);
    for (const t of Object.values(this.timers)) clearTimeout(t);
    clearInterval(this.timers.ping);
    if (this.ws) this.ws.close(1000, 'done');
    this.ws = null;
  }

  // answer queues the candidate's answer and sends it when it can.
  answer(text) {
    const item = { id: randomId(), text };
    this.s.outbox.push(item);
    this.persist();
    this.on.answerQueued?.(item);
    this.flush();
    return item.id;
  }

  // end asks the server to finish now and score.
  end() {
    this.endRequested = true;
    this.sendEnd();
  }

  // retry re-sends what is waiting (after an error the page showed).
  retry() {
    this.inflight = null;
    this.flush();
  }

  // ---- connection ----

  connect() {
    if (this.stopped || this.ws) return;
    this.ready = false;
    this.inflight = null;
    this.awaitingReply = false;
    this.on.status?.(this.reconnects > 0 || this.attempt > 0 ? 'reconnecting' : 'connecting');
    let ws;
    try {
      ws = new WebSocket(socketURL(this.s.id, this.s.token));
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    this.lastFrameAt = Date.now();
    ws.onmessage = (ev) => {
      if (ws !== this.ws) return;
      this.lastFrameAt = Date.now();
      let f;
      try { f = JSON.parse(ev.data); } catch { return; }
      this.handle(f);
    };
    ws.onclose = () => this.lost(ws);
    clearInterval(this.timers.ping);
    this.timers.ping = setInterval(() => this.keepAlive(ws), PING_EVERY_MS);
  }

  // lost forgets a connection that has closed (or gone silent) and
  // reconnects unless the interview is over.
  lost(ws) {
    if (ws !== this.ws) return;
    this.ws = null;
    this.ready = false;
    clearInterval(this.timers.ping);
    if (this.stream) { // half a message: its seq is replayed whole on resume
      this.on.streamDiscard?.(this.stream.seq);
      this.stream = null;
    }
    if (this.stopped) return;
    if (this.finished) {
      this.on.status?.('closed');
      return;
    }
    this.on.status?.('offline');
    this.scheduleReconnect();
  }

  connectNow() {
    clearTimeout(this.timers.reconnect);
    this.connect();
  }

  scheduleReconnect() {
    clearTimeout(this.timers.reconnect);
    if (this.attempt >= 2) this.checkGone();
    const base = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    this.attempt++;
    const delay = base + Math.floor(Math.random() * base * 0.2);
    this.timers.reconnect = setTimeout(() => {
      this.reconnects++;
      this.connect();
    }, delay);
  }

  // checkGone asks the HTTP API about a session whose websocket keeps
  // failing: one that has finished meanwhile shows its scorecard, one the
  // server no longer knows (a restart of an in-memory server) stops the
  // retries. Anything else (the server is down) keeps them going.
  async checkGone() {
    try {
      const sc = await api.scorecard(this.s.id, this.s.token);
      if (!this.stopped) this.handle({ type: 'scorecard', scorecard: sc });
    } catch (err) {
      if (this.stopped || (err.status !== 404 && err.status !== 401)) return;
      this.stop();
      this.on.status?.('closed');
      this.on.error?.({ code: 'not_found', fatal: true, message: 'This interview no longer exists on the server, so it cannot continue.' }, false);
    }
  }

  keepAlive(ws) {
    if (ws !== this.ws || ws.readyState !== WebSocket.OPEN) return;
    if (Date.now() - this.lastFrameAt > SILENT_LIMIT_MS) {
      // A dead connection may never finish a close handshake: give it up now.
      this.lost(ws);
      ws.close(4000, 'no answer from the server');
      return;
    }
    this.sendFrame({ type: 'ping' });
  }

  sendFrame(f) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(f));
    return true;
  }

  sendEnd() {
    if (this.endRequested && this.ready && !this.finished) this.sendFrame({ type: 'end' });
  }

  // flush sends the oldest waiting answer, one at a time, once the
  // connection has resumed and the previous answer has its reply.
  flush() {
    if (!this.ready || this.inflight || this.awaitingReply || this.finished) return;
    const item = this.s.outbox[0];
    if (!item) return;
    if (this.sendFrame({ type: 'answer', id: item.id, text: item.text })) {
      this.inflight = item.id;
      if (!item.sent) {
        item.sent = true;
        this.persist();
      }
    }
  }

  persist() { saveSession(this.s); }

  // ---- frames ----

  handle(f) {
    switch (f.type) {
      case 'session':
        this.s.questionCount = f.questions || this.s.questionCount;
        this.persist();
        this.on.session?.(f);
        // Ask for everything after what this tab has; "resumed" closes the answer.
        this.sendFrame({ type: 'resume', last_seq: this.s.lastSeq });
        break;
      case 'resumed':
        this.ready = true;
        this.attempt = 0;
        this.on.status?.('online');
        this.flush();
        this.sendEnd();
        break;
      case 'token':
        this.onToken(f);
        break;
      case 'notice':
        if (f.code === 'interviewer_fallback' && this.stream) {
          // The scripted interviewer redoes this turn from scratch: what
          // was streamed so far is not part of the message.
          this.on.streamDiscard?.(this.stream.seq);
          this.stream = null;
        }
        this.on.notice?.(f);
        break;
      case 'ack':
        this.onAck(f);
        break;
      case 'scorecard':
        this.s.finished = true;
        this.s.finishedAt ||= Date.now();
        this.s.outbox = [];
        this.persist();
        this.on.scorecard?.(f.scorecard);
        this.stop();
        this.on.status?.('closed');
        break;
      case 'error':
        this.onError(f);
        break;
      case 'pong':
        break;
      default:
        if (INTERVIEWER_KINDS.has(f.type)) this.onMessage(f);
    }
  }

  onToken(f) {
    if (f.seq <= this.s.lastSeq) return; // a message this tab has whole
    if (!this.stream || this.stream.seq !== f.seq) {
      if (this.stream) this.on.streamDiscard?.(this.stream.seq);
      this.stream = { seq: f.seq, text: '' };
      this.on.streamStart?.(f.seq);
    }
    this.stream.text += f.text;
    this.on.streamToken?.(f.seq, f.text, this.stream.text);
  }

  onMessage(f) {
    const streamed = this.stream && this.stream.seq === f.seq;
    if (this.stream && this.stream.seq <= f.seq) this.stream = null;
    if (f.seq <= this.s.lastSeq) {
      if (streamed) this.on.streamDiscard?.(f.seq);
      return; // seen already (a replay after a resume)
    }
    // A gap before this message is an answer this tab sent: stored, its
    // ack lost with a dropped connection, and its reply sent by the server
    // on reconnect.
    const head = this.s.outbox[0];
    if (head && head.sent && f.seq > this.s.lastAnySeq + 1) this.confirm(0, this.s.lastAnySeq + 1);
    const m = { seq: f.seq, role: 'interviewer', kind: f.type, text: f.text, question: f.question || 0 };
    if (f.dimension) m.dimension = f.dimension;
    this.s.messages.push(m);
    this.s.lastSeq = f.seq;
    this.s.lastAnySeq = Math.max(this.s.lastAnySeq, f.seq);
    this.awaitingReply = false;
    this.persist();
    this.on.message?.(m, streamed);
    this.flush();
  }

  onAck(f) {
    if (this.inflight === f.id) this.inflight = null;
    const i = this.s.outbox.findIndex((x) => x.id === f.id);
    if (i < 0) return; // acknowledged before
    this.confirm(i, f.seq || this.s.lastAnySeq + 1);
    // A duplicate was stored before (its ack was lost with a connection):
    // its reply is already here or replayed right after this ack.
    this.awaitingReply = !f.duplicate;
  }

  // confirm moves outbox[i] into the transcript as the stored answer seq.
  confirm(i, seq) {
    const [item] = this.s.outbox.splice(i, 1);
    const m = { seq, role: 'candidate', kind: 'answer', text: item.text, id: item.id };
    this.s.messages.push(m);
    this.s.lastAnySeq = Math.max(this.s.lastAnySeq, seq);
    this.persist();
    this.on.answerAcked?.(m);
  }

  onError(f) {
    const item = this.s.outbox.find((x) => x.id === this.inflight);
    switch (f.code) {
      case 'rate_limited':
        this.inflight = null;
        clearTimeout(this.timers.retry);
        this.timers.retry = setTimeout(() => this.flush(), Math.max(f.retry_after_ms || 1000, 100));
        return; // nothing to tell the candidate: the answer goes out in a moment
      case 'busy':
        this.inflight = null;
        this.awaitingReply = true; // sent again when the reply arrives
        clearTimeout(this.timers.retry);
        this.timers.retry = setTimeout(() => { this.awaitingReply = false; this.flush(); }, 3000);
        return;
      case 'invalid_answer':
        if (item) {
          this.s.outbox = this.s.outbox.filter((x) => x !== item);
          this.inflight = null;
          this.persist();
          this.on.answerRejected?.(item, f);
        }
        break;
      case 'finished':
        this.inflight = null;
        this.sendFrame({ type: 'resume', last_seq: this.s.lastSeq }); // brings the scorecard
        break;
      default:
        if (item) this.inflight = null;
    }
    if (f.fatal) {
      this.stop();
      this.on.status?.('closed');
    }
    this.on.error?.(f, !!item && f.code !== 'invalid_answer');
  }
}
