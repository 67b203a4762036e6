package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"

	"barraiser/internal/interview"
)

// client is one live interview connection. Up to three goroutines serve
// it:
//
//   - the read pump, the only reader: it parses frames, answers the cheap
//     ones (ping, bad input) and hands engine calls to the worker;
//   - the worker, the only caller of the engine: Open, Answer, Replay and
//     End run one at a time, so pings and pongs keep flowing while the
//     interviewer streams. It is started when a call is queued and exits
//     when none is left, so an idle interview costs two goroutines, not
//     three (a goroutine's stack is most of an idle connection's memory);
//   - the write pump, the only writer: it drains the send channel, pings,
//     and says goodbye with a close frame.
//
// Everything else sends frames on the send channel. The connection's
// context is cancelled when the read pump exits (a vanished client stops
// its interviewer call) or when the server closes the connection.
type client struct {
	hub       *liveHub
	cfg       LiveConfig
	engine    *interview.Engine
	conn      *websocket.Conn
	session   string
	status    string // at connect
	questions int
	log       *slog.Logger
	started   time.Time

	ctx    context.Context
	cancel context.CancelFunc

	send chan []byte // encoded frames for the write pump
	jobs chan job    // engine calls for the worker

	// answering holds the number of the answer job in flight, 0 if none:
	// a second answer meanwhile is refused as busy.
	answering atomic.Uint64
	jobSeq    atomic.Uint64
	// lastSent is the highest interviewer seq this connection has sent
	// (or the client said it has).
	lastSent atomic.Int64

	closeOnce sync.Once
	quit      chan struct{} // closed when the connection is to close
	closeCode int           // 0: the client has gone, say nothing
	closeText string
	drain     bool // flush queued frames before the close frame
	reasonMu  sync.Mutex
	reason    string

	readDone chan struct{} // closed when the read pump exits
	working  atomic.Bool   // a worker is running (see wake)
	running  atomic.Int32  // goroutines still running
	done     chan struct{} // closed when all have exited
}

func newClient(h *liveHub, parent context.Context, conn *websocket.Conn, engine *interview.Engine, sess *interview.Session, reqID string) *client {
	ctx, cancel := context.WithCancel(parent)
	c := &client{
		hub: h, cfg: h.cfg, engine: engine, conn: conn,
		session: sess.ID, status: sess.Status, questions: len(sess.Questions),
		log:     h.log.With(slog.String("session", sess.ID), slog.String("request_id", reqID)),
		started: time.Now(),
		ctx:     ctx, cancel: cancel,
		send:     make(chan []byte, h.cfg.SendBuffer),
		jobs:     make(chan job, jobQueue),
		quit:     make(chan struct{}),
		readDone: make(chan struct{}),
		done:     make(chan struct{}),
	}
	c.running.Store(2) // the pumps; wake counts the worker
	return c
}

// closeWith asks the connection to close: the context is cancelled at
// once and the write pump sends the close frame (code 0 sends none). The
// first call wins; reason is what the disconnect log says.
func (c *client) closeWith(code int, text, reason string, drain bool) {
	c.closeOnce.Do(func() {
		c.closeCode, c.closeText, c.drain = code, text, drain
		c.setReason(reason)
		c.cancel()
		close(c.quit)
	})
}

func (c *client) setReason(reason string) {
	c.reasonMu.Lock()
	defer c.reasonMu.Unlock()
	if c.reason == "" {
		c.reason = reason
	}
}

// exit is deferred by each goroutine; the last one out unregisters the
// connection.
func (c *client) exit() {
	if c.running.Add(-1) != 0 {
		return
	}
	c.hub.unregister(c)
	c.reasonMu.Lock()
	reason := c.reason
	c.reasonMu.Unlock()
	c.log.Info("websocket disconnected", slog.String("reason", reason),
		slog.Duration("duration", time.Since(c.started)), slog.Int64("last_seq", c.lastSent.Load()))
	close(c.done)
}

// sendFrame queues a frame for the write pump. When the buffer is full it
// waits up to WriteWait; a client that has not made room by then is too
// slow and is disconnected (1008). It reports whether the frame was queued.
func (c *client) sendFrame(v any) bool {
	if f, ok := v.(errorFrame); ok {
		c.cfg.OnError(f.Code)
	}
	b, err := json.Marshal(v)
	if err != nil {
		c.log.Error("encode frame", slog.Any("error", err))
		return false
	}
	select {
	case <-c.quit:
		return false
	default:
	}
	select {
	case c.send <- b:
		return true
	default:
	}
	t := time.NewTimer(c.cfg.WriteWait)
	defer t.Stop()
	select {
	case c.send <- b:
		return true
	case <-c.quit:
		return false
	case <-t.C:
		c.log.Warn("websocket client too slow; disconnecting", slog.Int("send_buffer", cap(c.send)))
		c.closeWith(websocket.ClosePolicyViolation, "too slow: the send buffer stayed full", "send buffer full", false)
		return false
	}
}

