package recruiting_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"barraiser/internal/interview"
	"barraiser/internal/knowledge"
	"barraiser/internal/llm/scripted"
	"barraiser/internal/recruiting"
	"barraiser/internal/rubric"
	"barraiser/internal/store/memory"
)

// clock is a settable time for tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type world struct {
	svc      *recruiting.Service
	engine   *interview.Engine
	sessions *memory.Sessions
	clock    *clock
}

func newWorld(t *testing.T) *world {
	t.Helper()
	return newWorldWith(t, nil)
}

// newWorldWith is newWorld with the engine wrapped by wrap (nil: as is)
// where the service starts interviews.
func newWorldWith(t *testing.T, wrap func(recruiting.Starter) recruiting.Starter) *world {
	t.Helper()
	pack, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)}
	sessions := memory.NewSessions()
	engine := interview.NewEngine(interview.Config{Store: sessions, Interviewer: scripted.New(), Fallback: scripted.New(), Pack: pack, Now: c.Now})
	var starter recruiting.Starter = engine
	if wrap != nil {
		starter = wrap(engine)
	}
	svc := recruiting.NewService(recruiting.Config{Store: memory.NewRecruiting(), Sessions: sessions, Starter: starter,
		Now: c.Now, PasswordCost: bcrypt.MinCost})
	return &world{svc: svc, engine: engine, sessions: sessions, clock: c}
}

