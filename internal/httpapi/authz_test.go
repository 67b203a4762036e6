package httpapi_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"golang.org/x/crypto/bcrypt"

	"barraiser/internal/httpapi"
	"barraiser/internal/interview"
	"barraiser/internal/knowledge"
	"barraiser/internal/llm/scripted"
	"barraiser/internal/recruiting"
	"barraiser/internal/retrieval"
	"barraiser/internal/store/memory"
	"barraiser/internal/store/postgres"
	"barraiser/internal/store/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// recruiterWorld is a server on PostgreSQL with two orgs, each with an
// admin, an API token and a question set, and the credentials the
// authorisation matrix presents.
type recruiterWorld struct {
	t        *testing.T
	srv      *httptest.Server
	api      *httpapi.Server
	svc      *recruiting.Service
	engine   *interview.Engine
	store    *postgres.Store
	orgA     *recruiting.Principal
	orgB     *recruiting.Principal
	tokenA   string // org A's admin's API token
	tokenB   string // org B's admin's API token
	revoked  string // a revoked token of org A
	otherTok string // the session token of an org B session
	expired  string // an invite code past its expiry
	used     string // an invite code already redeemed
	setB     string // org B's question set
}

const (
	emailA   = "admin@a.example"
	password = "correct horse battery staple"
)

func newRecruiterWorld(t *testing.T) *recruiterWorld {
	t.Helper()
	ctx := t.Context()
	store, err := postgres.Open(ctx, pgtest.URL(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(store.Close)
	pack, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	engine := interview.NewEngine(interview.Config{Store: store, Interviewer: scripted.New(), Fallback: scripted.New(), Pack: pack})
	svc := recruiting.NewService(recruiting.Config{Store: store, Sessions: store, Starter: engine, PasswordCost: bcrypt.MinCost})
	search := retrieval.New(retrieval.NewLocalEmbedder(retrieval.ExemplarsFromPack(pack)), memory.NewVectorStore(), nil)
	if _, err := search.Sync(ctx, retrieval.ExemplarsFromPack(pack)); err != nil {
		t.Fatal(err)
	}
	api := httpapi.New(httpapi.Config{
		Logger: slog.New(slog.DiscardHandler), Interviews: engine, Recruiting: svc, Exemplars: search,
		Metrics: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "# metrics\n") }),
		Limits:  httpapi.Limits{LoginBurst: 100000},
		Catalog: httpapi.Catalog{Principles: []httpapi.Principle{{Name: "Ownership"}}, Levels: []string{"L5"}},
	})
	srv := httptest.NewServer(api.Handler())
	t.Cleanup(func() { srv.Close(); _ = api.Close() })
	w := &recruiterWorld{t: t, srv: srv, api: api, svc: svc, engine: engine, store: store}

	suffix := strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-"))
	w.orgA = w.org("admin@a.example", suffix)
	w.orgB = w.org("admin@b.example", suffix)
	w.tokenA = w.mint("admin@a.example", suffix)
	w.tokenB = w.mint("admin@b.example", suffix)
	w.revoked = w.mint("admin@a.example", suffix)
	if err := svc.RevokeToken(ctx, w.revoked); err != nil {
		t.Fatal(err)
	}
	w.setB = w.questionSet(w.orgB)
	_, w.otherTok = w.finishedSession(w.orgB)
	_, w.used = w.invite(w.orgA, time.Hour)
	if _, _, err := svc.Redeem(ctx, w.used); err != nil {
		t.Fatal(err)
	}
	// An invite that expired: stored directly, since the service refuses
	// to make one with a past expiry.
	w.expired = "bri_" + strings.Repeat("E", 26) + suffix
	inv := &recruiting.Invite{ID: "inv_expired_" + suffix, OrgID: w.orgA.OrgID, Hash: recruiting.HashSecret(w.expired),
		QuestionSetID: w.questionSet(w.orgA), Level: "L5", CreatedAt: time.Now().Add(-2 * time.Hour), ExpiresAt: time.Now().Add(-time.Hour)}
	if err := store.CreateInvite(ctx, inv); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *recruiterWorld) org(email, suffix string) *recruiting.Principal {
	w.t.Helper()
	email = strings.Replace(email, "@", "+"+suffix+"@", 1)
	o, r, _, err := w.svc.CreateOrg(w.t.Context(), "Org "+email, email, password)
	if err != nil {
		w.t.Fatal(err)
	}
	return &recruiting.Principal{OrgID: o.ID, RecruiterID: r.ID, Role: r.Role, Method: recruiting.MethodToken}
}

