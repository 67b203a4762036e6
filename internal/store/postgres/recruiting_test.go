package postgres_test

import (
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/crypto/bcrypt"

	"barraiser/internal/interview"
	"barraiser/internal/knowledge"
	"barraiser/internal/llm/scripted"
	"barraiser/internal/recruiting"
	"barraiser/internal/rubric"
	"barraiser/internal/store/postgres/pgtest"
	"barraiser/internal/store/storetest"
)

// TestRecruitingStore runs the recruiting store suite against PostgreSQL.
func TestRecruitingStore(t *testing.T) {
	t.Parallel()
	s, _ := open(t, "")
	storetest.RecruitingStoreSuite(t, func(*testing.T) (recruiting.Store, storetest.Sessions) { return s, s })
}

// TestDeleteAndPurgeLeaveNoRows: deleting a session, by hand or by the
// retention purge, leaves no row that refers to it: not the session, its
// messages, its scorecard or the votes on it, and the invite that started
// it no longer names it. And a session still scores on the question-set
// version it started with after the set is edited.
func TestDeleteAndPurgeLeaveNoRows(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	s, _ := open(t, url)
	ctx := t.Context()
	pack, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	clock := func() time.Time { return now }
	engine := interview.NewEngine(interview.Config{Store: s, Interviewer: scripted.New(), Fallback: scripted.New(), Pack: pack, Now: clock})
	svc := recruiting.NewService(recruiting.Config{Store: s, Sessions: s, Starter: engine, PasswordCost: bcrypt.MinCost, Now: clock})
	id := strings.ToLower(storetest.NewID())
	o, r, _, err := svc.CreateOrg(ctx, "Acme", id+"@acme.example", "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	p := &recruiting.Principal{OrgID: o.ID, RecruiterID: r.ID, Role: r.Role}
	qs, err := svc.CreateQuestionSet(ctx, p, recruiting.QuestionSetInput{Name: "v1",
		Questions: []recruiting.SetQuestion{{Principle: "Ownership", Text: "Tell me about owning a problem."}}})
	if err != nil {
		t.Fatal(err)
	}
	finished := func() string {
		t.Helper()
		_, code, err := svc.CreateInvite(ctx, p, recruiting.InviteInput{QuestionSetID: qs.ID})
		if err != nil {
			t.Fatal(err)
		}
		sess, _, err := svc.Redeem(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		if err := engine.Open(ctx, sess.ID, nopEmitter{}); err != nil {
			t.Fatal(err)
		}
		if err := engine.Answer(ctx, sess.ID, "a", "I fixed the pager rota myself; pages fell from 40 to 6 a week.", nopEmitter{}); err != nil {
			t.Fatal(err)
		}
		if _, err := engine.End(ctx, sess.ID, nopEmitter{}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Vote(ctx, p, sess.ID, recruiting.VoteInput{Decision: rubric.Hire}); err != nil {
			t.Fatal(err)
		}
		return sess.ID
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows := func(sessionID string) map[string]int {
		t.Helper()
		out := map[string]int{}
		for table, where := range map[string]string{
			"interview_sessions": "id = $1", "interview_messages": "session_id = $1", "interview_scorecards": "session_id = $1",
			"session_votes": "session_id = $1", "invites": "session_id = $1",
		} {
			var n int
			if err := conn.QueryRow(ctx, "SELECT count(*) FROM "+table+" WHERE "+where, sessionID).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n > 0 {
				out[table] = n
			}
		}
		return out
	}

	byHand, old, kept := finished(), finished(), ""
	if got := rows(byHand); len(got) != 5 {
		t.Fatalf("a finished, voted session has rows in %v; want all five tables", got)
	}
	if err := svc.DeleteSession(ctx, p, byHand); err != nil {
		t.Fatal(err)
	}
	if got := rows(byHand); len(got) != 0 {
		t.Errorf("after delete: rows left %v", got)
	}

	// Edit the set: the old session keeps and scores on version 1.
	if _, err := svc.UpdateQuestionSet(ctx, p, qs.ID, recruiting.QuestionSetInput{Name: "v2",
		Questions: []recruiting.SetQuestion{{Principle: "Frugality", Text: "Tell me about doing more with less."}}}); err != nil {
		t.Fatal(err)
	}
	sc, err := svc.Scorecard(ctx, p, old)
	if err != nil {
		t.Fatal(err)
	}
	if sess, _ := s.Session(ctx, old); sess.QuestionSetVersion != 1 || sc.Questions[0].Principle != "Ownership" {
		t.Errorf("old session: version %d, scored on %q; want version 1 on Ownership", sess.QuestionSetVersion, sc.Questions[0].Principle)
	}

	if err := svc.SetRetention(ctx, p, 7); err != nil {
		t.Fatal(err)
	}
	now = now.Add(5 * 24 * time.Hour)
	kept = finished()
	now = now.Add(3 * 24 * time.Hour)
	if n, err := svc.Purge(ctx); err != nil || n != 1 {
		t.Fatalf("purge = %d, %v; want the one session past 7 days", n, err)
	}
	if got := rows(old); len(got) != 0 {
		t.Errorf("after the purge: rows left %v", got)
	}
	if got := rows(kept); len(got) != 5 {
		t.Errorf("the recent session lost rows: %v", got)
	}
}

type nopEmitter struct{}

func (nopEmitter) Accepted(interview.Message)     {}
func (nopEmitter) Token(int64, string)            {}
func (nopEmitter) Message(interview.Message)      {}
func (nopEmitter) Notice(string, string)          {}
func (nopEmitter) Scorecard(*interview.Scorecard) {}
