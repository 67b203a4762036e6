package interview_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"barraiser/internal/interview"
	"barraiser/internal/knowledge"
	"barraiser/internal/llm/scripted"
	"barraiser/internal/rubric"
	"barraiser/internal/store/memory"
)

// recorder is an Emitter that keeps everything it is sent.
type recorder struct {
	mu       sync.Mutex
	tokens   map[int64]string
	messages []interview.Message
	notices  []string
	card     *interview.Scorecard
}

func newRecorder() *recorder { return &recorder{tokens: map[int64]string{}} }

func (r *recorder) Accepted(interview.Message)   {}
func (r *recorder) Token(seq int64, text string) { r.mu.Lock(); r.tokens[seq] += text; r.mu.Unlock() }
func (r *recorder) Message(m interview.Message) {
	r.mu.Lock()
	r.messages = append(r.messages, m)
	r.mu.Unlock()
}
func (r *recorder) Notice(code, _ string) {
	r.mu.Lock()
	r.notices = append(r.notices, code)
	r.mu.Unlock()
}
func (r *recorder) Scorecard(sc *interview.Scorecard) { r.mu.Lock(); r.card = sc; r.mu.Unlock() }

func (r *recorder) last() interview.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.messages[len(r.messages)-1]
}

// openInterview starts an Ownership interview on e and opens it with a
// fresh recorder.
func openInterview(t *testing.T, e *interview.Engine) (string, *recorder) {
	t.Helper()
	s, _, err := e.Start(t.Context(), interview.StartRequest{Principles: []string{"Ownership"}})
	if err != nil {
		t.Fatal(err)
	}
	rec := newRecorder()
	if err := e.Open(t.Context(), s.ID, rec); err != nil {
		t.Fatal(err)
	}
	return s.ID, rec
}

func newEngine(t *testing.T, iv interview.Interviewer) *interview.Engine {
	t.Helper()
	pack, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	return interview.NewEngine(interview.Config{
		Store: memory.NewSessions(), Interviewer: iv, Fallback: scripted.New(), Pack: pack,
	})
}

const strongAnswer = "Last spring I noticed our payment notifications were losing about 0.3 percent of events; the service belongs to the platform team and nobody asked me to look. " +
	"I pulled a week of delivery logs and matched every queued event against every acknowledged one. I found a race between two workers claiming the same event. " +
	"I wrote a fix that made the claim a conditional write, went through two review rounds with their lead, and rolled it out behind a flag over a week. " +
	"The drop rate went from 0.3 percent to zero, which I worked out from our weekly payment volume was worth about $8K a week. " +
	"I also added an alert on undelivered events because the loss had gone unseen for months, and two other teams have since adopted the same claim pattern."

func TestWholeScriptedInterview(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, scripted.New())
	s, token, err := e.Start(ctx, interview.StartRequest{Principles: []string{"Ownership"}, Level: "L5", ProbesPerQuestion: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Authorize(ctx, s.ID, token); err != nil {
		t.Fatalf("Authorize with the right token: %v", err)
	}
	if _, err := e.Authorize(ctx, s.ID, "wrong"); !errors.Is(err, interview.ErrNotFound) {
		t.Fatalf("Authorize with a wrong token: %v, want ErrNotFound", err)
	}
	rec := newRecorder()
	if err := e.Open(ctx, s.ID, rec); err != nil {
		t.Fatal(err)
	}
	first := rec.last()
	if first.Kind != interview.KindQuestion || first.Seq != 1 || !strings.Contains(first.Text, s.Questions[0].Text) {
		t.Fatalf("first message = %+v, want question 1 with the question text", first)
	}
	if rec.tokens[1] != first.Text {
		t.Fatalf("streamed tokens %q do not add up to the message %q", rec.tokens[1], first.Text)
	}
	// Opening again (a reconnect) asks nothing new.
	if err := e.Open(ctx, s.ID, rec); err != nil || len(rec.messages) != 1 {
		t.Fatalf("second Open: %v, %d messages", err, len(rec.messages))
	}

	answers := []string{
		strongAnswer,
		"Looking back, the real cause was that nobody owned delivery across the team boundary, so I'd push for a shared SLO between platform and the consuming teams much earlier.",
		"That's all there was to it.",
	}
	for i := 0; rec.card == nil && i < len(answers); i++ {
		if err := e.Answer(ctx, s.ID, "m"+string(rune('a'+i)), answers[i], rec); err != nil {
			t.Fatalf("answer %d: %v", i, err)
		}
	}
	if rec.card == nil {
		t.Fatal("no scorecard after the answers")
	}
	if rec.card.Decision != rubric.StrongHire && rec.card.Decision != rubric.Hire {
		t.Fatalf("decision = %s, want a hire-side decision for a strong answer (%s)", rec.card.Decision, rec.card.Summary)
	}
	for _, d := range rec.card.Dimensions {
		for _, ev := range d.Evidence {
			if !strings.Contains(rec.card.Transcript[ev.Turn].Text, ev.Quote) {
				t.Fatalf("%s: quote %q is not in transcript turn %d", d.ID, ev.Quote, ev.Turn)
			}
		}
	}
	if got, err := e.Scorecard(ctx, s.ID); err != nil || got.Decision != rec.card.Decision {
		t.Fatalf("Scorecard after finishing: %v, %v", got, err)
	}
	if err := e.Answer(ctx, s.ID, "late", "one more thing", rec); !errors.Is(err, interview.ErrFinished) {
		t.Fatalf("answer after the end: %v, want ErrFinished", err)
	}
}

func TestProbesTargetWhatIsMissing(t *testing.T) {
	cases := []struct {
		name, answer, want string
	}{
		{"a we-heavy answer gets an ownership probe",
			"Last year our payment notifications were losing events, and it wasn't our team's service. We dug through a week of delivery logs together and we matched every queued event against every acknowledged one. We found a race between two workers claiming the same event. We wrote a fix that made the claim a conditional write, we got it reviewed by their lead and we rolled it out behind a flag over a week. The drop rate went from 0.3 percent to zero.",
			rubric.FirstPersonActions},
		{"an answer with no numbers gets a metrics probe",
			"Last year I noticed our payment notifications were losing events; the service belongs to the platform team and nobody asked me. I pulled a week of delivery logs and matched queued against acknowledged events. I found a race between two workers. I wrote a fix that made the claim a conditional write, got it reviewed by their lead and rolled it out behind a flag. After that things got much better and the team was happy.",
			rubric.MetricDelta},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			e := newEngine(t, scripted.New())
			id, rec := openInterview(t, e)
			if err := e.Answer(ctx, id, "1", c.answer, rec); err != nil {
				t.Fatal(err)
			}
			m := rec.last()
			if m.Kind != interview.KindProbe || m.Dimension != c.want {
				t.Fatalf("after the answer: %s on %q (%q), want a probe on %s", m.Kind, m.Dimension, m.Text, c.want)
			}
		})
	}
}