func (c *client) sendError(code, message string) {
	c.sendFrame(errorFrame{Type: frameError, Code: code, Message: message})
}

// write writes one message under deadline.
func (c *client) write(messageType int, b []byte, deadline time.Time) error {
	if err := c.conn.SetWriteDeadline(deadline); err != nil {
		return err
	}
	return c.conn.WriteMessage(messageType, b)
}

// writePump is the connection's only writer.
func (c *client) writePump() {
	ticker := time.NewTicker(c.cfg.PingPeriod)
	defer func() {
		ticker.Stop()
		_ = c.conn.Close() // ends the read pump too
		c.exit()
	}()
	for {
		select {
		case b := <-c.send:
			if err := c.write(websocket.TextMessage, b, time.Now().Add(c.cfg.WriteWait)); err != nil {
				c.closeWith(0, "", "write failed: "+errorKind(err), false)
				return
			}
		case <-ticker.C:
			if err := c.write(websocket.PingMessage, nil, time.Now().Add(c.cfg.WriteWait)); err != nil {
				c.closeWith(0, "", "ping failed: "+errorKind(err), false)
				return
			}
		case <-c.quit:
			c.goodbye()
			return
		}
	}
}

// goodbye ends a connection the server closes: the frames already queued
// (unless the client is too slow to take them), the close frame, then the
// client's close frame, waited for a moment.
func (c *client) goodbye() {
	if c.closeCode == 0 {
		return // the client has gone; nobody to tell
	}
	deadline := time.Now().Add(c.cfg.WriteWait)
	if c.drain {
	flush:
		for {
			select {
			case b := <-c.send:
				if c.write(websocket.TextMessage, b, deadline) != nil {
					return
				}
			default:
				break flush
			}
		}
	}
	if c.write(websocket.CloseMessage, websocket.FormatCloseMessage(c.closeCode, c.closeText), deadline) != nil {
		return
	}
	t := time.NewTimer(closeGrace)
	defer t.Stop()
	select {
	case <-c.readDone:
	case <-t.C:
	}
}

// readPump is the connection's only reader.
func (c *client) readPump() {
	reason := ""
	defer func() {
		c.closeWith(0, "", reason, false)
		close(c.readDone)
		c.exit()
	}()
	c.conn.SetReadLimit(hardReadLimit)
	alive := func() error { return c.conn.SetReadDeadline(time.Now().Add(c.cfg.PongWait)) }
	_ = alive()
	c.conn.SetPongHandler(func(string) error { return alive() })
	for {
		mt, r, err := c.conn.NextReader()
		if err != nil {
			reason = readFailure(err)
			return
		}
		_ = alive() // any frame shows the client is there
		data, err := io.ReadAll(io.LimitReader(r, int64(c.cfg.MaxFrameBytes)+1))
		if err != nil {
			reason = readFailure(err)
			return
		}
		if len(data) > c.cfg.MaxFrameBytes {
			if _, err := io.Copy(io.Discard, r); err != nil {
				reason = readFailure(err)
				return
			}
			c.sendError(wsTooLarge, fmt.Sprintf("frames are limited to %d bytes", c.cfg.MaxFrameBytes))
			continue
		}
		f, bad := decodeFrame(mt, data)
		if bad != nil {
			c.sendFrame(bad)
			continue
		}
		c.handle(f)
	}
}

// readFailure describes why the read pump stopped, for the log.
func readFailure(err error) string {
	var ce *websocket.CloseError
	switch {
	case errors.As(err, &ce):
		return fmt.Sprintf("client closed (%d)", ce.Code)
	case errors.Is(err, websocket.ErrReadLimit):
		return "frame over the hard read limit"
	}
	return "read failed: " + errorKind(err)
}

// errorKind names a network error without its addresses.
func errorKind(err error) string {
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.Is(err, net.ErrClosed):
		return "connection closed"
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "connection lost"
	case errors.Is(err, websocket.ErrCloseSent):
		return "close sent"
	}
	return "network error"
}

