package interview

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"barraiser/internal/knowledge"
	"barraiser/internal/retrieval"
	"barraiser/internal/rubric"
)

// Emitter receives what the engine says while it works: pieces of an
// interviewer message as they are written, whole messages once stored,
// non-fatal notices and the final scorecard. A transport relays them.
type Emitter interface {
	// Accepted reports a candidate answer as stored, before anything is
	// done with it.
	Accepted(m Message)
	Token(seq int64, text string)
	Message(m Message)
	Notice(code, message string)
	Scorecard(sc *Scorecard)
}

// Config wires an Engine.
type Config struct {
	Store Store
	// Interviewer words each turn; Fallback (normally the scripted one)
	// takes the turn whenever Interviewer fails, so an interview never
	// stalls. Fallback may be nil only in tests.
	Interviewer Interviewer
	Fallback    Interviewer
	// Retriever grounds probes with exemplars; nil means none.
	Retriever Retriever
	// Pack provides the question bank and probe phrasings.
	Pack   *knowledge.Pack
	Logger *slog.Logger
	Now    func() time.Time
	// Observer is told about sessions, turns and probes (metrics); nil
	// means nobody listens.
	Observer Observer
}

// Observer receives the engine's events, e.g. to count them.
type Observer interface {
	SessionStarted()
	SessionFinished(decision string)
	Turn(kind string)            // an interviewer message was stored
	Probe(target string)         // a probe aimed at a dimension or red flag
	Fallback(interviewer string) // the fallback took a turn from this interviewer
	Retrieval(d time.Duration, err error)
}

type nopObserver struct{}

func (nopObserver) SessionStarted()                {}
func (nopObserver) SessionFinished(string)         {}
func (nopObserver) Turn(string)                    {}
func (nopObserver) Probe(string)                   {}
func (nopObserver) Fallback(string)                {}
func (nopObserver) Retrieval(time.Duration, error) {}

// Engine runs interviews. It is safe for concurrent use; the turns of one
// session are serialised.
type Engine struct {
	cfg   Config
	log   *slog.Logger
	mu    sync.Mutex
	locks map[string]*sessionLock
}

type sessionLock struct {
	mu   sync.Mutex
	refs int
}

// NewEngine returns an engine.
func NewEngine(cfg Config) *Engine {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Observer == nil {
		cfg.Observer = nopObserver{}
	}
	return &Engine{cfg: cfg, log: cfg.Logger, locks: map[string]*sessionLock{}}
}

// lock serialises the turns of one session and returns the unlock.
func (e *Engine) lock(id string) func() {
	e.mu.Lock()
	l := e.locks[id]
	if l == nil {
		l = &sessionLock{}
		e.locks[id] = l
	}
	l.refs++
	e.mu.Unlock()
	l.mu.Lock()
	return func() {
		l.mu.Unlock()
		e.mu.Lock()
		l.refs--
		if l.refs == 0 {
			delete(e.locks, id)
		}
		e.mu.Unlock()
	}
}

// StartRequest describes a new interview.
type StartRequest struct {
	// Principles to ask about; empty means any. Ignored when Questions
	// is set.
	Principles []string
	// Questions, when set, are asked in order (a recruiter's question set).
	Questions          []Question
	QuestionSetID      string
	QuestionSetVersion int
	Level              string
	NumQuestions       int // 0 means DefaultQuestions
	ProbesPerQuestion  int // 0 means DefaultProbes
	ProbeOrder         []string
	Org, Candidate     string
	// TimeLimitMinutes bounds the interview (0: no limit).
	TimeLimitMinutes int
}

