// Package storetest holds behavioural tests that every implementation of
// a store interface must pass, so the in-memory and PostgreSQL stores are
// held to one contract:
//
//	func TestSessions(t *testing.T) {
//		storetest.SessionStoreSuite(t, func(t *testing.T) interview.Store { return memory.NewSessions() })
//	}
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"barraiser/internal/interview"
	"barraiser/internal/rubric"
)

// SessionStoreSuite tests an interview.Store. newStore returns the store
// a subtest works on; it may hold sessions of other tests (every session
// the suite makes has a fresh random id) and must be safe for concurrent
// use. The subtests run in parallel.
func SessionStoreSuite(t *testing.T, newStore func(t *testing.T) interview.Store) {
	t.Helper()
	for _, tc := range []struct {
		name string
		f    func(t *testing.T, st interview.Store)
	}{
		{"CreateGetRoundTrip", testRoundTrip},
		{"CreateTwiceFails", testCreateTwice},
		{"UnknownIDNotFound", testNotFound},
		{"AppendAssignsSeq", testAppendSeq},
		{"DuplicateClientID", testDuplicateClientID},
		{"MessagesAfterSeq", testMessagesAfter},
		{"SessionWithMessages", testSessionWithMessages},
		{"OverdueSessions", testOverdueSessions},
		{"ConcurrentAppend", testConcurrentAppend},
		{"UpdateThenGet", testUpdate},
		{"Scorecard", testScorecard},
		{"CancelledContext", testCancelled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.f(t, newStore(t))
		})
	}
}

// NewID is a fresh random session id.
func NewID() string { return "test-" + rand.Text() }

// At is a time the stores keep exactly: UTC, whole microseconds (what
// PostgreSQL's timestamptz holds).
func At(offset time.Duration) time.Time {
	return time.Date(2025, 3, 14, 15, 9, 26, 535897000, time.UTC).Add(offset)
}

// NewSession is a session with every field set, not yet stored.
func NewSession() *interview.Session {
	return &interview.Session{
		ID:                 NewID(),
		TokenHash:          "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		Org:                "acme",
		QuestionSetID:      "qs-1",
		QuestionSetVersion: 3,
		Candidate:          "Candidate Ünïcode 👩‍💻",
		Level:              rubric.LevelL6,
		Questions: []interview.Question{
			{ID: "own-1", Principle: "Ownership", Text: "Tell me about a time you took on something outside your area."},
			{ID: "dive-2", Principle: "Dive Deep", Text: "Tell me about a problem you solved by \"going deep\"."},
		},
		ProbesPerQuestion: 3,
		ProbeOrder:        []string{"metrics", "first_person_actions"},
		TimeLimitMinutes:  45,
		Status:            interview.StatusActive,
		Current:           0,
		Probed:            [][]string{{}, {}},
		CreatedAt:         At(0),
		UpdatedAt:         At(0),
	}
}

// Create stores a new session (NewSession changed by edit, if not nil).
func Create(t *testing.T, st interview.Store, edit func(*interview.Session)) *interview.Session {
	t.Helper()
	s := NewSession()
	if edit != nil {
		edit(s)
	}
	if err := st.CreateSession(t.Context(), s); err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	return s
}

// Answer is a candidate's message with a client id.
func Answer(text, clientID string, question int) interview.Message {
	return interview.Message{
		Role: interview.RoleCandidate, Kind: interview.KindAnswer, Text: text,
		Question: question, ClientID: clientID, At: At(time.Minute),
	}
}

// Probe is an interviewer's message.
func Probe(text, dimension string, question int) interview.Message {
	return interview.Message{
		Role: interview.RoleInterviewer, Kind: interview.KindProbe, Text: text,
		Dimension: dimension, Question: question, At: At(2 * time.Minute),
	}
}