// decodeFrame parses one client frame, or says what is wrong with it.
func decodeFrame(messageType int, data []byte) (clientFrame, *errorFrame) {
	var f clientFrame
	bad := func(code, message string) (clientFrame, *errorFrame) {
		return f, &errorFrame{Type: frameError, Code: code, Message: message}
	}
	if messageType != websocket.TextMessage {
		return bad(wsBadFrame, "send JSON in text frames; binary frames are not accepted")
	}
	if !utf8.Valid(data) {
		return bad(wsInvalidUTF8, "the frame is not valid UTF-8")
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return bad(wsBadFrame, "frames are JSON objects with a \"type\": "+jsonProblem(err))
	}
	switch f.Type {
	case "":
		return bad(wsBadFrame, "the frame has no \"type\"")
	case frameAnswer, frameEnd, framePing:
	case frameResume:
		if f.LastSeq != nil && *f.LastSeq < 0 {
			return bad(wsBadFrame, "last_seq must be 0 or more")
		}
	default:
		return bad(wsUnknownType, "unknown frame type; send answer, resume, end or ping")
	}
	return f, nil
}

// handle acts on one well-formed frame.
func (c *client) handle(f clientFrame) {
	switch f.Type {
	case framePing:
		c.sendFrame(pongFrame{Type: framePong})
	case frameAnswer:
		if ok, wait := c.hub.allowAnswer(c.session); !ok {
			c.sendFrame(errorFrame{Type: frameError, Code: wsRateLimited, RetryAfterMS: max(wait.Milliseconds(), 1),
				Message: fmt.Sprintf("too many answers; try again in %s", wait.Round(100*time.Millisecond))})
			return
		}
		n := c.jobSeq.Add(1)
		if !c.answering.CompareAndSwap(0, n) {
			c.sendFrame(errorFrameFor(interview.ErrBusy))
			return
		}
		if !c.enqueue(job{kind: jobAnswer, n: n, id: f.ID, text: f.Text}) {
			c.answering.CompareAndSwap(n, 0)
		}
	case frameResume:
		var after int64
		if f.LastSeq != nil {
			after = *f.LastSeq
		}
		c.enqueue(job{kind: jobResume, lastSeq: after})
	case frameEnd:
		c.enqueue(job{kind: jobEnd})
	}
}

// jsonProblem describes a JSON decoding error without quoting the frame.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("invalid JSON at byte %d", se.Offset)
	case errors.As(err, &te):
		if te.Field == "" {
			return "the frame must be a JSON object"
		}
		return fmt.Sprintf("%q must be a %s", te.Field, te.Type.Kind())
	}
	return "invalid JSON"
}

// enqueue hands a job to the worker without waiting; a full queue answers
// busy.
func (c *client) enqueue(j job) bool {
	select {
	case c.jobs <- j:
		c.wake()
		return true
	default:
		c.sendFrame(errorFrameFor(interview.ErrBusy))
		return false
	}
}

// Jobs for the worker.
const (
	jobHello  = iota // the session frame, then Open
	jobAnswer        // Answer
	jobResume        // Replay after lastSeq (and the scorecard if finished)
	jobEnd           // End
)

type job struct {
	kind     int
	n        uint64 // answer: its number, for the busy flag
	id, text string // answer
	lastSeq  int64  // resume
}

// wake starts a worker unless one is running. Call it after queueing a job.
func (c *client) wake() {
	if c.working.CompareAndSwap(false, true) {
		c.running.Add(1)
		go c.work()
	}
}

// work is the connection's only caller of the engine: it runs the queued
// jobs in order and exits when there are none. Only the goroutine that set
// working runs jobs; one queued while the worker was leaving either started
// a new worker (wake saw working false) or is taken by this one, which
// sets working again.
func (c *client) work() {
	defer c.exit()
	for {
		select {
		case <-c.ctx.Done():
			return // working stays set: a closing connection starts no worker
		case j := <-c.jobs:
			c.run(j)
		default:
			c.working.Store(false)
			if len(c.jobs) == 0 || !c.working.CompareAndSwap(false, true) {
				return
			}
		}
	}
}

func (c *client) run(j job) {
	switch j.kind {
	case jobHello:
		c.hello()
	case jobAnswer:
		c.answer(j)
	case jobResume:
		c.resume(j.lastSeq)
	case jobEnd:
		if _, err := c.engine.End(c.ctx, c.session, &emitter{c: c}); err != nil {
			c.fail(err)
		}
	}
}

// hello sends the session frame and makes sure the interview has begun.
func (c *client) hello() {
	msgs, err := c.engine.Replay(c.ctx, c.session, 0)
	if err != nil {
		c.fail(err)
		return
	}
	var last int64
	if len(msgs) > 0 {
		last = msgs[len(msgs)-1].Seq
	}
	c.lastSent.Store(last)
	c.sendFrame(sessionFrame{Type: frameSession, ID: c.session, Status: c.status, Questions: c.questions, LastSeq: last})
	if err := c.engine.Open(c.ctx, c.session, &emitter{c: c}); err != nil {
		c.fail(err)
	}
}