func (w *recruiterWorld) mint(email, suffix string) string {
	w.t.Helper()
	_, tok, err := w.svc.MintToken(w.t.Context(), strings.Replace(email, "@", "+"+suffix+"@", 1), "test")
	if err != nil {
		w.t.Fatal(err)
	}
	return tok
}

func (w *recruiterWorld) emailA() string {
	return strings.Replace(emailA, "@", "+"+strings.ToLower(strings.ReplaceAll(w.t.Name(), "/", "-"))+"@", 1)
}

const setJSON = `{"name":"Backend","description":"d","questions":[{"principle":"Ownership","text":"Tell me about a time you owned a problem end to end.","levels":[],"probes":[{"dimension":"metric_delta","text":"What moved, in numbers?"}]}],"dimensions":["mechanism"],"probes_per_question":1}`

func (w *recruiterWorld) questionSet(p *recruiting.Principal) string {
	w.t.Helper()
	var in recruiting.QuestionSetInput
	if err := json.Unmarshal([]byte(setJSON), &in); err != nil {
		w.t.Fatal(err)
	}
	qs, err := w.svc.CreateQuestionSet(w.t.Context(), p, in)
	if err != nil {
		w.t.Fatal(err)
	}
	return qs.ID
}

func (w *recruiterWorld) invite(p *recruiting.Principal, ttl time.Duration) (id, code string) {
	w.t.Helper()
	inv, code, err := w.svc.CreateInvite(w.t.Context(), p, recruiting.InviteInput{QuestionSetID: w.questionSet(p), TTL: ttl})
	if err != nil {
		w.t.Fatal(err)
	}
	return inv.ID, code
}

// finishedSession starts an interview of p's org, answers once and ends
// it; it returns the session id and token.
func (w *recruiterWorld) finishedSession(p *recruiting.Principal) (string, string) {
	w.t.Helper()
	ctx := w.t.Context()
	_, code := w.invite(p, time.Hour)
	s, token, err := w.svc.Redeem(ctx, code)
	if err != nil {
		w.t.Fatal(err)
	}
	if err := w.engine.Open(ctx, s.ID, discard{}); err != nil {
		w.t.Fatal(err)
	}
	if err := w.engine.Answer(ctx, s.ID, "a1", "I rewrote our deploy script myself and failed deploys fell from 12 to 2 a month.", discard{}); err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.engine.End(ctx, s.ID, discard{}); err != nil {
		w.t.Fatal(err)
	}
	return s.ID, token
}

type discard struct{}

func (discard) Accepted(interview.Message)     {}
func (discard) Token(int64, string)            {}
func (discard) Message(interview.Message)      {}
func (discard) Notice(string, string)          {}
func (discard) Scorecard(*interview.Scorecard) {}

// cell is what one request of the matrix works on: fresh resources of
// org A, so that destructive requests never disturb another cell.
type cell struct {
	session, sessionToken string
	set                   string
	inviteID, inviteCode  string
	cookie, csrf          string // a fresh console login of org A's admin
}

// principal is who makes the request.
type principal struct {
	name string
	// auth sets the request's credentials; code is the invite code the
	// principal redeems (their own, for the invite principals).
	auth func(w *recruiterWorld, c *cell, r *http.Request)
	code func(w *recruiterWorld, c *cell) string
}

func bearerAuth(tok func(w *recruiterWorld, c *cell) string) func(*recruiterWorld, *cell, *http.Request) {
	return func(w *recruiterWorld, c *cell, r *http.Request) { r.Header.Set("Authorization", "Bearer "+tok(w, c)) }
}

func freshCode(_ *recruiterWorld, c *cell) string { return c.inviteCode }