// SameSession reports how got differs from want ("" when it does not). A
// nil slice and an empty one are the same.
func SameSession(got, want *interview.Session) string {
	g, w := *got, *want
	var diffs []string
	check := func(field string, ok bool, gv, wv any) {
		if !ok {
			diffs = append(diffs, fmt.Sprintf("%s = %v, want %v", field, gv, wv))
		}
	}
	check("ID", g.ID == w.ID, g.ID, w.ID)
	check("TokenHash", g.TokenHash == w.TokenHash, g.TokenHash, w.TokenHash)
	check("Org", g.Org == w.Org, g.Org, w.Org)
	check("QuestionSetID", g.QuestionSetID == w.QuestionSetID, g.QuestionSetID, w.QuestionSetID)
	check("QuestionSetVersion", g.QuestionSetVersion == w.QuestionSetVersion, g.QuestionSetVersion, w.QuestionSetVersion)
	check("Candidate", g.Candidate == w.Candidate, g.Candidate, w.Candidate)
	check("Level", g.Level == w.Level, g.Level, w.Level)
	check("Questions", reflect.DeepEqual(g.Questions, w.Questions), g.Questions, w.Questions)
	check("ProbesPerQuestion", g.ProbesPerQuestion == w.ProbesPerQuestion, g.ProbesPerQuestion, w.ProbesPerQuestion)
	check("ProbeOrder", slices.Equal(g.ProbeOrder, w.ProbeOrder), g.ProbeOrder, w.ProbeOrder)
	check("TimeLimitMinutes", g.TimeLimitMinutes == w.TimeLimitMinutes, g.TimeLimitMinutes, w.TimeLimitMinutes)
	check("Status", g.Status == w.Status, g.Status, w.Status)
	check("Current", g.Current == w.Current, g.Current, w.Current)
	check("Probed", slices.EqualFunc(g.Probed, w.Probed, slices.Equal), g.Probed, w.Probed)
	check("CreatedAt", g.CreatedAt.Equal(w.CreatedAt), g.CreatedAt, w.CreatedAt)
	check("UpdatedAt", g.UpdatedAt.Equal(w.UpdatedAt), g.UpdatedAt, w.UpdatedAt)
	sameFinish := (g.FinishedAt == nil) == (w.FinishedAt == nil) &&
		(g.FinishedAt == nil || g.FinishedAt.Equal(*w.FinishedAt))
	check("FinishedAt", sameFinish, g.FinishedAt, w.FinishedAt)
	if len(diffs) == 0 {
		return ""
	}
	return fmt.Sprint(diffs)
}

// SameMessage reports whether two messages are equal (times by Equal).
func SameMessage(a, b interview.Message) bool {
	a.At, b.At = a.At.UTC(), b.At.UTC()
	return a == b
}

// CheckMessages fails t unless got equals want.
func CheckMessages(t *testing.T, got, want []interview.Message) {
	t.Helper()
	if !slices.EqualFunc(got, want, SameMessage) {
		t.Errorf("messages:\n got %+v\nwant %+v", got, want)
	}
}

func testRoundTrip(t *testing.T, st interview.Store) {
	ctx := t.Context()
	for _, tc := range []struct {
		name string
		edit func(*interview.Session)
	}{
		{"every field", nil},
		{"finished", func(s *interview.Session) {
			fin := At(time.Hour)
			s.Status, s.Current, s.FinishedAt, s.UpdatedAt = interview.StatusFinished, 1, &fin, fin
			s.Probed = [][]string{{"metrics", "red_flag:we_not_i"}, {"first_person_actions"}}
		}},
		{"zero values", func(s *interview.Session) {
			s.Org, s.QuestionSetID, s.QuestionSetVersion, s.Candidate, s.ProbeOrder = "", "", 0, "", nil
			s.ProbesPerQuestion, s.Probed = 0, [][]string{{}, {}}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := NewSession()
			if tc.edit != nil {
				tc.edit(want)
			}
			in := *want
			in.Questions = slices.Clone(want.Questions)
			in.Probed = slices.Clone(want.Probed)
			if err := st.CreateSession(ctx, &in); err != nil {
				t.Fatal(err)
			}
			// The store keeps its own copy.
			in.Questions[0].Text, in.Probed[0], in.Status = "changed", []string{"changed"}, "changed"

			got, err := st.Session(ctx, want.ID)
			if err != nil {
				t.Fatal(err)
			}
			if d := SameSession(got, want); d != "" {
				t.Error(d)
			}
			// And hands out copies.
			got.Questions[0].Text, got.Candidate = "changed", "changed"
			again, err := st.Session(ctx, want.ID)
			if err != nil {
				t.Fatal(err)
			}
			if d := SameSession(again, want); d != "" {
				t.Errorf("after changing a returned session: %s", d)
			}
		})
	}
}

