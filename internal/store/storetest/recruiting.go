package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"barraiser/internal/interview"
	"barraiser/internal/recruiting"
	"barraiser/internal/rubric"
)

// Sessions is a session store with the recruiter-side reads.
type Sessions interface {
	interview.Store
	recruiting.SessionStore
}

// RecruitingStoreSuite tests a recruiting.Store together with the
// session store it sits beside. Every subtest makes its own orgs with
// fresh ids, so the stores may be shared.
func RecruitingStoreSuite(t *testing.T, newStores func(t *testing.T) (recruiting.Store, Sessions)) {
	t.Helper()
	for _, tc := range []struct {
		name string
		f    func(t *testing.T, st recruiting.Store, ss Sessions)
	}{
		{"OrgAndRecruiter", testOrg},
		{"TokensRevoke", testTokens},
		{"Logins", testLogins},
		{"QuestionSetVersions", testQuestionSetVersions},
		{"InvitesSingleUse", testInvites},
		{"VotesAndForget", testVotes},
		{"OrgSessionsDeleteAndPurgeList", testOrgSessions},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			st, ss := newStores(t)
			tc.f(t, st, ss)
		})
	}
}

// NewOrg stores a fresh org with an admin and returns them.
func NewOrg(t *testing.T, st recruiting.Store) (*recruiting.Org, *recruiting.Recruiter) {
	t.Helper()
	id := NewID()
	o := &recruiting.Org{ID: "org-" + id, Name: "Org " + id, CreatedAt: At(0)}
	r := &recruiting.Recruiter{ID: "rec-" + id, OrgID: o.ID, Email: id + "@example.com", PasswordHash: "$2a$hash", Role: recruiting.RoleAdmin, CreatedAt: At(0)}
	if err := st.CreateOrg(t.Context(), o, r); err != nil {
		t.Fatalf("CreateOrg: %v", err)
	}
	return o, r
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: error %v, want %v", what, err, want)
	}
}

func testOrg(t *testing.T, st recruiting.Store, _ Sessions) {
	ctx := t.Context()
	o, r := NewOrg(t, st)
	got, err := st.Org(ctx, o.ID)
	if err != nil || got.Name != o.Name || !got.CreatedAt.Equal(o.CreatedAt) {
		t.Errorf("Org = %+v, %v; want %+v", got, err, o)
	}
	gr, err := st.RecruiterByEmail(ctx, r.Email)
	if err != nil || gr.ID != r.ID || gr.OrgID != o.ID || gr.PasswordHash != r.PasswordHash || gr.Role != recruiting.RoleAdmin {
		t.Errorf("RecruiterByEmail = %+v, %v", gr, err)
	}
	second := &recruiting.Recruiter{ID: "rec-" + NewID(), OrgID: o.ID, Email: "zz-second-" + r.Email, PasswordHash: "h", Role: recruiting.RoleRecruiter, CreatedAt: At(time.Second)}
	if err := st.CreateRecruiter(ctx, second); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "CreateRecruiter with a taken email", st.CreateRecruiter(ctx, &recruiting.Recruiter{ID: "rec-" + NewID(), OrgID: o.ID, Email: second.Email, PasswordHash: "h", Role: recruiting.RoleRecruiter, CreatedAt: At(0)}), recruiting.ErrConflict)
	if list, err := st.Recruiters(ctx, o.ID); err != nil || len(list) != 2 || list[0].Email != r.Email || list[1].Role != recruiting.RoleRecruiter {
		t.Errorf("Recruiters = %+v, %v; want the admin and the second, by email", list, err)
	}
	dup := &recruiting.Org{ID: "org-" + NewID(), Name: "dup", CreatedAt: At(0)}
	wantErr(t, "CreateOrg with a taken email", st.CreateOrg(ctx, dup, &recruiting.Recruiter{ID: "rec-" + NewID(), Email: r.Email, PasswordHash: "x", Role: recruiting.RoleAdmin, CreatedAt: At(0)}), recruiting.ErrConflict)
	_, err = st.RecruiterByEmail(ctx, "nobody-"+NewID()+"@example.com")
	wantErr(t, "RecruiterByEmail unknown", err, recruiting.ErrNotFound)
	if err := st.SetRetention(ctx, o.ID, 30); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.Org(ctx, o.ID); got.RetentionDays != 30 {
		t.Errorf("retention = %d, want 30", got.RetentionDays)
	}
	orgs, err := st.Orgs(ctx)
	found := false
	for _, x := range orgs {
		found = found || x.ID == o.ID
	}
	if err != nil || !found {
		t.Errorf("Orgs misses %s: %v", o.ID, err)
	}
}