func TestAnswerIsIdempotent(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, scripted.New())
	id, rec := openInterview(t, e)
	for range 3 {
		if err := e.Answer(ctx, id, "same-id", strongAnswer, rec); err != nil {
			t.Fatal(err)
		}
	}
	msgs, _ := e.Replay(ctx, id, 0)
	if len(msgs) != 2 {
		t.Fatalf("interviewer messages after one answer sent three times = %d, want 2", len(msgs))
	}
}

func TestBadAnswers(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, scripted.New())
	s, _, _ := e.Start(ctx, interview.StartRequest{})
	rec := newRecorder()
	e.Open(ctx, s.ID, rec)
	for name, text := range map[string]string{
		"empty":     "   ",
		"too long":  strings.Repeat("a", interview.MaxAnswerBytes+1),
		"bad UTF-8": "caf\xe9",
		"NUL":       "a\x00b",
	} {
		if err := e.Answer(ctx, s.ID, "", text, rec); !errors.Is(err, interview.ErrInvalidInput) {
			t.Errorf("%s: %v, want ErrInvalidInput", name, err)
		}
	}
	if err := e.Answer(ctx, "nope", "", "hello", rec); !errors.Is(err, interview.ErrNotFound) {
		t.Errorf("unknown session: %v, want ErrNotFound", err)
	}
	if _, _, err := e.Start(ctx, interview.StartRequest{Principles: []string{"Telepathy"}}); !errors.Is(err, interview.ErrInvalidInput) {
		t.Errorf("unknown principle: %v, want ErrInvalidInput", err)
	}
	if _, _, err := e.Start(ctx, interview.StartRequest{Level: "L9"}); !errors.Is(err, interview.ErrInvalidInput) {
		t.Errorf("unknown level: %v, want ErrInvalidInput", err)
	}
}

// failing is an interviewer that is down.
type failing struct{}

func (failing) Name() string { return "failing" }
func (failing) Speak(context.Context, interview.Prompt, func(string)) (string, error) {
	return "", errors.New("connection refused")
}

func TestFallbackTakesTheTurn(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, failing{})
	s, _, _ := e.Start(ctx, interview.StartRequest{})
	rec := newRecorder()
	if err := e.Open(ctx, s.ID, rec); err != nil {
		t.Fatal(err)
	}
	if len(rec.messages) != 1 || len(rec.notices) != 1 || rec.notices[0] != "interviewer_fallback" {
		t.Fatalf("messages %d, notices %v: want the scripted question and one fallback notice", len(rec.messages), rec.notices)
	}
}

func TestEndScoresWhatThereIs(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, scripted.New())
	s, _, _ := e.Start(ctx, interview.StartRequest{NumQuestions: 2})
	rec := newRecorder()
	e.Open(ctx, s.ID, rec)
	e.Answer(ctx, s.ID, "1", strongAnswer, rec)
	sc, err := e.End(ctx, s.ID, rec)
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Questions) != 1 || rec.last().Kind != interview.KindWrapUp {
		t.Fatalf("End: %d question scores, last message %s; want 1 and a wrap-up", len(sc.Questions), rec.last().Kind)
	}
}