var principals = []principal{
	{"anonymous", func(*recruiterWorld, *cell, *http.Request) {}, freshCode},
	{"candidate of this session", bearerAuth(func(_ *recruiterWorld, c *cell) string { return c.sessionToken }), freshCode},
	{"candidate of another session", bearerAuth(func(w *recruiterWorld, _ *cell) string { return w.otherTok }), freshCode},
	{"recruiter of this org", bearerAuth(func(w *recruiterWorld, _ *cell) string { return w.tokenA }), freshCode},
	{"recruiter of this org, console cookie", func(_ *recruiterWorld, c *cell, r *http.Request) {
		r.AddCookie(&http.Cookie{Name: httpapi.SessionCookie, Value: c.cookie})
		r.AddCookie(&http.Cookie{Name: httpapi.CSRFCookie, Value: c.csrf})
		r.Header.Set(httpapi.CSRFHeader, c.csrf)
	}, freshCode},
	{"console cookie without CSRF header", func(_ *recruiterWorld, c *cell, r *http.Request) {
		r.AddCookie(&http.Cookie{Name: httpapi.SessionCookie, Value: c.cookie})
		r.AddCookie(&http.Cookie{Name: httpapi.CSRFCookie, Value: c.csrf})
	}, freshCode},
	{"recruiter of another org", bearerAuth(func(w *recruiterWorld, _ *cell) string { return w.tokenB }), freshCode},
	{"revoked token", bearerAuth(func(w *recruiterWorld, _ *cell) string { return w.revoked }), freshCode},
	{"expired invite", bearerAuth(func(w *recruiterWorld, _ *cell) string { return w.expired }), func(w *recruiterWorld, _ *cell) string { return w.expired }},
	{"reused invite", bearerAuth(func(w *recruiterWorld, _ *cell) string { return w.used }), func(w *recruiterWorld, _ *cell) string { return w.used }},
}

// expect lists the status for each principal, in the order of principals:
// anonymous, candidate, other candidate, recruiter, cookie, cookie without
// CSRF, other org's recruiter, revoked token, expired invite, reused invite.
type expect [10]int

// Common rows.
var (
	open         = expect{200, 200, 200, 200, 200, 200, 200, 200, 200, 200}
	recruiterGet = expect{401, 401, 401, 200, 200, 200, 200, 401, 401, 401}
)

// recruiterWrite is a recruiter-only unsafe request: ok for org A's
// recruiter, other for org B's, 403 for a cookie without the CSRF header.
func recruiterWrite(ok, other int) expect {
	return expect{401, 401, 401, ok, ok, 403, other, 401, 401, 401}
}

// recruiterRead is a recruiter-only read of an org A resource.
func recruiterRead(ok, other int) expect {
	return expect{401, 401, 401, ok, ok, ok, other, 401, 401, 401}
}

type endpoint struct {
	method, path string // path may hold {session}, {set}, {invite}
	body         func(w *recruiterWorld, c *cell, p principal) string
	want         expect
}

func constBody(s string) func(*recruiterWorld, *cell, principal) string {
	return func(*recruiterWorld, *cell, principal) string { return s }
}