func testTokens(t *testing.T, st recruiting.Store, _ Sessions) {
	ctx := t.Context()
	o, r := NewOrg(t, st)
	other, _ := NewOrg(t, st)
	tok := &recruiting.APIToken{ID: "tok-" + NewID(), OrgID: o.ID, RecruiterID: r.ID, Name: "ci", Role: recruiting.RoleRecruiter, Hash: "h-" + NewID(), CreatedAt: At(0)}
	if err := st.CreateToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	got, err := st.TokenByHash(ctx, tok.Hash)
	if err != nil || got.ID != tok.ID || got.OrgID != o.ID || got.Role != recruiting.RoleRecruiter || got.RevokedAt != nil {
		t.Fatalf("TokenByHash = %+v, %v", got, err)
	}
	wantErr(t, "RevokeToken by another org", st.RevokeToken(ctx, other.ID, tok.ID, At(time.Hour)), recruiting.ErrNotFound)
	if err := st.RevokeToken(ctx, o.ID, tok.ID, At(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := st.RevokeToken(ctx, "", tok.ID, At(2*time.Hour)); err != nil {
		t.Fatalf("revoking twice: %v", err)
	}
	got, _ = st.TokenByHash(ctx, tok.Hash)
	if got.RevokedAt == nil || !got.RevokedAt.Equal(At(time.Hour)) {
		t.Errorf("revoked at %v, want the first revocation %v", got.RevokedAt, At(time.Hour))
	}
}

func testLogins(t *testing.T, st recruiting.Store, _ Sessions) {
	ctx := t.Context()
	o, r := NewOrg(t, st)
	// Far in the future: other tests sharing the store purge expired
	// logins at their own times.
	l := &recruiting.Login{Hash: "l-" + NewID(), CSRFHash: "c", RecruiterID: r.ID, OrgID: o.ID, Role: r.Role, CreatedAt: At(0), ExpiresAt: At(0).AddDate(100, 0, 0)}
	if err := st.CreateLogin(ctx, l); err != nil {
		t.Fatal(err)
	}
	got, err := st.LoginByHash(ctx, l.Hash)
	if err != nil || got.CSRFHash != "c" || !got.ExpiresAt.Equal(l.ExpiresAt) || got.OrgID != o.ID {
		t.Errorf("LoginByHash = %+v, %v", got, err)
	}
	expired := &recruiting.Login{Hash: "l-" + NewID(), CSRFHash: "c", RecruiterID: r.ID, OrgID: o.ID, Role: r.Role, CreatedAt: At(0), ExpiresAt: At(time.Minute)}
	if err := st.CreateLogin(ctx, expired); err != nil {
		t.Fatal(err)
	}
	if n, err := st.DeleteExpiredLogins(ctx, At(30*time.Minute)); err != nil || n < 1 {
		t.Errorf("DeleteExpiredLogins = %d, %v", n, err)
	}
	_, err = st.LoginByHash(ctx, expired.Hash)
	wantErr(t, "an expired login after DeleteExpiredLogins", err, recruiting.ErrNotFound)
	if _, err := st.LoginByHash(ctx, l.Hash); err != nil {
		t.Errorf("a live login went with the expired ones: %v", err)
	}
	if err := st.DeleteLogin(ctx, l.Hash); err != nil {
		t.Fatal(err)
	}
	_, err = st.LoginByHash(ctx, l.Hash)
	wantErr(t, "LoginByHash after delete", err, recruiting.ErrNotFound)
}

// QuestionSet is a valid set of org for tests.
func QuestionSet(orgID, id string, version int) *recruiting.QuestionSet {
	return &recruiting.QuestionSet{
		ID: id, OrgID: orgID, Version: version, CreatedAt: At(time.Duration(version) * time.Minute),
		QuestionSetInput: recruiting.QuestionSetInput{
			Name: "Backend L5", Description: "v" + string(rune('0'+version)),
			Questions: []recruiting.SetQuestion{{Principle: "Ownership", Text: "Tell me about a time you owned a problem.",
				Levels: []string{"L5"}, Probes: []recruiting.SetProbe{{Dimension: rubric.MetricDelta, Text: "What changed, in numbers?"}}}},
			Dimensions: []string{rubric.Mechanism}, QuestionsPerInterview: 1, ProbesPerQuestion: 2, TimeLimitMinutes: 30,
			Exemplars: []recruiting.SetExemplar{},
		},
	}
}

func testQuestionSetVersions(t *testing.T, st recruiting.Store, _ Sessions) {
	ctx := t.Context()
	o, _ := NewOrg(t, st)
	other, _ := NewOrg(t, st)
	id := "qs-" + NewID()
	for v := 1; v <= 2; v++ {
		if err := st.AddQuestionSetVersion(ctx, QuestionSet(o.ID, id, v)); err != nil {
			t.Fatalf("version %d: %v", v, err)
		}
	}
	wantErr(t, "AddQuestionSetVersion twice", st.AddQuestionSetVersion(ctx, QuestionSet(o.ID, id, 2)), recruiting.ErrConflict)
	latest, err := st.QuestionSet(ctx, o.ID, id, 0)
	if err != nil || latest.Version != 2 || latest.Description != "v2" {
		t.Errorf("latest = %+v, %v; want version 2", latest, err)
	}
	first, err := st.QuestionSet(ctx, o.ID, id, 1)
	if err != nil || first.Version != 1 || first.Questions[0].Probes[0].Text != "What changed, in numbers?" {
		t.Errorf("version 1 = %+v, %v", first, err)
	}
	_, err = st.QuestionSet(ctx, other.ID, id, 0)
	wantErr(t, "another org's set", err, recruiting.ErrNotFound)
	sets, err := st.QuestionSets(ctx, o.ID)
	if err != nil || len(sets) != 1 || sets[0].Version != 2 {
		t.Errorf("QuestionSets = %+v, %v; want the one set at version 2", sets, err)
	}
	if sets, _ := st.QuestionSets(ctx, other.ID); len(sets) != 0 {
		t.Errorf("another org lists %d sets", len(sets))
	}
	wantErr(t, "delete by another org", st.DeleteQuestionSet(ctx, other.ID, id), recruiting.ErrNotFound)
	if err := st.DeleteQuestionSet(ctx, o.ID, id); err != nil {
		t.Fatal(err)
	}
	_, err = st.QuestionSet(ctx, o.ID, id, 1)
	wantErr(t, "deleted set", err, recruiting.ErrNotFound)
}

func testInvites(t *testing.T, st recruiting.Store, _ Sessions) {
	ctx := t.Context()
	o, r := NewOrg(t, st)
	other, _ := NewOrg(t, st)
	inv := &recruiting.Invite{ID: "inv-" + NewID(), OrgID: o.ID, Hash: "i-" + NewID(), QuestionSetID: "qs", Level: "L5",
		Candidate: "cand 7", CreatedBy: r.ID, CreatedAt: At(0), ExpiresAt: At(time.Hour)}
	if err := st.CreateInvite(ctx, inv); err != nil {
		t.Fatal(err)
	}
	got, err := st.InviteByHash(ctx, inv.Hash)
	if err != nil || got.ID != inv.ID || got.UsedAt != nil || got.Candidate != "cand 7" || !got.ExpiresAt.Equal(inv.ExpiresAt) {
		t.Fatalf("InviteByHash = %+v, %v", got, err)
	}
	if err := st.UseInvite(ctx, inv.ID, At(time.Minute)); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "UseInvite twice", st.UseInvite(ctx, inv.ID, At(2*time.Minute)), recruiting.ErrInviteUsed)
	// A claim whose start failed is given back; one that started a
	// session never is.
	if err := st.ReleaseInvite(ctx, inv.ID); err != nil {
		t.Fatal(err)
	}
	if err := st.UseInvite(ctx, inv.ID, At(time.Minute)); err != nil {
		t.Fatalf("UseInvite after ReleaseInvite: %v", err)
	}
	if err := st.SetInviteSession(ctx, inv.ID, "sess-1"); err != nil {
		t.Fatal(err)
	}
	if err := st.ReleaseInvite(ctx, inv.ID); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "UseInvite of an invite that started a session, after ReleaseInvite", st.UseInvite(ctx, inv.ID, At(3*time.Minute)), recruiting.ErrInviteUsed)
	list, err := st.Invites(ctx, o.ID)
	if err != nil || len(list) != 1 || list[0].SessionID != "sess-1" || list[0].UsedAt == nil {
		t.Errorf("Invites = %+v, %v", list, err)
	}
	if l, _ := st.Invites(ctx, other.ID); len(l) != 0 {
		t.Errorf("another org sees %d invites", len(l))
	}
	wantErr(t, "revoke by another org", st.RevokeInvite(ctx, other.ID, inv.ID, At(0)), recruiting.ErrNotFound)
	if err := st.RevokeInvite(ctx, o.ID, inv.ID, At(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.InviteByHash(ctx, inv.Hash); got.RevokedAt == nil {
		t.Error("revoked invite has no revoked_at")
	}
}

// FinishedSession stores a finished session of org with a scorecard of
// decision, and returns it.
func FinishedSession(t *testing.T, ss interview.Store, org string, finished time.Time, decision string) *interview.Session {
	t.Helper()
	ctx := t.Context()
	s := NewSession()
	s.Org = org
	if err := ss.CreateSession(ctx, s); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ss.AppendMessage(ctx, s.ID, interview.Message{Role: interview.RoleCandidate, Kind: interview.KindAnswer, Text: "I did it", At: finished}); err != nil {
		t.Fatal(err)
	}
	s.Status, s.FinishedAt, s.UpdatedAt = interview.StatusFinished, &finished, finished
	if err := ss.UpdateSession(ctx, s); err != nil {
		t.Fatal(err)
	}
	sc := &interview.Scorecard{SessionID: s.ID}
	sc.Decision = decision
	sc.Dimensions = []rubric.DimensionResult{{ID: rubric.MetricDelta, Pass: false}}
	if err := ss.SaveScorecard(ctx, s.ID, sc); err != nil {
		t.Fatal(err)
	}
	return s
}

func testVotes(t *testing.T, st recruiting.Store, ss Sessions) {
	ctx := t.Context()
	o, r := NewOrg(t, st)
	s := FinishedSession(t, ss, o.ID, At(time.Hour), rubric.Hire)
	v := &recruiting.Vote{SessionID: s.ID, OrgID: o.ID, RecruiterID: r.ID, Decision: rubric.NoHire,
		Dimensions: map[string]bool{rubric.MetricDelta: true}, Note: "weak", CreatedAt: At(0)}
	if err := st.PutVote(ctx, v); err != nil {
		t.Fatal(err)
	}
	v.Decision = rubric.Hire
	if err := st.PutVote(ctx, v); err != nil {
		t.Fatalf("replacing a vote: %v", err)
	}
	votes, err := st.Votes(ctx, o.ID)
	if err != nil || len(votes) != 1 || votes[0].Decision != rubric.Hire || !votes[0].Dimensions[rubric.MetricDelta] {
		t.Errorf("Votes = %+v, %v; want the one replaced vote", votes, err)
	}
	if err := st.ForgetSession(ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	if votes, _ := st.Votes(ctx, o.ID); len(votes) != 0 {
		t.Errorf("%d votes left after ForgetSession", len(votes))
	}
}

func testOrgSessions(t *testing.T, st recruiting.Store, ss Sessions) {
	ctx := t.Context()
	o, _ := NewOrg(t, st)
	other, _ := NewOrg(t, st)
	old := FinishedSession(t, ss, o.ID, At(time.Hour), rubric.NoHire)
	recent := FinishedSession(t, ss, o.ID, At(48*time.Hour), rubric.Hire)
	FinishedSession(t, ss, other.ID, At(time.Hour), rubric.Hire)

	list, err := ss.OrgSessions(ctx, o.ID, 10)
	if err != nil || len(list) != 2 {
		t.Fatalf("OrgSessions = %+v, %v; want 2", list, err)
	}
	decisions := map[string]string{}
	for _, i := range list {
		decisions[i.ID] = i.Decision
	}
	if decisions[old.ID] != rubric.NoHire || decisions[recent.ID] != rubric.Hire {
		t.Errorf("decisions = %v", decisions)
	}
	ids, err := ss.FinishedBefore(ctx, o.ID, At(24*time.Hour), 10)
	if err != nil || len(ids) != 1 || ids[0] != old.ID {
		t.Errorf("FinishedBefore = %v, %v; want [%s]", ids, err, old.ID)
	}
	if err := ss.DeleteSession(ctx, old.ID); err != nil {
		t.Fatal(err)
	}
	_, err = ss.Session(ctx, old.ID)
	wantErr(t, "Session after delete", err, interview.ErrNotFound)
	_, err = ss.Scorecard(ctx, old.ID)
	wantErr(t, "Scorecard after delete", err, interview.ErrNotFound)
	if ms, err := ss.Messages(ctx, old.ID, 0); err == nil && len(ms) != 0 {
		t.Errorf("%d messages left after delete", len(ms))
	}
	wantErr(t, "DeleteSession twice", ss.DeleteSession(ctx, old.ID), interview.ErrNotFound)
	if list, _ := ss.OrgSessions(context.WithoutCancel(ctx), "", 10); len(list) != 0 {
		t.Errorf("org \"\" lists %d sessions; self-serve sessions belong to nobody", len(list))
	}
}