// Start creates a session and returns it with its bearer token (shown
// once; only its hash is stored).
func (e *Engine) Start(ctx context.Context, req StartRequest) (*Session, string, error) {
	level := rubric.DefaultLevel
	if req.Level != "" {
		l, ok := normaliseLevel(req.Level)
		if !ok {
			return nil, "", fmt.Errorf("%w: level %q is not one of L4, L5, L6, L7", ErrInvalidInput, req.Level)
		}
		level = l
	}
	n := req.NumQuestions
	if n == 0 {
		n = DefaultQuestions
	}
	if n < 1 || n > MaxQuestions {
		return nil, "", fmt.Errorf("%w: questions must be between 1 and %d", ErrInvalidInput, MaxQuestions)
	}
	probes := req.ProbesPerQuestion
	if probes == 0 {
		probes = DefaultProbes
	}
	if probes < 0 || probes > MaxProbes {
		return nil, "", fmt.Errorf("%w: probes per question must be between 0 and %d", ErrInvalidInput, MaxProbes)
	}
	if req.TimeLimitMinutes < 0 {
		return nil, "", fmt.Errorf("%w: the time limit must not be negative", ErrInvalidInput)
	}
	for _, d := range req.ProbeOrder {
		if !probeable(d) {
			return nil, "", fmt.Errorf("%w: probe order names %q, which cannot be probed", ErrInvalidInput, d)
		}
	}
	id, err := randomID(16)
	if err != nil {
		return nil, "", err
	}
	token, err := randomID(32)
	if err != nil {
		return nil, "", err
	}
	questions := req.Questions
	if len(questions) == 0 {
		questions, err = e.pickQuestions(id, req.Principles, n)
		if err != nil {
			return nil, "", err
		}
	}
	now := e.cfg.Now().UTC()
	s := &Session{
		ID: id, TokenHash: HashToken(token), Org: req.Org, Candidate: req.Candidate,
		QuestionSetID: req.QuestionSetID, QuestionSetVersion: req.QuestionSetVersion,
		Level: level, Questions: questions, ProbesPerQuestion: probes, ProbeOrder: req.ProbeOrder,
		TimeLimitMinutes: req.TimeLimitMinutes, Status: StatusActive, Probed: make([][]string, len(questions)), CreatedAt: now, UpdatedAt: now,
	}
	for i := range s.Probed {
		s.Probed[i] = []string{}
	}
	if err := e.cfg.Store.CreateSession(ctx, s); err != nil {
		return nil, "", fmt.Errorf("create session: %w", err)
	}
	e.cfg.Observer.SessionStarted()
	e.log.Info("session started", slog.String("session", id), slog.String("level", level), slog.Int("questions", len(questions)))
	return s, token, nil
}

// pickQuestions chooses n questions from the pack, cycling through the
// requested principles (all of them when none is named). The choice is
// deterministic for a session id.
func (e *Engine) pickQuestions(id string, principles []string, n int) ([]Question, error) {
	if e.cfg.Pack == nil {
		return nil, fmt.Errorf("%w: no question bank is configured", ErrInvalidInput)
	}
	var pool []knowledge.Principle
	if len(principles) == 0 {
		pool = e.cfg.Pack.Principles
	}
	for _, name := range principles {
		p, ok := e.cfg.Pack.Principle(name)
		if !ok {
			return nil, fmt.Errorf("%w: unknown principle %q", ErrInvalidInput, name)
		}
		pool = append(pool, p)
	}
	seed := hash64(id)
	start := int(seed % uint64(len(pool)))
	out := make([]Question, 0, n)
	used := map[string]bool{}
	for i := 0; len(out) < n && i < n*len(pool)+len(pool); i++ {
		p := pool[(start+i)%len(pool)]
		qs := p.Questions
		for k := range qs {
			q := qs[(int(seed>>8)+i+k)%len(qs)]
			if used[q.ID] {
				continue
			}
			used[q.ID] = true
			out = append(out, Question{ID: q.ID, Principle: p.Name, Text: q.Text})
			break
		}
	}
	if len(out) < n {
		return nil, fmt.Errorf("%w: the chosen principles have only %d questions", ErrInvalidInput, len(out))
	}
	return out, nil
}

// Authorize returns the session when token is its bearer token.
func (e *Engine) Authorize(ctx context.Context, id, token string) (*Session, error) {
	s, err := e.cfg.Store.Session(ctx, id)
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare([]byte(HashToken(token)), []byte(s.TokenHash)) != 1 {
		return nil, ErrNotFound // an unknown session and a wrong token look the same
	}
	return s, nil
}