func (w *world) org(t *testing.T, email string) *recruiting.Principal {
	t.Helper()
	o, r, _, err := w.svc.CreateOrg(t.Context(), "Acme", email, "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	return &recruiting.Principal{OrgID: o.ID, RecruiterID: r.ID, Role: r.Role, Method: recruiting.MethodToken}
}

// TestLoginAndTokens: a password opens a console session whose cookie
// authenticates and whose CSRF token checks; a wrong password does not; a
// revoked token stops working.
func TestLoginAndTokens(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	p := w.org(t, "Admin@Acme.example")
	if _, _, _, err := w.svc.Login(ctx, "admin@acme.example", "wrong password!"); !errors.Is(err, recruiting.ErrUnauthenticated) {
		t.Errorf("wrong password: %v", err)
	}
	if _, _, _, err := w.svc.Login(ctx, "nobody@acme.example", "correct horse battery"); !errors.Is(err, recruiting.ErrUnauthenticated) {
		t.Errorf("unknown email: %v", err)
	}
	cookie, csrf, _, err := w.svc.Login(ctx, "ADMIN@acme.example", "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	cp, err := w.svc.AuthenticateCookie(ctx, cookie)
	if err != nil || cp.OrgID != p.OrgID {
		t.Fatalf("AuthenticateCookie = %+v, %v", cp, err)
	}
	if !recruiting.CheckCSRF(cp, csrf) || recruiting.CheckCSRF(cp, "brc_forged") || recruiting.CheckCSRF(cp, "") {
		t.Error("CSRF check accepts the wrong token or refuses the right one")
	}
	w.clock.Add(recruiting.DefaultLoginTTL)
	if _, err := w.svc.AuthenticateCookie(ctx, cookie); !errors.Is(err, recruiting.ErrUnauthenticated) {
		t.Errorf("expired login: %v", err)
	}

	_, token, err := w.svc.MintToken(ctx, "admin@acme.example", "ci")
	if err != nil {
		t.Fatal(err)
	}
	if tp, err := w.svc.AuthenticateToken(ctx, token); err != nil || tp.OrgID != p.OrgID {
		t.Fatalf("AuthenticateToken = %+v, %v", tp, err)
	}
	if err := w.svc.RevokeToken(ctx, token); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.AuthenticateToken(ctx, token); !errors.Is(err, recruiting.ErrUnauthenticated) {
		t.Errorf("revoked token: %v", err)
	}
}

// TestInviteLifecycle: an invite starts one interview on its set's
// questions, once; an expired one and an unknown one start nothing.
func TestInviteLifecycle(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	p := w.org(t, "a@acme.example")
	qs := w.questionSet(t, p)
	code := w.invite(t, p, recruiting.InviteInput{QuestionSetID: qs.ID, Level: "L6", Candidate: "cand-1"})
	sess, token, err := w.svc.Redeem(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	if token == "" || sess.Org != p.OrgID || sess.QuestionSetID != qs.ID || sess.QuestionSetVersion != 1 ||
		sess.Level != "L6" || sess.ProbesPerQuestion != 2 || len(sess.Questions) != 2 || sess.Candidate != "cand-1" {
		t.Errorf("session = %+v", sess)
	}
	if _, _, err := w.svc.Redeem(ctx, code); !errors.Is(err, recruiting.ErrInviteUsed) {
		t.Errorf("second redeem: %v, want ErrInviteUsed", err)
	}
	code2 := w.invite(t, p, recruiting.InviteInput{QuestionSetID: qs.ID, TTL: time.Hour})
	w.clock.Add(time.Hour)
	if _, _, err := w.svc.Redeem(ctx, code2); !errors.Is(err, recruiting.ErrInviteExpired) {
		t.Errorf("expired invite: %v", err)
	}
	if _, _, err := w.svc.Redeem(ctx, "bri_nonsense"); !errors.Is(err, recruiting.ErrNotFound) {
		t.Errorf("unknown invite: %v", err)
	}
	other := w.org(t, "b@other.example")
	if _, _, err := w.svc.CreateInvite(ctx, other, recruiting.InviteInput{QuestionSetID: qs.ID}); !errors.Is(err, recruiting.ErrInvalid) {
		t.Errorf("invite to another org's set: %v", err)
	}
}

// TestSessionKeepsItsVersion: editing a set makes a new version; a
// session started before keeps the old questions and is scored on them.
func TestSessionKeepsItsVersion(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	p := w.org(t, "a@acme.example")
	qs := w.questionSet(t, p)
	old, token, err := w.svc.Redeem(ctx, w.invite(t, p, recruiting.InviteInput{QuestionSetID: qs.ID}))
	if err != nil {
		t.Fatal(err)
	}
	edit := validInput()
	edit.Questions = []recruiting.SetQuestion{{Principle: "Frugality", Text: "Tell me about doing more with less."}}
	edit.QuestionsPerInterview = 1
	v2, err := w.svc.UpdateQuestionSet(ctx, p, qs.ID, edit)
	if err != nil || v2.Version != 2 {
		t.Fatalf("update = %+v, %v", v2, err)
	}
	if v1, err := w.svc.QuestionSet(ctx, p, qs.ID, 1); err != nil || v1.Questions[0].Principle != "Ownership" {
		t.Errorf("version 1 after the edit = %+v, %v", v1, err)
	}
	if err := w.engine.Open(ctx, old.ID, nopEmitter{}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.engine.Authorize(ctx, old.ID, token); err != nil {
		t.Fatal(err)
	}
	if err := w.engine.Answer(ctx, old.ID, "a1", "I rewrote the deploy script myself and cut failed deploys from 12 to 2 a month.", nopEmitter{}); err != nil {
		t.Fatal(err)
	}
	sc, err := w.engine.End(ctx, old.ID, nopEmitter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Questions) == 0 || sc.Questions[0].Principle != "Ownership" {
		t.Errorf("old session scored on %q, want its own version's Ownership question", sc.Questions[0].Principle)
	}
	got, _ := w.sessions.Session(ctx, old.ID)
	if got.QuestionSetVersion != 1 {
		t.Errorf("session version = %d, want 1", got.QuestionSetVersion)
	}
	fresh, _, err := w.svc.Redeem(ctx, w.invite(t, p, recruiting.InviteInput{QuestionSetID: qs.ID}))
	if err != nil || fresh.QuestionSetVersion != 2 || fresh.Questions[0].Principle != "Frugality" {
		t.Errorf("new session = %+v, %v; want version 2", fresh, err)
	}
}

type nopEmitter struct{}

func (nopEmitter) Accepted(interview.Message)     {}
func (nopEmitter) Token(int64, string)            {}
func (nopEmitter) Message(interview.Message)      {}
func (nopEmitter) Notice(string, string)          {}
func (nopEmitter) Scorecard(*interview.Scorecard) {}

// questionSet creates validInput's set for p's org.
func (w *world) questionSet(t *testing.T, p *recruiting.Principal) *recruiting.QuestionSet {
	t.Helper()
	qs, err := w.svc.CreateQuestionSet(t.Context(), p, validInput())
	if err != nil {
		t.Fatal(err)
	}
	return qs
}

// invite creates an invite of p's org and returns its code.
func (w *world) invite(t *testing.T, p *recruiting.Principal, in recruiting.InviteInput) string {
	t.Helper()
	_, code, err := w.svc.CreateInvite(t.Context(), p, in)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// finished starts an invited session of p's org and ends it at once.
func (w *world) finished(t *testing.T, p *recruiting.Principal, setID string) string {
	t.Helper()
	ctx := t.Context()
	s, _, err := w.svc.Redeem(ctx, w.invite(t, p, recruiting.InviteInput{QuestionSetID: setID}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.engine.End(ctx, s.ID, nopEmitter{}); err != nil {
		t.Fatal(err)
	}
	return s.ID
}

// TestRetentionPurge: finished sessions older than the org's retention
// go, with their messages, scorecards and votes; newer ones and other
// orgs' stay.
func TestRetentionPurge(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	p := w.org(t, "a@acme.example")
	other := w.org(t, "b@other.example")
	qs := w.questionSet(t, p)
	oqs := w.questionSet(t, other)
	oldID := w.finished(t, p, qs.ID)
	otherID := w.finished(t, other, oqs.ID)
	if _, err := w.svc.Vote(ctx, p, oldID, recruiting.VoteInput{Decision: rubric.NoHire}); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.SetRetention(ctx, p, 30); err != nil {
		t.Fatal(err)
	}
	w.clock.Add(20 * 24 * time.Hour)
	newID := w.finished(t, p, qs.ID)
	if n, err := w.svc.Purge(ctx); err != nil || n != 0 {
		t.Fatalf("purge at 20 days = %d, %v; want nothing", n, err)
	}
	w.clock.Add(11 * 24 * time.Hour)
	if n, err := w.svc.Purge(ctx); err != nil || n != 1 {
		t.Fatalf("purge at 31 days = %d, %v; want 1", n, err)
	}
	for id, want := range map[string]bool{oldID: false, newID: true, otherID: true} {
		_, err := w.sessions.Session(ctx, id)
		if (err == nil) != want {
			t.Errorf("session %s exists = %v, want %v", id, err == nil, want)
		}
	}
	if a, _ := w.svc.Calibration(ctx, p); a.Votes != 0 {
		t.Errorf("%d votes survive the purge", a.Votes)
	}
	if _, err := w.svc.Scorecard(ctx, p, oldID); !errors.Is(err, recruiting.ErrNotFound) {
		t.Errorf("scorecard of a purged session: %v", err)
	}
}

// TestOrgScoping: one org cannot read, vote on or delete another's
// sessions or sets.
func TestOrgScoping(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	p := w.org(t, "a@acme.example")
	other := w.org(t, "b@other.example")
	qs := w.questionSet(t, p)
	id := w.finished(t, p, qs.ID)
	for name, err := range map[string]error{
		"read set":   func() error { _, err := w.svc.QuestionSet(ctx, other, qs.ID, 0); return err }(),
		"edit set":   func() error { _, err := w.svc.UpdateQuestionSet(ctx, other, qs.ID, validInput()); return err }(),
		"delete set": w.svc.DeleteQuestionSet(ctx, other, qs.ID),
		"scorecard":  func() error { _, err := w.svc.Scorecard(ctx, other, id); return err }(),
		"vote": func() error {
			_, err := w.svc.Vote(ctx, other, id, recruiting.VoteInput{Decision: rubric.Hire})
			return err
		}(),
		"delete": w.svc.DeleteSession(ctx, other, id),
	} {
		if !errors.Is(err, recruiting.ErrNotFound) {
			t.Errorf("%s of another org: %v, want ErrNotFound", name, err)
		}
	}
	if list, _ := w.svc.Sessions(ctx, other); len(list) != 0 {
		t.Errorf("another org lists %d sessions", len(list))
	}
	if list, _ := w.svc.Sessions(context.WithoutCancel(ctx), p); len(list) != 1 || list[0].ID != id || list[0].Decision == "" {
		t.Errorf("own sessions = %+v", list)
	}
}

// TestAgree: the calibration report counts hire-side and four-way
// agreement, the confusion matrix and per-dimension disagreements.
func TestAgree(t *testing.T) {
	pair := func(vote, rub string, dims map[string]bool) recruiting.Pair {
		return recruiting.Pair{Vote: recruiting.Vote{Decision: vote, Dimensions: dims}, Rubric: rub,
			RubricDimensions: map[string]bool{rubric.MetricDelta: true, rubric.Mechanism: false}}
	}
	a := recruiting.Agree([]recruiting.Pair{
		pair(rubric.Hire, rubric.Hire, map[string]bool{rubric.MetricDelta: true}),     // agree both ways
		pair(rubric.StrongHire, rubric.Hire, map[string]bool{rubric.Mechanism: true}), // hire side only; recruiter-only pass
		pair(rubric.NoHire, rubric.Hire, map[string]bool{rubric.MetricDelta: false}),  // disagree; rubric-only pass
		pair(rubric.StrongNoHire, rubric.NoHire, nil),                                 // hire side only
		pair("maybe", rubric.Hire, nil),                                               // not a decision: left out
	})
	if a.Votes != 4 || a.HireSide != (recruiting.Ratio{Agree: 3, Total: 4, Rate: 0.75}) || a.FourWay != (recruiting.Ratio{Agree: 1, Total: 4, Rate: 0.25}) {
		t.Errorf("agreement = %+v / %+v over %d", a.HireSide, a.FourWay, a.Votes)
	}
	// rows: the recruiter's decision; columns: the rubric's.
	want := [][]int{{0, 1, 0, 0}, {0, 1, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}}
	for i := range want {
		for j := range want[i] {
			if a.Confusion[i][j] != want[i][j] {
				t.Fatalf("confusion = %v, want %v", a.Confusion, want)
			}
		}
	}
	wantDims := []recruiting.DimensionAgreement{
		{ID: rubric.MetricDelta, Compared: 2, Disagree: 1, RubricOnly: 1},
		{ID: rubric.Mechanism, Compared: 1, Disagree: 1, RecruiterOnly: 1},
	}
	if len(a.Dimensions) != 2 || a.Dimensions[0] != wantDims[0] || a.Dimensions[1] != wantDims[1] {
		t.Errorf("dimensions = %+v, want %+v", a.Dimensions, wantDims)
	}
}

// TestRoles: an admin adds recruiters; a recruiter (by password or by a
// token minted for them) may not add accounts or change retention.
func TestRoles(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	admin := w.org(t, "a@acme.example")
	r, pw, err := w.svc.AddRecruiter(ctx, admin, "Sam@Acme.example", "")
	if err != nil || r.Role != recruiting.RoleRecruiter || r.Email != "sam@acme.example" || len(pw) < recruiting.MinPasswordBytes {
		t.Fatalf("AddRecruiter = %+v, %d-byte password, %v", r, len(pw), err)
	}
	if _, _, err := w.svc.AddRecruiter(ctx, admin, "sam@acme.example", ""); !errors.Is(err, recruiting.ErrInvalid) {
		t.Errorf("a taken email: %v", err)
	}
	if _, _, err := w.svc.AddRecruiter(ctx, admin, "x@acme.example", "owner"); !errors.Is(err, recruiting.ErrInvalid) {
		t.Errorf("an unknown role: %v", err)
	}
	_, token, err := w.svc.MintToken(ctx, "sam@acme.example", "sam's script")
	if err != nil {
		t.Fatal(err)
	}
	sam, err := w.svc.AuthenticateToken(ctx, token)
	if err != nil || sam.Role != recruiting.RoleRecruiter || sam.OrgID != admin.OrgID {
		t.Fatalf("sam = %+v, %v", sam, err)
	}
	if _, _, err := w.svc.AddRecruiter(ctx, sam, "y@acme.example", ""); !errors.Is(err, recruiting.ErrForbidden) {
		t.Errorf("a recruiter adding an account: %v", err)
	}
	if err := w.svc.SetRetention(ctx, sam, 5); !errors.Is(err, recruiting.ErrForbidden) {
		t.Errorf("a recruiter setting retention: %v", err)
	}
	if _, err := w.svc.CreateQuestionSet(ctx, sam, validInput()); err != nil {
		t.Errorf("a recruiter creating a set: %v", err)
	}
	if list, _ := w.svc.Recruiters(ctx, admin); len(list) != 2 {
		t.Errorf("recruiters: %+v", list)
	}
	if _, _, _, err := w.svc.Login(ctx, "sam@acme.example", pw); err != nil {
		t.Errorf("sam's login with the generated password: %v", err)
	}
}

// TestTimeLimit: a set's time limit travels to its sessions; the first
// answer after it is scored and the interview wraps up, with probes and
// questions left unasked.
func TestTimeLimit(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	p := w.org(t, "a@acme.example")
	in := validInput()
	in.TimeLimitMinutes = 30
	qs, err := w.svc.CreateQuestionSet(ctx, p, in)
	if err != nil {
		t.Fatal(err)
	}
	answer := "We had an outage; the team looked into it."
	run := func(after time.Duration) *interview.Session {
		t.Helper()
		s, _, err := w.svc.StartFromSet(ctx, p, qs.ID, "L5", "")
		if err != nil {
			t.Fatal(err)
		}
		if s.TimeLimitMinutes != 30 {
			t.Fatalf("session time limit %d, want 30", s.TimeLimitMinutes)
		}
		if err := w.engine.Open(ctx, s.ID, nopEmitter{}); err != nil {
			t.Fatal(err)
		}
		w.clock.Add(after)
		if err := w.engine.Answer(ctx, s.ID, "a1", answer, nopEmitter{}); err != nil {
			t.Fatal(err)
		}
		got, err := w.sessions.Session(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if s := run(29 * time.Minute); s.Status != interview.StatusActive {
		t.Errorf("within the limit: status %s, want active (a probe follows)", s.Status)
	}
	if s := run(30 * time.Minute); s.Status != interview.StatusFinished {
		t.Errorf("at the limit: status %s, want finished", s.Status)
	}
}

// flakyStarter fails its first start, then starts as the engine does.
type flakyStarter struct {
	recruiting.Starter
	failed bool
}

func (f *flakyStarter) Start(ctx context.Context, req interview.StartRequest) (*interview.Session, string, error) {
	if !f.failed {
		f.failed = true
		return nil, "", errors.New("store unavailable")
	}
	return f.Starter.Start(ctx, req)
}

// TestInviteSurvivesAFailedStart: an invite whose interview could not be
// started (our failure, not the candidate's) still works when the
// candidate opens the link again.
func TestInviteSurvivesAFailedStart(t *testing.T) {
	w := newWorldWith(t, func(engine recruiting.Starter) recruiting.Starter { return &flakyStarter{Starter: engine} })
	ctx := t.Context()
	p := w.org(t, "a@acme.example")
	qs := w.questionSet(t, p)
	code := w.invite(t, p, recruiting.InviteInput{QuestionSetID: qs.ID, Level: "L5"})
	if _, _, err := w.svc.Redeem(ctx, code); err == nil {
		t.Fatal("the first redeem succeeded; want the start's failure")
	}
	sess, _, err := w.svc.Redeem(ctx, code)
	if err != nil {
		t.Fatalf("redeem after a failed start: %v, want the interview", err)
	}
	if _, _, err := w.svc.Redeem(ctx, code); !errors.Is(err, recruiting.ErrInviteUsed) {
		t.Errorf("redeem after the interview started (%s): %v, want ErrInviteUsed", sess.ID, err)
	}
}

// TestMyVote: a recruiter reads back their own vote (nil before they
// vote), not a colleague's, and never another org's session.
func TestMyVote(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	p := w.org(t, "a@acme.example")
	other := w.org(t, "b@other.example")
	qs := w.questionSet(t, p)
	id := w.finished(t, p, qs.ID)
	if v, err := w.svc.MyVote(ctx, p, id); err != nil || v != nil {
		t.Fatalf("before voting: %+v, %v; want nil", v, err)
	}
	if _, err := w.svc.Vote(ctx, p, id, recruiting.VoteInput{Decision: rubric.NoHire, Note: "thin on metrics"}); err != nil {
		t.Fatal(err)
	}
	v, err := w.svc.MyVote(ctx, p, id)
	if err != nil || v == nil || v.Decision != rubric.NoHire || v.Note != "thin on metrics" {
		t.Errorf("after voting: %+v, %v", v, err)
	}
	colleague := *p
	colleague.RecruiterID = "rec_someone_else"
	if v, err := w.svc.MyVote(ctx, &colleague, id); err != nil || v != nil {
		t.Errorf("a colleague's read: %+v, %v; want nil", v, err)
	}
	if _, err := w.svc.MyVote(ctx, other, id); !errors.Is(err, recruiting.ErrNotFound) {
		t.Errorf("another org's read: %v, want ErrNotFound", err)
	}
}
