package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"barraiser/internal/httpapi"
)

func TestStartSession(t *testing.T) {
	l := newLive(t, nil, nil)
	tests := []struct {
		name, body string
		status     int
		code       string // error code, or "" for 201
		mention    string // the error message names this
	}{
		{"empty body", ``, http.StatusCreated, "", ""},
		{"empty object", `{}`, http.StatusCreated, "", ""},
		{"everything", `{"principles":["Ownership","Dive Deep"],"level":"l6","questions":2,"probes":1,"candidate":"Sam"}`, http.StatusCreated, "", ""},
		{"one principle", `{"principle":"Ownership"}`, http.StatusCreated, "", ""},
		{"question set on a server without recruiters", `{"question_set_id":"qs_1"}`, http.StatusServiceUnavailable, "unavailable", "recruiter features are not configured"},
		{"unknown level", `{"level":"L9"}`, http.StatusBadRequest, "invalid_request", "level"},
		{"unknown principle", `{"principle":"Telepathy"}`, http.StatusBadRequest, "invalid_request", "Telepathy"},
		{"too many questions", `{"questions":99}`, http.StatusBadRequest, "invalid_request", "questions"},
		{"negative probes", `{"probes":-1}`, http.StatusBadRequest, "invalid_request", "probes"},
		{"wrong type", `{"questions":"two"}`, http.StatusBadRequest, "invalid_request", "questions"},
		{"unknown field", `{"principal":"Ownership"}`, http.StatusBadRequest, "invalid_request", "principal"},
		{"not JSON", `{"level":`, http.StatusBadRequest, "invalid_request", "JSON"},
		{"two values", `{} {}`, http.StatusBadRequest, "invalid_request", "more than one"},
		{"invalid UTF-8", "{\"candidate\":\"\xff\"}", http.StatusBadRequest, "invalid_request", "UTF-8"},
		{"long candidate", `{"candidate":"` + strings.Repeat("a", 201) + `"}`, http.StatusBadRequest, "invalid_request", "candidate"},
		{"control characters", `{"candidate":"a\u0007b"}`, http.StatusBadRequest, "invalid_request", "candidate"},
		{"over the limit", `{"candidate":"` + strings.Repeat(" ", 17<<10) + `"}`, http.StatusRequestEntityTooLarge, "too_large", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, b := l.post("/api/v1/sessions", tt.body)
			if status != tt.status {
				t.Fatalf("status = %d, want %d; body %s", status, tt.status, b)
			}
			if tt.code == "" {
				var st started
				if err := json.Unmarshal(b, &st); err != nil || st.ID == "" || st.Token == "" || !strings.HasPrefix(st.WSURL, "ws://") || len(st.Questions) == 0 {
					t.Fatalf("body = %s (%v)", b, err)
				}
				return
			}
			if code := errorCode(t, b); code != tt.code || !strings.Contains(string(b), tt.mention) {
				t.Fatalf("body = %s, want code %s naming %q", b, tt.code, tt.mention)
			}
		})
	}
}

func TestStartSessionOverTLSGivesWSS(t *testing.T) {
	l := newLive(t, nil, nil)
	ts := httptest.NewTLSServer(l.srv.Handler())
	defer ts.Close()
	resp, err := ts.Client().Post(ts.URL+"/api/v1/sessions", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st started
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	if want := "wss://" + strings.TrimPrefix(ts.URL, "https://") + "/api/v1/sessions/" + st.ID + "/ws"; st.WSURL != want {
		t.Fatalf("ws_url = %q, want %q", st.WSURL, want)
	}
}

func TestSessionRoutesWithoutEngine(t *testing.T) {
	h := newServer(t, httpapi.Config{})
	for _, req := range []*http.Request{
		httptest.NewRequest(http.MethodPost, "/api/v1/sessions", strings.NewReader(`{}`)),
		httptest.NewRequest(http.MethodGet, "/api/v1/sessions/abc/scorecard?token=x", nil),
		httptest.NewRequest(http.MethodGet, "/api/v1/sessions/abc/ws?token=x", nil),
	} {
		r := do(t, h, req)
		if r.status != http.StatusServiceUnavailable || errorCode(t, r.body) != "unavailable" {
			t.Errorf("%s %s: %d %s, want 503 unavailable", req.Method, req.URL.Path, r.status, r.body)
		}
	}
}