var endpoints = []endpoint{
	{"GET", "/healthz", nil, open},
	{"GET", "/readyz", nil, open},
	{"GET", "/metrics", nil, open},
	{"GET", "/api/v1/openapi.json", nil, open},
	{"POST", "/api/v1/score", constBody(`{"turns":[{"role":"candidate","text":"I fixed the build myself."}]}`), open},
	{"GET", "/api/v1/exemplars?q=ownership", nil, open},
	{"GET", "/api/v1/principles", nil, open},
	// Practice mode needs no account, whatever else the request carries.
	{"POST", "/api/v1/sessions", constBody(`{}`), expect{201, 201, 201, 201, 201, 201, 201, 201, 201, 201}},
	// A question set's interview needs a recruiter of the set's org.
	{"POST", "/api/v1/sessions", func(_ *recruiterWorld, c *cell, _ principal) string {
		return `{"question_set_id":"` + c.set + `"}`
	}, expect{401, 401, 401, 201, 201, 403, 400, 401, 401, 401}},
	// Anyone with a live invite code starts its interview, once.
	{"POST", "/api/v1/invites/redeem", func(w *recruiterWorld, c *cell, p principal) string {
		return `{"code":"` + p.code(w, c) + `"}`
	}, expect{201, 201, 201, 201, 201, 201, 201, 201, 410, 409}},
	{"GET", "/api/v1/sessions/{session}/scorecard", nil, expect{401, 200, 404, 200, 200, 200, 404, 401, 404, 404}},
	{"GET", "/api/v1/sessions/{session}/ws", nil, expect{401, 101, 404, 404, 401, 401, 404, 404, 404, 404}},
	{"DELETE", "/api/v1/sessions/{session}", nil, expect{401, 403, 404, 204, 204, 403, 404, 401, 404, 404}},
	{"GET", "/api/v1/sessions/{session}/vote", nil, recruiterRead(200, 404)},
	{"PUT", "/api/v1/sessions/{session}/vote", constBody(`{"decision":"hire","dimensions":{"metric_delta":true}}`), recruiterWrite(200, 404)},
	{"GET", "/api/v1/sessions", nil, recruiterGet},
	{"GET", "/api/v1/calibration", nil, recruiterGet},
	{"POST", "/api/v1/auth/login", func(w *recruiterWorld, _ *cell, _ principal) string {
		return `{"email":"` + w.emailA() + `","password":"` + password + `"}`
	}, open},
	{"POST", "/api/v1/auth/logout", nil, recruiterWrite(204, 204)},
	{"GET", "/api/v1/org", nil, recruiterGet},
	{"PUT", "/api/v1/org/retention", constBody(`{"retention_days":0}`), recruiterWrite(200, 200)},
	{"GET", "/api/v1/recruiters", nil, recruiterGet},
	{"POST", "/api/v1/recruiters", func(*recruiterWorld, *cell, principal) string {
		return `{"email":"` + strings.ToLower(rand.Text()) + `@a.example"}`
	}, recruiterWrite(201, 201)},
	{"GET", "/api/v1/question-sets", nil, recruiterGet},
	{"POST", "/api/v1/question-sets", constBody(setJSON), recruiterWrite(201, 201)},
	{"GET", "/api/v1/question-sets/{set}", nil, recruiterRead(200, 404)},
	{"PUT", "/api/v1/question-sets/{set}", constBody(setJSON), recruiterWrite(200, 404)},
	{"DELETE", "/api/v1/question-sets/{set}", nil, recruiterWrite(204, 404)},
	{"GET", "/api/v1/question-sets/{set}/versions/1", nil, recruiterRead(200, 404)},
	{"GET", "/api/v1/invites", nil, recruiterGet},
	{"POST", "/api/v1/invites", func(_ *recruiterWorld, c *cell, _ principal) string {
		return `{"question_set_id":"` + c.set + `","level":"L6","candidate":"cand 42"}`
	}, recruiterWrite(201, 400)},
	{"DELETE", "/api/v1/invites/{invite}", nil, recruiterWrite(204, 404)},
}

// TestAuthorizationMatrix sends every endpoint a request as each
// principal and checks the status: anonymous, the candidate of the
// session the request is about, the candidate of another session, a
// recruiter of the session's org (API token; console cookie with and
// without the CSRF header), a recruiter of another org, a revoked token,
// and the codes of an expired and of a used invite. On PostgreSQL.
func TestAuthorizationMatrix(t *testing.T) {
	w := newRecruiterWorld(t)
	ctx := t.Context()
	cells := 0
	for _, ep := range endpoints {
		for pi, p := range principals {
			name := fmt.Sprintf("%s %s as %s", ep.method, ep.path, p.name)
			if ep.body != nil && ep.method == "POST" && strings.Contains(ep.path, "sessions") && strings.Contains(ep.body(w, &cell{set: "x"}, p), "question_set_id") {
				name = fmt.Sprintf("%s %s (question set) as %s", ep.method, ep.path, p.name)
			}
			c := w.newCell()
			status := w.send(ctx, ep, p, c)
			if want := ep.want[pi]; status != want {
				t.Errorf("%s: status %d, want %d", name, status, want)
			}
			cells++
		}
	}
	t.Logf("%d endpoints × %d principals = %d cells", len(endpoints), len(principals), cells)

	// Every route the server serves is in the matrix.
	inMatrix := map[string]bool{}
	for _, ep := range endpoints {
		path, _, _ := strings.Cut(ep.path, "?")
		path = strings.NewReplacer("{session}", ":id", "{set}", ":id", "{invite}", ":id", "/versions/1", "/versions/:version").Replace(path)
		inMatrix[ep.method+" "+path] = true
	}
	for _, r := range httpapi.Routes(w.api) {
		if !inMatrix[r.Method+" "+r.Path] {
			t.Errorf("%s %s is served but not in the authorisation matrix", r.Method, r.Path)
		}
	}
}

func (w *recruiterWorld) newCell() *cell {
	w.t.Helper()
	c := &cell{}
	c.session, c.sessionToken = w.finishedSession(w.orgA)
	c.set = w.questionSet(w.orgA)
	c.inviteID, c.inviteCode = w.invite(w.orgA, time.Hour)
	var err error
	c.cookie, c.csrf, _, err = w.svc.Login(w.t.Context(), w.emailA(), password)
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}

