package httpapi_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"barraiser/internal/httpapi"
	"barraiser/internal/interview"
	"barraiser/internal/recruiting"
)

// memRecruiters is a server on the in-memory stores with one org; it
// returns the handler, the service and the org admin's API token.
func memRecruiters(t testing.TB, limits httpapi.Limits) (http.Handler, *recruiting.Service, string) {
	h, svc, _, token := memRecruitersEngine(t, limits)
	return h, svc, token
}

func memRecruitersEngine(t testing.TB, limits httpapi.Limits) (http.Handler, *recruiting.Service, *interview.Engine, string) {
	t.Helper()
	engine, svc := memoryStack(t, nil, nil)
	if _, _, _, err := svc.CreateOrg(t.Context(), "Acme", emailA, password); err != nil {
		t.Fatal(err)
	}
	_, token, err := svc.MintToken(t.Context(), emailA, "test")
	if err != nil {
		t.Fatal(err)
	}
	return newServer(t, httpapi.Config{Interviews: engine, Recruiting: svc, Limits: limits}), svc, engine, token
}

func call(t testing.TB, h http.Handler, method, path, token, body string) *httptest.ResponseRecorder {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

type apiErr struct {
	Error struct{ Code, Message, Field string } `json:"error"`
}

// TestQuestionSetValidationOverHTTP: a bad field is a 400 whose body
// names it (in "field" and in the message).
func TestQuestionSetValidationOverHTTP(t *testing.T) {
	h, _, token := memRecruiters(t, httpapi.Limits{})
	edit := func(f func(m map[string]any)) string {
		var m map[string]any
		if err := json.Unmarshal([]byte(setJSON), &m); err != nil {
			t.Fatal(err)
		}
		f(m)
		b, _ := json.Marshal(m)
		return string(b)
	}
	q0 := func(m map[string]any) map[string]any { return m["questions"].([]any)[0].(map[string]any) }
	for _, tc := range []struct {
		name, body, field string
		status            int
	}{
		{"unknown principle", edit(func(m map[string]any) { q0(m)["principle"] = "Move Fast" }), "questions[0].principle", 400},
		{"empty questions", edit(func(m map[string]any) { m["questions"] = []any{} }), "questions", 400},
		{"no questions", edit(func(m map[string]any) { delete(m, "questions") }), "questions", 400},
		{"oversize question text", edit(func(m map[string]any) { q0(m)["text"] = strings.Repeat("why? ", 1000) }), "questions[0].text", 400},
		{"oversize name", edit(func(m map[string]any) { m["name"] = strings.Repeat("n", 300) }), "name", 400},
		{"unknown level", edit(func(m map[string]any) { q0(m)["levels"] = []string{"L3"} }), "questions[0].levels[0]", 400},
		{"probe dimension", edit(func(m map[string]any) { q0(m)["probes"] = []map[string]string{{"dimension": "x", "text": "y"}} }), "questions[0].probes[0].dimension", 400},
		{"advanced dimension", edit(func(m map[string]any) { m["dimensions"] = []string{"first_person_actions"} }), "dimensions[0]", 400},
		{"exemplar label", edit(func(m map[string]any) {
			m["exemplars"] = []map[string]string{{"dimension": "mechanism", "label": "ok", "text": "t"}}
		}), "exemplars[0].label", 400},
		{"time limit", edit(func(m map[string]any) { m["time_limit_minutes"] = 1000 }), "time_limit_minutes", 400},
		{"wrong type", edit(func(m map[string]any) { m["probes_per_question"] = "two" }), "", 400},
		{"unknown field", edit(func(m map[string]any) { m["colour"] = "red" }), "", 400},
		{"body over the limit", `{"name":"` + strings.Repeat("x", 600<<10) + `"}`, "", 413},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := call(t, h, "POST", "/api/v1/question-sets", token, tc.body)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			var e apiErr
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error.Code == "" {
				t.Fatalf("body %s: %v", rec.Body, err)
			}
			if tc.field != "" && (e.Error.Field != tc.field || !strings.HasPrefix(e.Error.Message, tc.field+": ")) {
				t.Errorf("error %+v does not name %q", e.Error, tc.field)
			}
		})
	}
}