// Open makes sure the interview has begun: the first time it asks the
// first question (with a greeting). It is safe to call on every connect.
func (e *Engine) Open(ctx context.Context, id string, emit Emitter) error {
	defer e.lock(id)()
	s, msgs, err := e.cfg.Store.SessionWithMessages(ctx, id)
	if err != nil {
		return err
	}
	if s.Status == StatusFinished {
		return nil
	}
	if len(msgs) == 0 {
		return e.ask(ctx, s, 0, 1, emit)
	}
	if pending(msgs) {
		// The last turn was cut short (the client left while the
		// interviewer was replying, or the server stopped): finish it.
		return e.respond(ctx, s, msgs, emit)
	}
	return nil
}

// pending reports an answer that no interviewer message followed.
func pending(msgs []Message) bool {
	return len(msgs) > 0 && msgs[len(msgs)-1].Role == RoleCandidate
}

// Replay returns the interviewer messages after seq, for a client that
// reconnects; its own answers it already has.
func (e *Engine) Replay(ctx context.Context, id string, afterSeq int64) ([]Message, error) {
	msgs, err := e.cfg.Store.Messages(ctx, id, afterSeq)
	if err != nil {
		return nil, fmt.Errorf("load messages: %w", err)
	}
	out := msgs[:0]
	for _, m := range msgs {
		if m.Role == RoleInterviewer {
			out = append(out, m)
		}
	}
	return out, nil
}

// Answer stores the candidate's answer — before acting on it — and then
// has the interviewer probe, move on or wrap up. An answer whose clientID
// was already stored is acknowledged and not acted on twice.
func (e *Engine) Answer(ctx context.Context, id, clientID, text string, emit Emitter) error {
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return fmt.Errorf("%w: the answer is empty", ErrInvalidInput)
	case len(text) > MaxAnswerBytes:
		return fmt.Errorf("%w: the answer is %d bytes; the limit is %d", ErrInvalidInput, len(text), MaxAnswerBytes)
	case !utf8.ValidString(text):
		return fmt.Errorf("%w: the answer is not valid UTF-8", ErrInvalidInput)
	case strings.ContainsRune(text, 0):
		return fmt.Errorf("%w: the answer contains a NUL character", ErrInvalidInput)
	case len(clientID) > 128:
		return fmt.Errorf("%w: the message id is longer than 128 bytes", ErrInvalidInput)
	}
	defer e.lock(id)()
	s, msgs, err := e.cfg.Store.SessionWithMessages(ctx, id)
	if err != nil {
		return err
	}
	if s.Status == StatusFinished {
		return ErrFinished
	}
	if len(msgs) == 0 {
		return ErrBusy // the first question has not been asked yet
	}
	if pending(msgs) {
		// A turn was cut short. Its answer is stored, so finish the turn
		// now; a different answer sent meanwhile must wait for it.
		if err := e.respond(ctx, s, msgs, emit); err != nil {
			return err
		}
		if last := msgs[len(msgs)-1]; clientID != "" && last.ClientID == clientID {
			return nil
		}
		return ErrBusy
	}
	m := Message{Role: RoleCandidate, Kind: KindAnswer, Text: text, Question: s.Current, ClientID: clientID, At: e.cfg.Now().UTC()}
	// The answer is stored while the next turn is worked out (scoring and
	// retrieval say nothing to anyone); the interviewer is asked only once
	// the answer is safe.
	type appended struct {
		saved  Message
		stored bool
		err    error
	}
	done := make(chan appended, 1)
	go func() {
		saved, stored, err := e.cfg.Store.AppendMessage(ctx, id, m)
		done <- appended{saved, stored, err}
	}()
	t, decideErr := e.decide(ctx, s, append(msgs, m))
	a := <-done
	switch {
	case a.err != nil:
		return fmt.Errorf("store answer: %w", a.err)
	case !a.stored:
		return nil // already answered: the turn that followed it was sent then
	}
	emit.Accepted(a.saved)
	e.log.Info("answer stored", slog.String("session", id), slog.Int64("seq", a.saved.Seq), slog.Int("question", s.Current))
	if decideErr != nil {
		return decideErr
	}
	return e.act(ctx, s, append(msgs, a.saved), t, emit)
}