// send makes the request of one cell and returns its status.
func (w *recruiterWorld) send(ctx context.Context, ep endpoint, p principal, c *cell) int {
	w.t.Helper()
	path := strings.NewReplacer("{session}", c.session, "{set}", c.set, "{invite}", c.inviteID).Replace(ep.path)
	if strings.HasSuffix(path, "/ws") {
		return w.dial(p, c, path)
	}
	var body io.Reader
	if ep.body != nil {
		body = strings.NewReader(ep.body(w, c, p))
	}
	req, err := http.NewRequestWithContext(ctx, ep.method, w.srv.URL+path, body)
	if err != nil {
		w.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	p.auth(w, c, req)
	resp, err := w.srv.Client().Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 400 && !bytes.Contains(b, []byte(`"error":{"code":`)) {
		w.t.Errorf("%s %s: error answer %d without the JSON error body: %s", ep.method, path, resp.StatusCode, b)
	}
	return resp.StatusCode
}

// dial opens the interview websocket as p.
func (w *recruiterWorld) dial(p principal, c *cell, path string) int {
	req, _ := http.NewRequest(http.MethodGet, w.srv.URL, nil)
	p.auth(w, c, req)
	h := http.Header{}
	if a := req.Header.Get("Authorization"); a != "" {
		h.Set("Authorization", a)
	}
	if ck := req.Header.Get("Cookie"); ck != "" {
		h.Set("Cookie", ck)
	}
	conn, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(w.srv.URL, "http")+path, h)
	if conn != nil {
		_ = conn.Close()
	}
	if resp == nil {
		w.t.Fatalf("dial %s: %v", path, err)
	}
	return resp.StatusCode
}

// TestOpenAPIListsEveryRoute: every route the server registers is in the
// OpenAPI document it serves, and the document names no route it lacks.
func TestOpenAPIListsEveryRoute(t *testing.T) {
	api := httpapi.New(httpapi.Config{Metrics: http.NotFoundHandler()})
	t.Cleanup(func() { _ = api.Close() })
	rec := httptest.NewRecorder()
	api.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/openapi.json", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	served := map[string]bool{}
	for _, r := range httpapi.Routes(api) {
		// gin's :param is OpenAPI's {param}.
		parts := strings.Split(r.Path, "/")
		for i, p := range parts {
			if strings.HasPrefix(p, ":") {
				parts[i] = "{" + p[1:] + "}"
			}
		}
		key := r.Method + " " + strings.Join(parts, "/")
		served[key] = true
		if !documented[key] {
			t.Errorf("%s is served but not in openapi.json", key)
		}
	}
	for key := range documented {
		if !served[key] {
			t.Errorf("openapi.json documents %s, which is not served", key)
		}
	}
	if len(served) < 25 || !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("%d routes, openapi %q", len(served), doc.OpenAPI)
	}
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range served {
			if !yield(k) {
				return
			}
		}
	})
	t.Logf("%d routes: %s", len(keys), strings.Join(keys, ", "))
}

// TestInviteRedeemedOnce: many clients opening one invite link at once
// start exactly one interview; the rest get 409. On PostgreSQL.
func TestInviteRedeemedOnce(t *testing.T) {
	w := newRecruiterWorld(t)
	_, code := w.invite(w.orgA, time.Hour)
	before, err := w.svc.Sessions(t.Context(), w.orgA)
	if err != nil {
		t.Fatal(err)
	}
	const clients = 8
	statuses := make(chan int, clients)
	for range clients {
		go func() {
			resp, err := w.srv.Client().Post(w.srv.URL+"/api/v1/invites/redeem", "application/json", strings.NewReader(`{"code":"`+code+`"}`))
			if err != nil {
				statuses <- 0
				return
			}
			resp.Body.Close()
			statuses <- resp.StatusCode
		}()
	}
	count := map[int]int{}
	for range clients {
		count[<-statuses]++
	}
	if count[201] != 1 || count[409] != clients-1 {
		t.Errorf("statuses %v, want one 201 and %d 409", count, clients-1)
	}
	list, err := w.svc.Sessions(t.Context(), w.orgA)
	if err != nil {
		t.Fatal(err)
	}
	if started := len(list) - len(before); started != 1 {
		t.Errorf("%d sessions started, want the one", started)
	}
}