// TestQuestionSetVersionsOverHTTP: PUT makes version 2; version 1 is still
// there to read.
func TestQuestionSetVersionsOverHTTP(t *testing.T) {
	h, _, token := memRecruiters(t, httpapi.Limits{})
	rec := call(t, h, "POST", "/api/v1/question-sets", token, setJSON)
	var qs recruiting.QuestionSet
	if err := json.Unmarshal(rec.Body.Bytes(), &qs); err != nil || rec.Code != 201 || qs.Version != 1 {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	rec = call(t, h, "PUT", "/api/v1/question-sets/"+qs.ID, token, strings.Replace(setJSON, `"Backend"`, `"Backend v2"`, 1))
	var v2 recruiting.QuestionSet
	if err := json.Unmarshal(rec.Body.Bytes(), &v2); err != nil || v2.Version != 2 || v2.Name != "Backend v2" {
		t.Fatalf("update: %d %s", rec.Code, rec.Body)
	}
	rec = call(t, h, "GET", "/api/v1/question-sets/"+qs.ID+"/versions/1", token, "")
	var v1 recruiting.QuestionSet
	if err := json.Unmarshal(rec.Body.Bytes(), &v1); err != nil || v1.Version != 1 || v1.Name != "Backend" {
		t.Errorf("version 1: %d %s", rec.Code, rec.Body)
	}
	for _, bad := range []string{"0", "x", "-1"} {
		if rec := call(t, h, "GET", "/api/v1/question-sets/"+qs.ID+"/versions/"+bad, token, ""); rec.Code != 400 {
			t.Errorf("version %q: status %d, want 400", bad, rec.Code)
		}
	}
	if rec := call(t, h, "GET", "/api/v1/question-sets/"+qs.ID+"/versions/3", token, ""); rec.Code != 404 {
		t.Errorf("version 3: status %d, want 404", rec.Code)
	}
}

// TestConsoleLogin: the login sets an HttpOnly, Secure, SameSite=Strict
// session cookie and a CSRF cookie; unsafe requests need the header to
// match both; a wrong password is a 401 that says nothing more.
func TestConsoleLogin(t *testing.T) {
	h, _, _ := memRecruiters(t, httpapi.Limits{})
	if rec := call(t, h, "POST", "/api/v1/auth/login", "", `{"email":"`+emailA+`","password":"nope nope nope"}`); rec.Code != 401 {
		t.Errorf("wrong password: %d", rec.Code)
	}
	rec := call(t, h, "POST", "/api/v1/auth/login", "", `{"email":"`+strings.ToUpper(emailA)+`","password":"`+password+`"}`)
	if rec.Code != 200 {
		t.Fatalf("login: %d %s", rec.Code, rec.Body)
	}
	if strings.Contains(rec.Body.String(), password) {
		t.Error("the answer echoes the password")
	}
	var session, csrf *http.Cookie
	for _, c := range rec.Result().Cookies() {
		switch c.Name {
		case httpapi.SessionCookie:
			session = c
		case httpapi.CSRFCookie:
			csrf = c
		}
	}
	if session == nil || !session.HttpOnly || !session.Secure || session.SameSite != http.SameSiteStrictMode {
		t.Fatalf("session cookie %+v: want HttpOnly, Secure, SameSite=Strict", session)
	}
	if csrf == nil || csrf.HttpOnly || !strings.Contains(rec.Body.String(), csrf.Value) {
		t.Fatalf("CSRF cookie %+v: want one the page can read, and its value in the answer", csrf)
	}
	send := func(method, path, header, double string) int {
		req := httptest.NewRequest(method, path, strings.NewReader(`{"retention_days":7}`))
		req.Header.Set("Content-Type", "application/json")
		req.AddCookie(session)
		req.AddCookie(&http.Cookie{Name: httpapi.CSRFCookie, Value: double})
		if header != "" {
			req.Header.Set(httpapi.CSRFHeader, header)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	for _, tc := range []struct {
		name           string
		header, double string
		want           int
	}{
		{"header and cookie", csrf.Value, csrf.Value, 200},
		{"no header", "", csrf.Value, 403},
		{"header differs from the cookie", csrf.Value, "brc_other", 403},
		{"forged pair", "brc_forged", "brc_forged", 403},
	} {
		if got := send("PUT", "/api/v1/org/retention", tc.header, tc.double); got != tc.want {
			t.Errorf("%s: status %d, want %d", tc.name, got, tc.want)
		}
	}
	if got := send("GET", "/api/v1/org", "", ""); got != 200 {
		t.Errorf("a read without the CSRF header: %d, want 200", got)
	}
	if got := send("POST", "/api/v1/auth/logout", csrf.Value, csrf.Value); got != 204 {
		t.Errorf("logout: %d", got)
	}
	if got := send("GET", "/api/v1/org", "", ""); got != 401 {
		t.Errorf("after logout: %d, want 401", got)
	}
}

// TestLoginThrottle: after the burst of attempts on one address the next
// is a 429 with Retry-After, even with the right password.
func TestLoginThrottle(t *testing.T) {
	h, _, _ := memRecruiters(t, httpapi.Limits{LoginBurst: 3})
	for i := range 3 {
		if rec := call(t, h, "POST", "/api/v1/auth/login", "", `{"email":"`+emailA+`","password":"wrong password `+strconv.Itoa(i)+`"}`); rec.Code != 401 {
			t.Fatalf("attempt %d: %d", i, rec.Code)
		}
	}
	rec := call(t, h, "POST", "/api/v1/auth/login", "", `{"email":"`+emailA+`","password":"`+password+`"}`)
	if rec.Code != 429 || rec.Header().Get("Retry-After") == "" {
		t.Errorf("fourth attempt: %d, Retry-After %q; want 429 with Retry-After", rec.Code, rec.Header().Get("Retry-After"))
	}
	if rec := call(t, h, "POST", "/api/v1/auth/login", "", `{"email":"other@a.example","password":"whatever it is"}`); rec.Code != 401 {
		t.Errorf("another address: %d, want 401 (not throttled)", rec.Code)
	}
}

// TestRateLimits: past its burst a client address, and an API token, get
// 429 with a Retry-After in whole seconds.
func TestRateLimits(t *testing.T) {
	t.Run("per address", func(t *testing.T) {
		h, _, _ := memRecruiters(t, httpapi.Limits{PerIP: 0.5, IPBurst: 2})
		for i := range 2 {
			if rec := call(t, h, "GET", "/healthz", "", ""); rec.Code != 200 {
				t.Fatalf("request %d: %d", i, rec.Code)
			}
		}
		rec := call(t, h, "GET", "/healthz", "", "")
		if rec.Code != 429 {
			t.Fatalf("third request: %d, want 429", rec.Code)
		}
		if s, err := strconv.Atoi(rec.Header().Get("Retry-After")); err != nil || s < 1 || s > 2 {
			t.Errorf("Retry-After %q, want 1 or 2 seconds", rec.Header().Get("Retry-After"))
		}
	})
	t.Run("per token", func(t *testing.T) {
		h, svc, token := memRecruiters(t, httpapi.Limits{PerToken: 0.1, TokenBurst: 1})
		if rec := call(t, h, "GET", "/api/v1/org", token, ""); rec.Code != 200 {
			t.Fatalf("first: %d", rec.Code)
		}
		if rec := call(t, h, "GET", "/api/v1/org", token, ""); rec.Code != 429 || rec.Header().Get("Retry-After") == "" {
			t.Errorf("second: %d, want 429 with Retry-After", rec.Code)
		}
		_, other, err := svc.MintToken(t.Context(), emailA, "another")
		if err != nil {
			t.Fatal(err)
		}
		if rec := call(t, h, "GET", "/api/v1/org", other, ""); rec.Code != 200 {
			t.Errorf("another token: %d, want 200", rec.Code)
		}
	})
}

// TestInviteToCalibration walks the recruiter flow over HTTP: a set, an
// invite, the candidate's interview, the org's session list, the
// scorecard, a vote and the calibration report; then deletion.
func TestInviteToCalibration(t *testing.T) {
	h, _, engine, token := memRecruitersEngine(t, httpapi.Limits{})
	var qs recruiting.QuestionSet
	decode(t, call(t, h, "POST", "/api/v1/question-sets", token, setJSON), 201, &qs)
	var inv struct {
		ID, Code string
	}
	decode(t, call(t, h, "POST", "/api/v1/invites", token, `{"question_set_id":"`+qs.ID+`","level":"L5","candidate":"cand 9","expires_in_hours":48}`), 201, &inv)
	var list struct{ Invites []map[string]any }
	decode(t, call(t, h, "GET", "/api/v1/invites", token, ""), 200, &list)
	if len(list.Invites) != 1 || strings.Contains(call(t, h, "GET", "/api/v1/invites", token, "").Body.String(), inv.Code) {
		t.Errorf("invites %v: want one, without its code", list)
	}
	var started struct {
		ID, Token string
		Questions []map[string]string
	}
	decode(t, call(t, h, "POST", "/api/v1/invites/redeem", "", `{"code":"`+inv.Code+`"}`), 201, &started)
	if len(started.Questions) != 1 || started.Questions[0]["principle"] != "Ownership" {
		t.Errorf("started %+v", started)
	}
	if rec := call(t, h, "PUT", "/api/v1/sessions/"+started.ID+"/vote", token, `{"decision":"hire"}`); rec.Code != 409 {
		t.Errorf("vote before the end: %d, want 409", rec.Code)
	}
	if rec := call(t, h, "GET", "/api/v1/sessions/"+started.ID+"/scorecard", token, ""); rec.Code != 409 {
		t.Errorf("scorecard before the end: %d, want 409", rec.Code)
	}
	ctx := t.Context()
	if err := engine.Open(ctx, started.ID, discard{}); err != nil {
		t.Fatal(err)
	}
	if err := engine.Answer(ctx, started.ID, "a1", "We had a flaky deploy; the team looked into it.", discard{}); err != nil {
		t.Fatal(err)
	}
	sc, err := engine.End(ctx, started.ID, discard{})
	if err != nil {
		t.Fatal(err)
	}
	var sessions struct{ Sessions []recruiting.SessionInfo }
	decode(t, call(t, h, "GET", "/api/v1/sessions", token, ""), 200, &sessions)
	if len(sessions.Sessions) != 1 || sessions.Sessions[0].Decision != sc.Decision || sessions.Sessions[0].Candidate != "cand 9" ||
		sessions.Sessions[0].QuestionSetVersion != 1 || sessions.Sessions[0].FinishedAt == nil {
		t.Errorf("sessions %+v", sessions)
	}
	var got interview.Scorecard
	decode(t, call(t, h, "GET", "/api/v1/sessions/"+started.ID+"/scorecard", token, ""), 200, &got)
	if got.Decision != sc.Decision || got.SessionID != started.ID {
		t.Errorf("recruiter's scorecard %s/%s, want %s", got.SessionID, got.Decision, sc.Decision)
	}
	// The recruiter says strong hire, whatever the rubric said.
	decode(t, call(t, h, "PUT", "/api/v1/sessions/"+started.ID+"/vote", token, `{"decision":"strong_hire","dimensions":{"metric_delta":true}}`), 200, &map[string]any{})
	if rec := call(t, h, "PUT", "/api/v1/sessions/"+started.ID+"/vote", token, `{"decision":"maybe"}`); rec.Code != 400 || !strings.Contains(rec.Body.String(), `"field":"decision"`) {
		t.Errorf("a bad vote: %d %s", rec.Code, rec.Body)
	}
	var a recruiting.Agreement
	decode(t, call(t, h, "GET", "/api/v1/calibration", token, ""), 200, &a)
	fourWay := 0
	if sc.Decision == "strong_hire" {
		fourWay = 1
	}
	if a.Votes != 1 || a.FourWay.Agree != fourWay || a.Confusion[0][slices.Index(a.Labels, sc.Decision)] != 1 || len(a.Dimensions) != 1 {
		t.Errorf("calibration %+v against rubric %s", a, sc.Decision)
	}
	// Deleting it takes the session, its scorecard and the vote.
	if rec := call(t, h, "DELETE", "/api/v1/sessions/"+started.ID, token, ""); rec.Code != 204 {
		t.Fatalf("delete: %d %s", rec.Code, rec.Body)
	}
	for _, path := range []string{"/api/v1/sessions/" + started.ID + "/scorecard"} {
		if rec := call(t, h, "GET", path, token, ""); rec.Code != 404 {
			t.Errorf("GET %s after delete: %d", path, rec.Code)
		}
	}
	decode(t, call(t, h, "GET", "/api/v1/calibration", token, ""), 200, &a)
	decode(t, call(t, h, "GET", "/api/v1/sessions", token, ""), 200, &sessions)
	if a.Votes != 0 || len(sessions.Sessions) != 0 {
		t.Errorf("after delete: %d votes, %d sessions", a.Votes, len(sessions.Sessions))
	}
}

func decode(t *testing.T, rec *httptest.ResponseRecorder, status int, v any) {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d: %s", rec.Code, status, rec.Body)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
		t.Fatalf("decode %s: %v", rec.Body, err)
	}
}

// TestCandidateDeletesPracticeSession: the candidate of a practice
// session may delete it with its token; then it is gone.
func TestCandidateDeletesPracticeSession(t *testing.T) {
	h, _, _ := memRecruiters(t, httpapi.Limits{})
	var s struct{ ID, Token string }
	decode(t, call(t, h, "POST", "/api/v1/sessions", "", `{}`), 201, &s)
	if rec := call(t, h, "DELETE", "/api/v1/sessions/"+s.ID, "", ""); rec.Code != 401 {
		t.Errorf("without the token: %d, want 401", rec.Code)
	}
	if rec := call(t, h, "DELETE", "/api/v1/sessions/"+s.ID, s.Token, ""); rec.Code != 204 {
		t.Fatalf("with the token: %d %s", rec.Code, rec.Body)
	}
	if rec := call(t, h, "GET", "/api/v1/sessions/"+s.ID+"/scorecard", s.Token, ""); rec.Code != 404 {
		t.Errorf("scorecard after delete: %d, want 404", rec.Code)
	}
	if rec := call(t, h, "DELETE", "/api/v1/sessions/"+s.ID, s.Token, ""); rec.Code != 404 {
		t.Errorf("deleting twice: %d, want 404", rec.Code)
	}
}

// TestSecretsStayOutOfLogs: logging in, minting a token, inviting and
// redeeming leave no password, token, cookie or invite code in the logs.
func TestSecretsStayOutOfLogs(t *testing.T) {
	var logs syncBuffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	engine, svc := memoryStack(t, nil, logger)
	h := newServer(t, httpapi.Config{Interviews: engine, Recruiting: svc, Logger: logger})
	ctx := t.Context()
	if _, _, _, err := svc.CreateOrg(ctx, "Acme", emailA, password); err != nil {
		t.Fatal(err)
	}
	_, token, err := svc.MintToken(ctx, emailA, "ci")
	if err != nil {
		t.Fatal(err)
	}
	login := call(t, h, "POST", "/api/v1/auth/login", "", `{"email":"`+emailA+`","password":"`+password+`"}`)
	if login.Code != 200 {
		t.Fatalf("login: %d", login.Code)
	}
	call(t, h, "POST", "/api/v1/auth/login", "", `{"email":"`+emailA+`","password":"a wrong password"}`)
	var qs recruiting.QuestionSet
	decode(t, call(t, h, "POST", "/api/v1/question-sets", token, setJSON), 201, &qs)
	var inv struct{ Code string }
	decode(t, call(t, h, "POST", "/api/v1/invites", token, `{"question_set_id":"`+qs.ID+`"}`), 201, &inv)
	var started struct{ Token string }
	decode(t, call(t, h, "POST", "/api/v1/invites/redeem", "", `{"code":"`+inv.Code+`"}`), 201, &started)

	secrets := []string{password, "a wrong password", token, inv.Code, started.Token}
	for _, c := range login.Result().Cookies() {
		secrets = append(secrets, c.Value)
	}
	out := logs.String()
	if !strings.Contains(out, "invite redeemed") {
		t.Fatalf("the logs miss the events this test expects:\n%s", out)
	}
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("the logs hold a secret %.8s…", s)
		}
	}
}