// respond decides what follows the last answer in msgs — a probe, the
// next question or the wrap-up — and has the interviewer say it.
func (e *Engine) respond(ctx context.Context, s *Session, msgs []Message, emit Emitter) error {
	t, err := e.decide(ctx, s, msgs)
	if err != nil {
		return err
	}
	return e.act(ctx, s, msgs, t, emit)
}

// turn is what follows an answer: a probe aimed at plan.Target (with the
// exemplars that ground it), the next question, or the wrap-up.
type turn struct {
	kind      string // KindProbe, KindQuestion or KindWrapUp
	plan      Plan
	exemplars []retrieval.Match
}

// decide works out the turn that follows the last answer in msgs. It reads
// the session and the answer's text but changes nothing and says nothing,
// so it may run while the answer is still being stored.
func (e *Engine) decide(ctx context.Context, s *Session, msgs []Message) (turn, error) {
	tr := questionTranscript(s, msgs, s.Current)
	sc, err := rubric.Score(tr)
	if err != nil {
		return turn{}, fmt.Errorf("score answer: %w", err)
	}
	plan := NextProbe(sc, rubric.Hints(tr), s.Probed[s.Current], s.ProbeOrder, s.ProbesPerQuestion)
	switch {
	case s.TimeLimitMinutes > 0 && !e.cfg.Now().Before(s.CreatedAt.Add(time.Duration(s.TimeLimitMinutes)*time.Minute)):
		e.log.Info("time limit reached", slog.String("session", s.ID), slog.Int("minutes", s.TimeLimitMinutes))
	case plan.Target != "":
		return turn{kind: KindProbe, plan: plan, exemplars: e.exemplars(ctx, s, plan.Target, lastAnswer(msgs))}, nil
	case s.Current+1 < len(s.Questions):
		return turn{kind: KindQuestion}, nil
	}
	return turn{kind: KindWrapUp}, nil
}

// act has the interviewer say t; msgs ends with the stored answer.
func (e *Engine) act(ctx context.Context, s *Session, msgs []Message, t turn, emit Emitter) error {
	next := msgs[len(msgs)-1].Seq + 1
	switch t.kind {
	case KindProbe:
		return e.probe(ctx, s, msgs, t, next, emit)
	case KindQuestion:
		s.Current++
		s.UpdatedAt = e.cfg.Now().UTC()
		return e.ask(ctx, s, s.Current, next, emit)
	}
	_, err := e.finish(ctx, s, msgs, next, emit)
	return err
}

// End finishes the interview now and emits the scorecard.
func (e *Engine) End(ctx context.Context, id string, emit Emitter) (*Scorecard, error) {
	defer e.lock(id)()
	s, msgs, err := e.cfg.Store.SessionWithMessages(ctx, id)
	if err != nil {
		return nil, err
	}
	if s.Status == StatusFinished {
		sc, err := e.cfg.Store.Scorecard(ctx, id)
		if err == nil {
			emit.Scorecard(sc)
		}
		return sc, err
	}
	var next int64 = 1
	if len(msgs) > 0 {
		next = msgs[len(msgs)-1].Seq + 1
	}
	// Not read back from the store: the client has the scorecard by now
	// and may be gone, and a query cancelled with it costs the pool its
	// connection.
	return e.finish(ctx, s, msgs, next, emit)
}

// overdueBatch bounds the interviews one EndOverdue call ends.
const overdueBatch = 100

// EndOverdue finishes the interviews whose time limit has passed (a
// candidate who walked away) with their wrap-up and scorecard, so the
// recruiter sees a result; an interview whose candidate is still there
// ends the same way at their next answer. It returns how many it ended.
func (e *Engine) EndOverdue(ctx context.Context) (int, error) {
	ids, err := e.cfg.Store.OverdueSessions(ctx, e.cfg.Now().UTC(), overdueBatch)
	if err != nil {
		return 0, fmt.Errorf("overdue sessions: %w", err)
	}
	n := 0
	for _, id := range ids {
		switch _, err := e.End(ctx, id, discard{}); {
		case err == nil:
			n++
			e.log.Info("time limit passed; interview ended", slog.String("session", id))
		case errors.Is(err, ErrNotFound), ctx.Err() != nil:
			// Deleted meanwhile, or shutting down.
		default:
			e.log.Error("end overdue interview", slog.String("session", id), slog.Any("error", err))
		}
	}
	return n, ctx.Err()
}