// cutShort is an interviewer whose reply is cut short the first time (the
// client went away mid-stream), then answers normally.
type cutShort struct {
	mu    sync.Mutex
	calls int
	inner interview.Interviewer
}

func (c *cutShort) Name() string { return "cut-short" }
func (c *cutShort) Speak(ctx context.Context, p interview.Prompt, token func(string)) (string, error) {
	c.mu.Lock()
	c.calls++
	n := c.calls
	c.mu.Unlock()
	if n == 2 { // the reply to the first answer
		return "", context.Canceled
	}
	return c.inner.Speak(ctx, p, token)
}

func TestInterruptedTurnIsFinishedLater(t *testing.T) {
	ctx := context.Background()
	iv := &cutShort{inner: scripted.New()}
	pack, _ := knowledge.Load()
	e := interview.NewEngine(interview.Config{Store: memory.NewSessions(), Interviewer: iv, Pack: pack})
	s, _, _ := e.Start(ctx, interview.StartRequest{NumQuestions: 2})
	rec := newRecorder()
	if err := e.Open(ctx, s.ID, rec); err != nil {
		t.Fatal(err)
	}
	if err := e.Answer(ctx, s.ID, "a1", strongAnswer, rec); err == nil {
		t.Fatal("the cut-short reply should fail the turn")
	}
	// The client reconnects: Open finishes the turn it missed.
	if err := e.Open(ctx, s.ID, rec); err != nil {
		t.Fatal(err)
	}
	msgs, _ := e.Replay(ctx, s.ID, 0)
	if len(msgs) != 2 {
		t.Fatalf("interviewer messages after reconnecting = %d, want the question and the reply to the stored answer", len(msgs))
	}
	// And the interview goes on.
	if err := e.Answer(ctx, s.ID, "a2", "Looking back, I would have added the alert before anything else.", rec); err != nil {
		t.Fatal(err)
	}
}

// brokenAppend is a store whose appends of candidate answers fail.
type brokenAppend struct{ interview.Store }

func (b brokenAppend) AppendMessage(ctx context.Context, id string, m interview.Message) (interview.Message, bool, error) {
	if m.Role == interview.RoleCandidate {
		return interview.Message{}, false, errors.New("disk full")
	}
	return b.Store.AppendMessage(ctx, id, m)
}

// counting is an interviewer that counts the turns it is asked to word.
type counting struct {
	interview.Interviewer
	mu    sync.Mutex
	turns []string
}

func (c *counting) Speak(ctx context.Context, p interview.Prompt, token func(string)) (string, error) {
	c.mu.Lock()
	c.turns = append(c.turns, p.Kind)
	c.mu.Unlock()
	return c.Interviewer.Speak(ctx, p, token)
}

// The next turn is worked out while the answer is being stored, but the
// interviewer is asked only once it is: an answer the store refuses gets
// no reply and its error comes back.
func TestNoReplyToAnAnswerNotStored(t *testing.T) {
	ctx := context.Background()
	pack, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	iv := &counting{Interviewer: scripted.New()}
	e := interview.NewEngine(interview.Config{
		Store: brokenAppend{memory.NewSessions()}, Interviewer: iv, Fallback: scripted.New(), Pack: pack,
	})
	id, rec := openInterview(t, e)
	err = e.Answer(ctx, id, "a1", "We shipped it and the team was happy.", rec)
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Answer with a failing store: %v, want the store's error", err)
	}
	if len(iv.turns) != 1 || len(rec.messages) != 1 {
		t.Errorf("interviewer turns %v, messages %d; want only the first question", iv.turns, len(rec.messages))
	}
}

// An interview whose time limit passes with nobody answering is ended by
// EndOverdue, wrap-up and scorecard included; once.
func TestEndOverdue(t *testing.T) {
	ctx := context.Background()
	pack, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	e := interview.NewEngine(interview.Config{
		Store: memory.NewSessions(), Interviewer: scripted.New(), Fallback: scripted.New(), Pack: pack,
		Now: func() time.Time { return now },
	})
	limited, _, err := e.Start(ctx, interview.StartRequest{Principles: []string{"Ownership"}, TimeLimitMinutes: 30})
	if err != nil {
		t.Fatal(err)
	}
	open, _, err := e.Start(ctx, interview.StartRequest{Principles: []string{"Ownership"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{limited.ID, open.ID} {
		if err := e.Open(ctx, id, newRecorder()); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		after time.Duration
		want  int
	}{
		{29 * time.Minute, 0},
		{30 * time.Minute, 1},
		{31 * time.Minute, 0}, // ended already
	} {
		now = time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC).Add(tc.after)
		n, err := e.EndOverdue(ctx)
		if err != nil || n != tc.want {
			t.Errorf("after %s: EndOverdue = %d, %v; want %d", tc.after, n, err, tc.want)
		}
	}
	if sc, err := e.Scorecard(ctx, limited.ID); err != nil || sc.Decision == "" {
		t.Errorf("scorecard of the overdue interview: %+v, %v", sc, err)
	}
	if _, err := e.Scorecard(ctx, open.ID); !errors.Is(err, interview.ErrNotFound) {
		t.Errorf("the interview without a limit was ended: %v", err)
	}
}
