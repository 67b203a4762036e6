package main

import (
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"barraiser/internal/recruiting"
	"barraiser/internal/retrieval"
	"barraiser/internal/store/postgres/pgtest"
)

// TestOrgAndTokenCommands: "api org create" makes an org whose admin can
// mint a token, and "api token revoke" stops it; passwords are generated
// and shown once, or read from stdin and never echoed.
func TestOrgAndTokenCommands(t *testing.T) {
	url := pgtest.URL(t)
	vars := map[string]string{"DATABASE_URL": url}
	exec := func(stdin string, args ...string) (int, string, string) {
		var out, errOut strings.Builder
		code := run(t.Context(), args, env(vars), strings.NewReader(stdin), &out, &errOut)
		return code, out.String(), errOut.String()
	}

	code, out, errOut := exec("", "org", "create", "-name", "Acme", "-admin-email", "lead@acme.example")
	if code != exitOK || !regexp.MustCompile(`(?m)^password \S{20,}$`).MatchString(out) {
		t.Fatalf("org create: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, _ = exec("a password from stdin\n", "org", "create", "-name", "Beta", "-admin-email", "lead@beta.example", "-password-stdin")
	if code != exitOK || strings.Contains(out, "password") {
		t.Errorf("org create -password-stdin: exit %d, stdout %q", code, out)
	}
	if code, _, errOut := exec("", "org", "create", "-name", "Again", "-admin-email", "lead@acme.example"); code != exitFailure || !strings.Contains(errOut, "conflict") {
		t.Errorf("a taken email: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := exec("short\n", "org", "create", "-name", "X", "-admin-email", "x@x.example", "-password-stdin"); code != exitFailure || !strings.Contains(errOut, "password") {
		t.Errorf("a short password: exit %d, stderr %q", code, errOut)
	}

	code, out, errOut = exec("", "token", "mint", "-email", "lead@acme.example", "-name", "ci")
	m := regexp.MustCompile(`(?m)^token (brt_\S+)$`).FindStringSubmatch(out)
	if code != exitOK || m == nil {
		t.Fatalf("token mint: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if code, out, errOut := exec("", "token", "revoke", m[1]); code != exitOK || out != "revoked\n" {
		t.Errorf("token revoke: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if code, _, _ := exec("", "token", "revoke", "tok_nosuch"); code != exitFailure {
		t.Errorf("revoking an unknown token: exit %d", code)
	}
	for _, args := range [][]string{{"org"}, {"org", "create"}, {"token"}, {"token", "mint"}, {"token", "revoke"}} {
		if code, _, _ := exec("", args...); code != exitUsage {
			t.Errorf("api %s: exit %d, want %d", strings.Join(args, " "), code, exitUsage)
		}
	}
}

// TestOrgExemplarsStayInTheirOrg: a question set's private exemplars are
// retrieved for its own org's interviews only, survive a restart (the
// start-up sync keeps them) and go when the set drops them.
func TestOrgExemplarsStayInTheirOrg(t *testing.T) {
	cfg := configFromEnv(env(map[string]string{"DATABASE_URL": pgtest.NewDatabase(t)}))
	build := func() *app {
		a, err := buildApp(t.Context(), cfg, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(a.close)
		return a
	}
	a := build()
	ctx := t.Context()
	orgA, adminA, _, err := a.recruiting.CreateOrg(ctx, "A", "a@a.example", "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	orgB, adminB, _, err := a.recruiting.CreateOrg(ctx, "B", "b@b.example", "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	pa := &recruiting.Principal{OrgID: orgA.ID, RecruiterID: adminA.ID, Role: recruiting.RoleAdmin}
	pb := &recruiting.Principal{OrgID: orgB.ID, RecruiterID: adminB.ID, Role: recruiting.RoleAdmin}
	const private = "I wrote a zebra-striped runbook for the quarantine queue and drilled it every Tuesday with the on-call rota."
	in := recruiting.QuestionSetInput{
		Name:      "private",
		Questions: []recruiting.SetQuestion{{Principle: "Ownership", Text: "Tell me about owning a problem."}},
		Exemplars: []recruiting.SetExemplar{{Principle: "Ownership", Dimension: "mechanism", Label: "strong", Text: private}},
	}
	qs, err := a.recruiting.CreateQuestionSet(ctx, pa, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.recruiting.CreateQuestionSet(ctx, pb, recruiting.QuestionSetInput{Name: "b", Questions: in.Questions}); err != nil {
		t.Fatal(err)
	}
	search := func(a *app, org string) (own, foreign int) {
		t.Helper()
		ms, err := a.search.Search(ctx, retrieval.Query{Text: private, K: retrieval.MaxK, Filter: retrieval.Filter{Org: org}})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			switch {
			case m.Text == private && m.Org == org:
				own++
			case m.Org != "" && m.Org != org:
				foreign++
			}
		}
		return own, foreign
	}
	for _, org := range []string{orgB.ID, ""} {
		if own, foreign := search(a, org); foreign != 0 {
			t.Errorf("org %q retrieves %d of another org's exemplars", org, foreign)
		} else if own != 0 {
			t.Errorf("org %q retrieves org A's exemplar as its own", org)
		}
	}
	if own, _ := search(a, orgA.ID); own != 1 {
		t.Errorf("org A retrieves its exemplar %d times, want 1", own)
	}

	restarted := build()
	if own, _ := search(restarted, orgA.ID); own != 1 {
		t.Errorf("after a restart org A retrieves its exemplar %d times, want 1", own)
	}
	in.Exemplars = nil
	if _, err := restarted.recruiting.UpdateQuestionSet(ctx, pa, qs.ID, in); err != nil {
		t.Fatal(err)
	}
	if own, _ := search(restarted, orgA.ID); own != 0 {
		t.Errorf("after the set dropped it org A retrieves it %d times", own)
	}
}