// discard is an Emitter for interviews nobody is connected to.
type discard struct{}

func (discard) Accepted(Message)      {}
func (discard) Token(int64, string)   {}
func (discard) Message(Message)       {}
func (discard) Notice(string, string) {}
func (discard) Scorecard(*Scorecard)  {}

// Scorecard returns a finished session's scorecard.
func (e *Engine) Scorecard(ctx context.Context, id string) (*Scorecard, error) {
	s, err := e.cfg.Store.Session(ctx, id)
	if err != nil {
		return nil, err
	}
	if s.Status != StatusFinished {
		return nil, fmt.Errorf("%w: the interview has not finished", ErrNotFound)
	}
	return e.cfg.Store.Scorecard(ctx, id)
}

// ask puts question q to the candidate (greeting them first when seq is
// 1). A later question (q > 0) saves s, whose Current has moved to q, while
// the interviewer words it.
func (e *Engine) ask(ctx context.Context, s *Session, q int, seq int64, emit Emitter) error {
	question := s.Questions[q]
	p := Prompt{
		Kind: KindQuestion, SessionID: s.ID, Level: s.Level, Principle: question.Principle,
		Question: question.Text, Number: q + 1, Count: len(s.Questions), First: seq == 1,
	}
	var (
		text string
		err  error
	)
	if q > 0 {
		text, err = e.speakSaving(ctx, s, p, seq, emit)
	} else {
		text, err = e.speak(ctx, p, seq, emit)
	}
	if err != nil {
		return err
	}
	return e.store(ctx, s, Message{Role: RoleInterviewer, Kind: KindQuestion, Text: text, Question: q}, emit)
}

// probe asks a follow-up aimed at plan.Target.
func (e *Engine) probe(ctx context.Context, s *Session, msgs []Message, t turn, seq int64, emit Emitter) error {
	plan := t.plan
	question := s.Questions[s.Current]
	p := Prompt{
		Kind: KindProbe, SessionID: s.ID, Level: s.Level, Principle: question.Principle,
		Question: question.Text, Number: s.Current + 1, Count: len(s.Questions),
		Dimension: plan.Target, Cue: plan.Cue, History: questionMessages(msgs, s.Current),
		Previous: previousProbes(msgs),
	}
	for _, pr := range question.Probes {
		if pr.Dimension == plan.Target {
			p.Own = append(p.Own, pr.Text)
			p.Suggested = append(p.Suggested, pr.Text)
		}
	}
	if e.cfg.Pack != nil {
		p.Suggested = append(p.Suggested, e.cfg.Pack.Probes(plan.Target, question.Principle)...)
	}
	p.Exemplars = t.exemplars
	s.Probed[s.Current] = append(s.Probed[s.Current], plan.Target)
	s.UpdatedAt = e.cfg.Now().UTC()
	text, err := e.speakSaving(ctx, s, p, seq, emit)
	if err != nil {
		return err
	}
	e.cfg.Observer.Probe(plan.Target)
	e.log.Info("probe", slog.String("session", s.ID), slog.String("dimension", plan.Target))
	return e.store(ctx, s, Message{Role: RoleInterviewer, Kind: KindProbe, Text: text, Dimension: plan.Target, Question: s.Current}, emit)
}