func testCreateTwice(t *testing.T, st interview.Store) {
	ctx := t.Context()
	s := Create(t, st, nil)
	other := NewSession()
	other.ID, other.TokenHash, other.Candidate = s.ID, "another token", "someone else"
	if err := st.CreateSession(ctx, other); err == nil {
		t.Fatal("a second session with the same id was accepted")
	}
	got, err := st.Session(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d := SameSession(got, s); d != "" {
		t.Errorf("the first session changed: %s", d)
	}
}

func testNotFound(t *testing.T, st interview.Store) {
	ctx := t.Context()
	id := NewID()
	unknown := NewSession()
	unknown.ID = id
	noCard := Create(t, st, nil) // a session without a scorecard
	for _, tc := range []struct {
		op string
		f  func() error
	}{
		{"Session", func() error { _, err := st.Session(ctx, id); return err }},
		{"UpdateSession", func() error { return st.UpdateSession(ctx, unknown) }},
		{"AppendMessage", func() error { _, _, err := st.AppendMessage(ctx, id, Answer("a", "c1", 0)); return err }},
		{"AppendMessage without client id", func() error { _, _, err := st.AppendMessage(ctx, id, Probe("p", "metrics", 0)); return err }},
		{"Messages", func() error { _, err := st.Messages(ctx, id, 0); return err }},
		{"Messages after seq", func() error { _, err := st.Messages(ctx, id, 5); return err }},
		{"SessionWithMessages", func() error { _, _, err := st.SessionWithMessages(ctx, id); return err }},
		{"SaveScorecard", func() error { return st.SaveScorecard(ctx, id, NewScorecard(id, rubric.Hire)) }},
		{"Scorecard", func() error { _, err := st.Scorecard(ctx, id); return err }},
		{"Scorecard of a session without one", func() error { _, err := st.Scorecard(ctx, noCard.ID); return err }},
	} {
		if err := tc.f(); !errors.Is(err, interview.ErrNotFound) {
			t.Errorf("%s of an unknown id: %v, want ErrNotFound", tc.op, err)
		}
	}
	if _, err := st.Session(ctx, id); !errors.Is(err, interview.ErrNotFound) {
		t.Errorf("the failed calls created session %s: %v", id, err)
	}
}

func testAppendSeq(t *testing.T, st interview.Store) {
	ctx := t.Context()
	s := Create(t, st, nil)
	in := []interview.Message{
		{Role: interview.RoleInterviewer, Kind: interview.KindQuestion, Text: "Hello! Tell me about…", Question: 0, At: At(time.Second)},
		Answer("I led the migration. I measured p99 at 40ms.", "answer-1", 0),
		Probe("What did *you* do?", "first_person_actions", 0),
	}
	in[2].Seq = 99 // ignored: the store assigns seq
	var want []interview.Message
	for i, m := range in {
		saved, stored, err := st.AppendMessage(ctx, s.ID, m)
		if err != nil {
			t.Fatal(err)
		}
		m.Seq = int64(i + 1)
		if !stored || !SameMessage(saved, m) {
			t.Errorf("append %d: %+v stored=%v, want %+v stored=true", i, saved, stored, m)
		}
		want = append(want, m)
	}
	got, err := st.Messages(ctx, s.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	CheckMessages(t, got, want)

	// Every session counts from 1.
	other := Create(t, st, nil)
	saved, _, err := st.AppendMessage(ctx, other.ID, Answer("x", "answer-1", 0))
	if err != nil || saved.Seq != 1 {
		t.Errorf("first message of another session: seq %d, %v; want 1", saved.Seq, err)
	}
}

func testDuplicateClientID(t *testing.T, st interview.Store) {
	ctx := t.Context()
	s := Create(t, st, nil)
	first := Answer("my first answer", "c-1", 0)
	saved, stored, err := st.AppendMessage(ctx, s.ID, first)
	if err != nil || !stored || saved.Seq != 1 {
		t.Fatalf("first append: %+v stored=%v %v", saved, stored, err)
	}
	if _, _, err := st.AppendMessage(ctx, s.ID, Probe("why?", "metrics", 0)); err != nil {
		t.Fatal(err)
	}
	resent := Answer("a different text sent again under the same id", "c-1", 1)
	resent.At = At(time.Hour)
	dup, stored, err := st.AppendMessage(ctx, s.ID, resent)
	if err != nil {
		t.Fatal(err)
	}
	first.Seq = 1
	if stored || !SameMessage(dup, first) {
		t.Errorf("re-sent client id: %+v stored=%v, want the original %+v stored=false", dup, stored, first)
	}
	// No client id: never a duplicate.
	for range 2 {
		if _, stored, err := st.AppendMessage(ctx, s.ID, Answer("same", "", 0)); err != nil || !stored {
			t.Errorf("message without a client id: stored=%v %v", stored, err)
		}
	}
	got, err := st.Messages(ctx, s.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(got); n != 4 {
		t.Errorf("%d messages stored, want 4: %+v", n, got)
	}
	// Client ids are per session.
	other := Create(t, st, nil)
	if saved, stored, err := st.AppendMessage(ctx, other.ID, Answer("x", "c-1", 0)); err != nil || !stored || saved.Seq != 1 {
		t.Errorf("the same client id in another session: %+v stored=%v %v", saved, stored, err)
	}
}

func testMessagesAfter(t *testing.T, st interview.Store) {
	ctx := t.Context()
	s := Create(t, st, nil)
	empty, err := st.Messages(ctx, s.ID, 0)
	if err != nil || empty == nil || len(empty) != 0 {
		t.Errorf("messages of a new session: %#v %v, want an empty, non-nil slice", empty, err)
	}
	var all []interview.Message
	for i := range 5 {
		m, _, err := st.AppendMessage(ctx, s.ID, Probe(fmt.Sprintf("probe %d", i), "metrics", 0))
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, m)
	}
	for _, tc := range []struct {
		after int64
		want  []interview.Message
	}{
		{-1, all}, {0, all}, {1, all[1:]}, {2, all[2:]}, {4, all[4:]}, {5, all[5:]}, {6, all[5:]}, {1000, all[5:]},
	} {
		got, err := st.Messages(ctx, s.ID, tc.after)
		if err != nil {
			t.Fatalf("after %d: %v", tc.after, err)
		}
		if got == nil {
			t.Errorf("after %d: nil, want an empty slice", tc.after)
		}
		if !slices.EqualFunc(got, tc.want, SameMessage) {
			t.Errorf("after %d: %+v, want %+v", tc.after, got, tc.want)
		}
	}
}

// testConcurrentAppend: 20 appends to one session at once get the seqs
// 1..20; then 20 more, where 10 share 5 client ids two by two, store each
// id once and the seqs stay without gaps.
func testSessionWithMessages(t *testing.T, st interview.Store) {
	ctx := t.Context()
	s := Create(t, st, nil)
	sess, msgs, err := st.SessionWithMessages(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d := SameSession(sess, s); d != "" {
		t.Errorf("a new session: %s", d)
	}
	if msgs == nil || len(msgs) != 0 {
		t.Errorf("a new session's messages: %#v, want an empty slice", msgs)
	}
	var want []interview.Message
	for i, m := range []interview.Message{Probe("first", "metrics", 0), Answer("an answer", "c1", 0), Probe("second", "ownership", 0)} {
		saved, _, err := st.AppendMessage(ctx, s.ID, m)
		if err != nil {
			t.Fatal(err)
		}
		m.Seq = int64(i + 1)
		if !SameMessage(saved, m) {
			t.Fatalf("append %d: got %+v, want %+v", i, saved, m)
		}
		want = append(want, m)
	}
	s.Current, s.Probed = 0, [][]string{{"metrics", "ownership"}, {}}
	if err := st.UpdateSession(ctx, s); err != nil {
		t.Fatal(err)
	}
	sess, msgs, err = st.SessionWithMessages(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d := SameSession(sess, s); d != "" {
		t.Errorf("after an update: %s", d)
	}
	CheckMessages(t, msgs, want)
}

func testOverdueSessions(t *testing.T, st interview.Store) {
	ctx := t.Context()
	// A year before every other test's sessions, so none of theirs is due.
	t0 := At(-365 * 24 * time.Hour)
	made := func(created time.Duration, limit int, status string) string {
		return Create(t, st, func(s *interview.Session) {
			s.CreatedAt, s.UpdatedAt, s.TimeLimitMinutes, s.Status = t0.Add(created), t0.Add(created), limit, status
		}).ID
	}
	a := made(0, 10, interview.StatusActive)          // due at +10m
	b := made(time.Minute, 5, interview.StatusActive) // due at +6m
	made(0, 0, interview.StatusActive)                // no limit
	made(0, 1, interview.StatusFinished)              // already over
	for _, tc := range []struct {
		name  string
		now   time.Duration
		limit int
		want  []string
	}{
		{"before any limit", 5 * time.Minute, 10, []string{}},
		{"one due", 8 * time.Minute, 10, []string{b}},
		{"both due, oldest first", 10 * time.Minute, 10, []string{a, b}},
		{"limited", 10 * time.Minute, 1, []string{a}},
	} {
		got, err := st.OverdueSessions(ctx, t0.Add(tc.now), tc.limit)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: OverdueSessions = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func testConcurrentAppend(t *testing.T, st interview.Store) {
	s := Create(t, st, nil)
	ConcurrentAppend(t, []interview.Store{st}, s.ID)
}

// ConcurrentAppend runs the concurrent-append checks on session id
// through stores (one or several, e.g. two connection pools on one
// database), spreading the goroutines over them.
func ConcurrentAppend(t *testing.T, stores []interview.Store, id string) {
	t.Helper()
	ctx := t.Context()
	type result struct {
		m      interview.Message
		stored bool
		err    error
	}
	run := func(msgs []interview.Message) []result {
		out := make([]result, len(msgs))
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, m := range msgs {
			st := stores[i%len(stores)]
			wg.Go(func() {
				<-start
				out[i].m, out[i].stored, out[i].err = st.AppendMessage(ctx, id, m)
			})
		}
		close(start)
		wg.Wait()
		return out
	}

	var first []interview.Message
	for i := range 20 {
		first = append(first, Answer(fmt.Sprintf("answer %d", i), fmt.Sprintf("solo-%d", i), 0))
	}
	seqs := map[int64]string{}
	for i, r := range run(first) {
		switch {
		case r.err != nil:
			t.Fatalf("append %d: %v", i, r.err)
		case !r.stored:
			t.Errorf("append %d (client id %s) was not stored", i, first[i].ClientID)
		case r.m.Text != first[i].Text:
			t.Errorf("append %d came back as %+v", i, r.m)
		}
		if prev, ok := seqs[r.m.Seq]; ok {
			t.Errorf("seq %d given to %s and %s", r.m.Seq, prev, first[i].ClientID)
		}
		seqs[r.m.Seq] = first[i].ClientID
	}
	for seq := int64(1); seq <= 20; seq++ {
		if _, ok := seqs[seq]; !ok {
			t.Errorf("no message got seq %d", seq)
		}
	}

	// Ten messages with five client ids (each sent twice), ten without.
	var second []interview.Message
	for i := range 20 {
		m := Probe(fmt.Sprintf("probe %d", i), "metrics", 0)
		if i < 10 {
			m = Answer(fmt.Sprintf("answer %d", i), fmt.Sprintf("shared-%d", i%5), 0)
		}
		second = append(second, m)
	}
	results := run(second)
	byClient := map[string][]result{}
	stored := 0
	for i, r := range results {
		if r.err != nil {
			t.Fatalf("append %d: %v", i, r.err)
		}
		if r.stored {
			stored++
		}
		if second[i].ClientID != "" {
			byClient[second[i].ClientID] = append(byClient[second[i].ClientID], r)
		} else if !r.stored {
			t.Errorf("append %d without a client id was not stored", i)
		}
	}
	for cid, rs := range byClient {
		if len(rs) != 2 || rs[0].stored == rs[1].stored || !SameMessage(rs[0].m, rs[1].m) {
			t.Errorf("client id %s: %+v; want one stored, and the other given the stored message", cid, rs)
		}
	}
	if stored != 15 {
		t.Errorf("%d of the second round stored, want 15", stored)
	}

	got, err := stores[0].Messages(ctx, id, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 35 {
		t.Errorf("%d messages stored, want 35", len(got))
	}
	for i, m := range got {
		if m.Seq != int64(i+1) {
			t.Fatalf("message %d has seq %d: the seqs have a gap or a duplicate", i, m.Seq)
		}
	}
	clientIDs := map[string]int{}
	for _, m := range got {
		if m.ClientID != "" {
			clientIDs[m.ClientID]++
		}
	}
	for cid, n := range clientIDs {
		if n != 1 {
			t.Errorf("client id %s stored %d times", cid, n)
		}
	}
	if len(clientIDs) != 25 {
		t.Errorf("%d client ids stored, want 25", len(clientIDs))
	}
}

func testUpdate(t *testing.T, st interview.Store) {
	ctx := t.Context()
	s := Create(t, st, nil)

	s.Current = 1
	s.Probed = [][]string{{"metrics", "red_flag:we_not_i"}, {}}
	s.UpdatedAt = At(10 * time.Minute)
	if err := st.UpdateSession(ctx, s); err != nil {
		t.Fatal(err)
	}
	got, err := st.Session(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d := SameSession(got, s); d != "" {
		t.Errorf("after moving on: %s", d)
	}

	fin := At(20 * time.Minute)
	s.Status, s.FinishedAt, s.UpdatedAt = interview.StatusFinished, &fin, fin
	s.Probed[1] = []string{"first_person_actions"}
	if err := st.UpdateSession(ctx, s); err != nil {
		t.Fatal(err)
	}
	got, err = st.Session(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d := SameSession(got, s); d != "" {
		t.Errorf("after finishing: %s", d)
	}
}

// NewScorecard is a small, complete scorecard.
func NewScorecard(sessionID, decision string) *interview.Scorecard {
	sc := rubric.Scorecard{
		Decision: decision, RubricVersion: "test", Level: rubric.LevelL6, Principle: "Ownership",
		Summary:    "Specific, first-person, measured.",
		Dimensions: []rubric.DimensionResult{},
		RedFlags:   []rubric.RedFlagResult{},
	}
	return &interview.Scorecard{
		Scorecard: sc,
		SessionID: sessionID,
		Questions: []interview.QuestionScore{{Index: 0, Principle: "Ownership", Question: "Tell me…", Scorecard: sc}},
		Transcript: []rubric.Turn{
			{Role: rubric.RoleInterviewer, Text: "Tell me…"},
			{Role: rubric.RoleCandidate, Text: "I did it — \"quoted\", ünïcode."},
		},
	}
}

func testScorecard(t *testing.T, st interview.Store) {
	ctx := t.Context()
	s := Create(t, st, nil)
	check := func(want *interview.Scorecard) {
		t.Helper()
		got, err := st.Scorecard(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		if string(g) != string(w) {
			t.Errorf("scorecard:\n got %s\nwant %s", g, w)
		}
	}
	first := NewScorecard(s.ID, rubric.Hire)
	if err := st.SaveScorecard(ctx, s.ID, first); err != nil {
		t.Fatal(err)
	}
	check(first)
	second := NewScorecard(s.ID, rubric.NoHire)
	second.Summary = "Overwritten."
	if err := st.SaveScorecard(ctx, s.ID, second); err != nil {
		t.Fatal(err)
	}
	check(second)
}

func testCancelled(t *testing.T, st interview.Store) {
	s := Create(t, st, nil)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for _, tc := range []struct {
		op string
		f  func() error
	}{
		{"CreateSession", func() error { return st.CreateSession(ctx, NewSession()) }},
		{"Session", func() error { _, err := st.Session(ctx, s.ID); return err }},
		{"UpdateSession", func() error { return st.UpdateSession(ctx, s) }},
		{"AppendMessage", func() error { _, _, err := st.AppendMessage(ctx, s.ID, Answer("a", "c", 0)); return err }},
		{"Messages", func() error { _, err := st.Messages(ctx, s.ID, 0); return err }},
		{"SaveScorecard", func() error { return st.SaveScorecard(ctx, s.ID, NewScorecard(s.ID, rubric.Hire)) }},
		{"Scorecard", func() error { _, err := st.Scorecard(ctx, s.ID); return err }},
	} {
		if err := tc.f(); !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context: %v, want context.Canceled", tc.op, err)
		}
	}
	msgs, err := st.Messages(t.Context(), s.ID, 0)
	if err != nil || len(msgs) != 0 {
		t.Errorf("after cancelled calls: %d messages, %v; want none", len(msgs), err)
	}
}