func (c *client) answer(j job) {
	em := &emitter{c: c, answer: j.n, ackID: j.id, ackPending: true}
	err := c.engine.Answer(c.ctx, c.session, j.id, j.text, em)
	// Not busy any more, before the last frames: the client may answer
	// as soon as it reads them.
	c.answering.CompareAndSwap(j.n, 0)
	if err != nil {
		c.fail(err)
		return
	}
	em.mu.Lock()
	duplicate := em.ackPending
	em.mu.Unlock()
	if duplicate {
		// Stored before: its reply went out then, perhaps on another
		// connection. Send what this one has not seen.
		c.sendFrame(ackFrame{Type: frameAck, ID: j.id, Duplicate: true})
		c.replay(c.lastSent.Load())
	}
}

// resume re-sends every interviewer message after the client's last seq,
// then the scorecard if the interview has finished, then "resumed".
func (c *client) resume(after int64) {
	c.lastSent.Store(after)
	n, ok := c.replay(after)
	if !ok {
		return
	}
	c.sendFrame(resumedFrame{Type: frameResumed, LastSeq: c.lastSent.Load(), Replayed: n})
	c.log.Info("websocket resumed", slog.Int64("after_seq", after), slog.Int("replayed", n))
}

// replay sends the interviewer messages after seq and, when the
// interview has finished, its scorecard.
func (c *client) replay(after int64) (int, bool) {
	msgs, err := c.engine.Replay(c.ctx, c.session, after)
	if err != nil {
		c.fail(err)
		return 0, false
	}
	for _, m := range msgs {
		c.sendFrame(newMessageFrame(m))
		c.noteSent(m.Seq)
	}
	sc, err := c.engine.Scorecard(c.ctx, c.session)
	switch {
	case err == nil:
		c.sendFrame(scorecardFrame{Type: frameScorecard, Scorecard: sc})
	case !errors.Is(err, interview.ErrNotFound): // not finished is ErrNotFound
		c.fail(err)
		return len(msgs), false
	}
	return len(msgs), true
}

func (c *client) noteSent(seq int64) {
	for {
		cur := c.lastSent.Load()
		if seq <= cur || c.lastSent.CompareAndSwap(cur, seq) {
			return
		}
	}
}

// fail reports an engine error to the client as an error frame; a fatal
// one closes the connection after it. A call cut short because the
// connection is closing reports nothing.
func (c *client) fail(err error) {
	if c.ctx.Err() != nil {
		return
	}
	f := errorFrameFor(err)
	if f.Code == wsInternal {
		c.log.Error("live interview", slog.Any("error", err))
	}
	c.sendFrame(f)
	if f.Fatal {
		c.closeWith(websocket.ClosePolicyViolation, f.Message, f.Code, true)
	}
}

// emitter relays what the engine says to the client. During an answer it
// first acknowledges the answer: the first thing the engine emits comes
// after the answer has been stored, and carries the seq after the
// answer's.
type emitter struct {
	c  *client
	mu sync.Mutex
	// During an answer:
	answer     uint64 // the job's number
	ackID      string
	ackPending bool
}

var _ interview.Emitter = (*emitter)(nil)

// ack sends the pending acknowledgement; seq 0 when not known yet.
func (e *emitter) ack(seq int64) {
	if !e.ackPending {
		return
	}
	e.ackPending = false
	e.c.sendFrame(ackFrame{Type: frameAck, ID: e.ackID, Seq: max(seq, 0)})
}

// Accepted acknowledges the answer as soon as it is stored.
func (e *emitter) Accepted(m interview.Message) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.ack(m.Seq)
}

func (e *emitter) Token(seq int64, text string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.ack(seq - 1)
	e.c.sendFrame(tokenFrame{Type: frameToken, Seq: seq, Text: text})
}

func (e *emitter) Message(m interview.Message) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.ack(m.Seq - 1)
	if e.answer != 0 {
		// The reply is out: the candidate may answer it, even before this
		// call returns.
		e.c.answering.CompareAndSwap(e.answer, 0)
	}
	e.c.sendFrame(newMessageFrame(m))
	e.c.noteSent(m.Seq)
}

func (e *emitter) Notice(code, message string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.ack(0)
	e.c.sendFrame(noticeFrame{Type: frameNotice, Code: code, Message: message})
}

func (e *emitter) Scorecard(sc *interview.Scorecard) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.c.sendFrame(scorecardFrame{Type: frameScorecard, Scorecard: sc})
}