// exemplars finds the weak and strong exemplars nearest to the answer on
// the probe's target. Retrieval failing never stops an interview.
func (e *Engine) exemplars(ctx context.Context, s *Session, target, answer string) []retrieval.Match {
	if e.cfg.Retriever == nil || answer == "" {
		return nil
	}
	q := retrieval.Query{Text: answer, K: 4, Filter: retrieval.Filter{Dimension: target, Org: s.Org}}
	if len(q.Text) > retrieval.MaxQueryBytes {
		q.Text = q.Text[:retrieval.MaxQueryBytes]
		for !utf8.ValidString(q.Text) {
			q.Text = q.Text[:len(q.Text)-1]
		}
	}
	start := time.Now()
	ms, err := e.cfg.Retriever.Search(ctx, q)
	e.cfg.Observer.Retrieval(time.Since(start), err)
	if err != nil {
		e.log.Warn("retrieval failed", slog.String("session", s.ID), slog.Any("error", err))
		return nil
	}
	return ms
}

// finish wraps up, scores every question of msgs (the session's messages
// so far), stores the scorecard and returns it.
func (e *Engine) finish(ctx context.Context, s *Session, msgs []Message, seq int64, emit Emitter) (*Scorecard, error) {
	p := Prompt{Kind: KindWrapUp, SessionID: s.ID, Level: s.Level, Number: s.Current + 1, Count: len(s.Questions)}
	text, err := e.speak(ctx, p, seq, emit)
	if err != nil {
		return nil, err
	}
	if err := e.store(ctx, s, Message{Role: RoleInterviewer, Kind: KindWrapUp, Text: text, Question: s.Current}, emit); err != nil {
		return nil, err
	}
	sc := Score(s, msgs)
	if err := e.cfg.Store.SaveScorecard(ctx, s.ID, sc); err != nil {
		return nil, fmt.Errorf("save scorecard: %w", err)
	}
	now := e.cfg.Now().UTC()
	s.Status, s.FinishedAt, s.UpdatedAt = StatusFinished, &now, now
	if err := e.cfg.Store.UpdateSession(ctx, s); err != nil {
		return nil, fmt.Errorf("update session: %w", err)
	}
	e.cfg.Observer.SessionFinished(sc.Decision)
	e.log.Info("session finished", slog.String("session", s.ID), slog.String("decision", sc.Decision))
	emit.Scorecard(sc)
	return sc, nil
}

// speak has the interviewer word a turn, streaming tokens under seq. When
// the interviewer fails (and the caller has not gone), the fallback takes
// the turn and the client is told, without the interview stalling.
func (e *Engine) speak(ctx context.Context, p Prompt, seq int64, emit Emitter) (string, error) {
	token := func(t string) { emit.Token(seq, t) }
	text, err := e.cfg.Interviewer.Speak(ctx, p, token)
	if err == nil && strings.TrimSpace(text) != "" {
		return text, nil
	}
	if ctx.Err() != nil {
		return "", ctx.Err()
	}
	if e.cfg.Fallback == nil {
		if err == nil {
			err = errors.New("empty reply")
		}
		return "", fmt.Errorf("interviewer: %w", err)
	}
	e.log.Warn("interviewer failed; scripted interviewer takes the turn", slog.String("session", p.SessionID), slog.Any("error", err))
	e.cfg.Observer.Fallback(e.cfg.Interviewer.Name())
	emit.Notice("interviewer_fallback", "The interviewer is briefly unavailable; a scripted interviewer is taking this turn.")
	text, err = e.cfg.Fallback.Speak(ctx, p, token)
	if err != nil {
		return "", fmt.Errorf("fallback interviewer: %w", err)
	}
	return text, nil
}

// speakSaving is speak while s is saved: the interviewer's request need not
// wait for the store. Nothing else touches s meanwhile, and the turn's
// message is stored only after both have succeeded, so a failed save
// leaves the answer pending and the turn is redone on the next connect,
// exactly as if the save had come first.
func (e *Engine) speakSaving(ctx context.Context, s *Session, p Prompt, seq int64, emit Emitter) (string, error) {
	saved := make(chan error, 1)
	go func() { saved <- e.cfg.Store.UpdateSession(ctx, s) }()
	text, err := e.speak(ctx, p, seq, emit)
	if serr := <-saved; serr != nil {
		return "", fmt.Errorf("update session: %w", serr)
	}
	return text, err
}

