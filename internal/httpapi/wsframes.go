package httpapi

import (
	"errors"
	"strings"

	"barraiser/internal/interview"
)

// The live interview websocket speaks JSON text frames, each with a
// "type". This file lists every frame in both directions; ws.go and
// wsconn.go move them.

// Frame types the client sends.
const (
	frameAnswer = "answer" // {"type":"answer","text":"…","id":"client message id"}
	frameResume = "resume" // {"type":"resume","last_seq":N}
	frameEnd    = "end"    // {"type":"end"}
	framePing   = "ping"   // {"type":"ping"} → {"type":"pong"}
)

// Frame types the server sends.
const (
	frameSession   = "session"   // once, first, on every connect
	frameToken     = "token"     // a streamed piece of the interviewer message with that seq
	frameAck       = "ack"       // an answer was stored (or had been stored before)
	frameNotice    = "notice"    // something worth telling the candidate; nothing failed
	frameScorecard = "scorecard" // the finished interview's scorecard
	frameResumed   = "resumed"   // a resume has been answered in full
	frameError     = "error"     // a frame or an action failed
	framePong      = "pong"      // answers ping
	// An interviewer message is sent as a frame whose type is its kind:
	// interview.KindQuestion, KindProbe or KindWrapUp.
)

// Error codes carried by error frames. Only not_found is fatal (the
// session is gone); every other error leaves the connection usable.
const (
	wsBadFrame    = "bad_frame"      // not JSON, not an object, a binary frame, a bad field
	wsUnknownType = "unknown_type"   // a type the server does not know
	wsInvalidUTF8 = "invalid_utf8"   // a text frame that is not UTF-8
	wsTooLarge    = "too_large"      // a frame over the frame limit
	wsInvalid     = "invalid_answer" // the answer is empty, too long or its id too long
	wsFinished    = "finished"       // the interview has finished
	wsBusy        = "busy"           // the interviewer is still answering
	wsRateLimited = "rate_limited"   // too many answers; retry after retry_after_ms
	wsNotFound    = "not_found"      // the session no longer exists (fatal)
	wsInternal    = "internal"       // the server failed; the details are in its log
)

// clientFrame is any frame a client sends; which fields count depends on
// Type. Unknown fields are ignored.
type clientFrame struct {
	Type    string `json:"type"`
	Text    string `json:"text"`     // answer
	ID      string `json:"id"`       // answer: the client's message id (idempotency)
	LastSeq *int64 `json:"last_seq"` // resume: the last interviewer seq the client has
}

type sessionFrame struct {
	Type      string `json:"type"`
	ID        string `json:"id"`
	Status    string `json:"status"`
	Questions int    `json:"questions"` // how many questions the interview has
	LastSeq   int64  `json:"last_seq"`  // the last interviewer message's seq, 0 if none yet
}

// messageFrame is a whole interviewer message: a question, a probe or the
// wrap-up.
type messageFrame struct {
	Type      string `json:"type"`
	Seq       int64  `json:"seq"`
	Text      string `json:"text"`
	Question  int    `json:"question"`            // 0-based index of the question it belongs to
	Dimension string `json:"dimension,omitempty"` // a probe's target
}

func newMessageFrame(m interview.Message) messageFrame {
	return messageFrame{Type: m.Kind, Seq: m.Seq, Text: m.Text, Question: m.Question, Dimension: m.Dimension}
}

type tokenFrame struct {
	Type string `json:"type"`
	Seq  int64  `json:"seq"`
	Text string `json:"text"`
}

type ackFrame struct {
	Type string `json:"type"`
	ID   string `json:"id,omitempty"`  // the client's message id, if it sent one
	Seq  int64  `json:"seq,omitempty"` // the answer's seq, when known
	// Duplicate says the answer had been stored before; its reply went to
	// whichever connection sent it first and is replayed here if this
	// connection has not seen it.
	Duplicate bool `json:"duplicate,omitempty"`
}

type noticeFrame struct {
	Type    string `json:"type"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

type scorecardFrame struct {
	Type      string               `json:"type"`
	Scorecard *interview.Scorecard `json:"scorecard"`
}

type resumedFrame struct {
	Type     string `json:"type"`
	LastSeq  int64  `json:"last_seq"` // the last interviewer seq sent on this connection
	Replayed int    `json:"replayed"` // how many messages the resume re-sent
}

type errorFrame struct {
	Type         string `json:"type"`
	Code         string `json:"code"`
	Message      string `json:"message"`
	Fatal        bool   `json:"fatal"`
	RetryAfterMS int64  `json:"retry_after_ms,omitempty"` // rate_limited only
}

type pongFrame struct {
	Type string `json:"type"`
}

// errorFrameFor maps an engine error to an error frame. It is to frames what
// errorResponse is to HTTP statuses; anything it does not recognise is
// internal and its details stay in the log.
func errorFrameFor(err error) errorFrame {
	f := errorFrame{Type: frameError}
	switch {
	case errors.Is(err, interview.ErrInvalidInput):
		f.Code, f.Message = wsInvalid, domainMessage(err)
	case errors.Is(err, interview.ErrFinished):
		f.Code, f.Message = wsFinished, "the interview has finished; its scorecard is ready"
	case errors.Is(err, interview.ErrBusy):
		f.Code, f.Message = wsBusy, "the interviewer is still answering; wait for the reply before answering again"
	case errors.Is(err, interview.ErrNotFound):
		f.Code, f.Message, f.Fatal = wsNotFound, "the session no longer exists", true
	default:
		f.Code, f.Message = wsInternal, "something went wrong on our side; try again"
	}
	return f
}

// domainMessage is the user-facing text of a domain error: the message
// without the sentinel's own prefix ("invalid input: ").
func domainMessage(err error) string {
	msg := err.Error()
	for _, sentinel := range []error{interview.ErrInvalidInput} {
		msg = strings.TrimPrefix(msg, sentinel.Error()+": ")
	}
	return msg
}