// store appends an interviewer message and emits it.
func (e *Engine) store(ctx context.Context, s *Session, m Message, emit Emitter) error {
	m.At = e.cfg.Now().UTC()
	saved, _, err := e.cfg.Store.AppendMessage(ctx, s.ID, m)
	if err != nil {
		return fmt.Errorf("store message: %w", err)
	}
	e.cfg.Observer.Turn(m.Kind)
	emit.Message(saved)
	return nil
}

// Score scores a session's messages: one scorecard per question that has
// an answer, and the overall one (the weakest answer's), with evidence
// turns renumbered to index the whole transcript.
func Score(s *Session, msgs []Message) *Scorecard {
	out := &Scorecard{SessionID: s.ID, Questions: []QuestionScore{}, Transcript: []rubric.Turn{}}
	offsets := map[int]int{} // question → index of its first turn in the transcript
	for _, m := range msgs {
		if m.Kind == KindWrapUp {
			continue
		}
		if _, ok := offsets[m.Question]; !ok {
			offsets[m.Question] = len(out.Transcript)
		}
		out.Transcript = append(out.Transcript, rubric.Turn{Role: m.Role, Text: m.Text})
	}
	worst := -1
	for q := range s.Questions {
		tr := questionTranscript(s, msgs, q)
		if tr.Validate() != nil {
			continue // no answer to this question
		}
		sc, _ := rubric.Score(tr)
		shift(&sc, offsets[q])
		out.Questions = append(out.Questions, QuestionScore{Index: q, Principle: s.Questions[q].Principle, Question: s.Questions[q].Text, Scorecard: sc})
		if worst < 0 || rank(sc.Decision) < rank(out.Questions[worst].Scorecard.Decision) {
			worst = len(out.Questions) - 1
		}
	}
	if worst >= 0 {
		out.Scorecard = out.Questions[worst].Scorecard
		return out
	}
	// No answer at all: score the empty interview as no real example.
	sc, _ := rubric.Score(rubric.Transcript{Level: s.Level, Turns: []rubric.Turn{{Role: RoleCandidate, Text: ""}}})
	out.Scorecard = sc
	return out
}

func rank(decision string) int {
	switch decision {
	case rubric.StrongHire:
		return 3
	case rubric.Hire:
		return 2
	case rubric.NoHire:
		return 1
	}
	return 0
}

// shift renumbers evidence turns by off.
func shift(sc *rubric.Scorecard, off int) {
	move := func(ev []rubric.Evidence) {
		for i := range ev {
			ev[i].Turn += off
		}
	}
	for i := range sc.Dimensions {
		move(sc.Dimensions[i].Evidence)
		if c := sc.Dimensions[i].Cue; c != nil {
			c.Turn += off
		}
	}
	for i := range sc.RedFlags {
		move(sc.RedFlags[i].Evidence)
	}
}

// questionTranscript is the rubric transcript of question q's exchange.
func questionTranscript(s *Session, msgs []Message, q int) rubric.Transcript {
	question := s.Questions[q]
	t := rubric.Transcript{Principle: question.Principle, Question: question.Text, Level: s.Level}
	for _, m := range questionMessages(msgs, q) {
		t.Turns = append(t.Turns, rubric.Turn{Role: m.Role, Text: m.Text})
	}
	return t
}

func questionMessages(msgs []Message, q int) []Message {
	var out []Message
	for _, m := range msgs {
		if m.Question == q && m.Kind != KindWrapUp {
			out = append(out, m)
		}
	}
	return out
}

func previousProbes(msgs []Message) []string {
	var out []string
	for _, m := range msgs {
		if m.Kind == KindProbe {
			out = append(out, m.Text)
		}
	}
	return out
}

func lastAnswer(msgs []Message) string {
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Role == RoleCandidate {
			return msgs[i].Text
		}
	}
	return ""
}

// HashToken is the stored form of a session token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func randomID(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random id: %w", err)
	}
	return hex.EncodeToString(b), nil
}

func hash64(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

func normaliseLevel(s string) (string, bool) {
	switch l := strings.ToUpper(strings.TrimSpace(s)); l {
	case rubric.LevelL4, rubric.LevelL5, rubric.LevelL6, rubric.LevelL7:
		return l, true
	}
	return "", false
}
