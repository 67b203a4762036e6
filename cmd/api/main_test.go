package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

// transcript is a small, realistic, well-formed interview.
const transcript = `{
  "principle": "Ownership",
  "question": "Tell me about a time you took on something outside your area.",
  "turns": [
    {"role": "interviewer", "text": "Tell me about a time you took on something outside your area."},
    {"role": "candidate", "text": "Our nightly billing export failed twice a week and no team owned it. I rewrote the retry logic myself and added an alert, and failures dropped from eight a month to zero."},
    {"role": "interviewer", "text": "Who asked you to do that?"},
    {"role": "candidate", "text": "Nobody; I told my manager after I had the fix in review."}
  ]
}`

// labelled makes an eval file: the transcript plus an expect object.
func labelled(t *testing.T, expect string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(transcript), &m); err != nil {
		t.Fatal(err)
	}
	var e any
	if err := json.Unmarshal([]byte(expect), &e); err != nil {
		t.Fatal(err)
	}
	m["expect"] = e
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

type result struct {
	code           int
	stdout, stderr string
}

// runCmd runs a command that returns on its own (not serve).
func runCmd(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), args, env(nil), strings.NewReader(stdin), &stdout, &stderr)
	return result{code, stdout.String(), stderr.String()}
}

func TestScore(t *testing.T) {
	dir := t.TempDir()
	file := writeFile(t, dir, "t.json", transcript)

	fromFile := runCmd(t, "", "score", file)
	fromStdin := runCmd(t, transcript, "score", "-")
	for name, r := range map[string]result{"file": fromFile, "stdin": fromStdin} {
		t.Run(name, func(t *testing.T) {
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			if !strings.HasSuffix(r.stdout, "}\n") || !strings.Contains(r.stdout, "\n  \"decision\": ") {
				t.Errorf("stdout is not an indented JSON object ending in a newline:\n%s", r.stdout)
			}
			var card map[string]json.RawMessage
			if err := json.Unmarshal([]byte(r.stdout), &card); err != nil {
				t.Fatalf("decode: %v\n%s", err, r.stdout)
			}
			for _, key := range []string{"decision", "rubric_version", "level", "dimensions", "red_flags"} {
				if _, ok := card[key]; !ok {
					t.Errorf("scorecard has no %q", key)
				}
			}
		})
	}
	if fromFile.stdout != fromStdin.stdout {
		t.Errorf("file and stdin give different scorecards:\n%s\n%s", fromFile.stdout, fromStdin.stdout)
	}
	if again := runCmd(t, "", "score", file); again.stdout != fromFile.stdout {
		t.Errorf("two runs differ:\n%s\n%s", fromFile.stdout, again.stdout)
	}
}

func TestScoreErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name       string
		stdin      string
		args       []string
		wantStderr string // prefix
		wantIn     string // substring
	}{
		{"missing file", "", []string{"score", filepath.Join(dir, "nope.json")}, "error: cannot read transcript: ", "no such file"},
		{"directory", "", []string{"score", dir}, "error: ", "is a directory"},
		{"not JSON", "", []string{"score", writeFile(t, dir, "bad.json", "turns: [")}, "error: invalid_json: ", "not valid JSON"},
		{"no candidate turn", `{"turns":[{"role":"interviewer","text":"Why?"}]}`, []string{"score", "-"}, "error: no_candidate_turn: ", "candidate"},
		{"unknown role", `{"turns":[{"role":"coach","text":"Hi"}]}`, []string{"score", "-"}, "error: unknown_role: ", `"coach"`},
		{"invalid UTF-8", "{\"turns\":[{\"role\":\"candidate\",\"text\":\"\xff\"}]}", []string{"score", "-"}, "error: invalid_utf8: ", "UTF-8"},
		{"too large", strings.Repeat(" ", 1<<20+10), []string{"score", "-"}, "error: too_large: ", "limit"},
		{"no argument", "", []string{"score"}, "api score: expected 1 argument", "Usage: api score"},
		{"two arguments", "", []string{"score", "a", "b"}, "api score: expected 1 argument", "Usage: api score"},
		{"unknown flag", "", []string{"score", "-x", "-"}, "api score: flag provided but not defined", "Usage: api score"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCmd(t, tt.stdin, tt.args...)
			if r.code != 2 {
				t.Errorf("exit %d, want 2", r.code)
			}
			if r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
			if !strings.HasPrefix(r.stderr, tt.wantStderr) || !strings.Contains(r.stderr, tt.wantIn) {
				t.Errorf("stderr = %q, want prefix %q containing %q", r.stderr, tt.wantStderr, tt.wantIn)
			}
		})
	}
}

var evalLine = regexp.MustCompile(`^eval: 2 files, decision [0-2]/2, exact-decision [0-2]/2, dimensions \d+/3, red-flags [0-2]/2$`)

func TestEval(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.json", labelled(t, `{"decision":"hire","dimensions":{"first_person_actions":true,"metric_delta":true},"red_flags":[]}`))
	writeFile(t, dir, "b.json", labelled(t, `{"decision":"no_hire","dimensions":{"metric_delta":false},"red_flags":["routing_not_ownership"]}`))
	writeFile(t, dir, "unlabelled.json", transcript) // skipped: no expect
	writeFile(t, dir, "notes.txt", "not a transcript")

	r := runCmd(t, "", "eval", dir)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if last := lines[len(lines)-1]; !evalLine.MatchString(last) {
		t.Errorf("final line %q does not match %s", last, evalLine)
	}
	for _, miss := range lines[:len(lines)-1] {
		if !strings.HasPrefix(miss, "a.json: ") && !strings.HasPrefix(miss, "b.json: ") {
			t.Errorf("miss line %q does not name its file", miss)
		}
	}
}

func TestEvalErrors(t *testing.T) {
	empty := t.TempDir()
	unlabelled := t.TempDir()
	writeFile(t, unlabelled, "a.json", transcript)
	invalid := t.TempDir()
	writeFile(t, invalid, "bad.json", `{"turns":[{"role":"interviewer","text":"Why?"}],"expect":{"decision":"hire"}}`)
	file := writeFile(t, t.TempDir(), "a.json", transcript)

	tests := []struct {
		name   string
		args   []string
		wantIn []string
	}{
		{"empty dir", []string{"eval", empty}, []string{"error: no_eval_files: ", empty}},
		{"no labelled file", []string{"eval", unlabelled}, []string{"error: no_eval_files: "}},
		{"invalid labelled file", []string{"eval", invalid}, []string{"error: no_candidate_turn: ", "bad.json"}},
		{"missing dir", []string{"eval", filepath.Join(empty, "nope")}, []string{"error: eval directory: ", "no such file"}},
		{"file, not dir", []string{"eval", file}, []string{"error: eval directory: ", "not a directory"}},
		{"no argument", []string{"eval"}, []string{"api eval: expected 1 argument", "Usage: api eval DIR"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCmd(t, "", tt.args...)
			if r.code != 2 {
				t.Errorf("exit %d, want 2", r.code)
			}
			for _, want := range tt.wantIn {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr %q lacks %q", r.stderr, want)
				}
			}
		})
	}
}

func TestCommandLine(t *testing.T) {
	tests := []struct {
		name                string
		args                []string
		wantCode            int
		wantStdout, wantErr string // substrings; "" means the stream must be empty
	}{
		{name: "help", args: []string{"help"}, wantCode: 0, wantStdout: "Usage: api"},
		{name: "-h", args: []string{"-h"}, wantCode: 0, wantStdout: "Commands:"},
		{name: "serve -h", args: []string{"serve", "-h"}, wantCode: 0, wantStdout: "-addr"},
		{name: "version", args: []string{"version"}, wantCode: 0, wantStdout: "barraiser "},
		{name: "unknown command", args: []string{"grade"}, wantCode: 2, wantErr: `unknown command "grade"`},
		{name: "bad serve flag", args: []string{"serve", "-port", "1"}, wantCode: 2, wantErr: "flag provided but not defined: -port"},
		{name: "serve argument", args: []string{"serve", "extra"}, wantCode: 2, wantErr: "expected 0 argument"},
		{name: "bad log format", args: []string{"serve", "-log-format", "xml"}, wantCode: 2, wantErr: `invalid log format "xml"`},
		{name: "bad log level", args: []string{"serve", "-log-level", "loud"}, wantCode: 2, wantErr: `invalid log level "loud"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCmd(t, "", tt.args...)
			if r.code != tt.wantCode {
				t.Errorf("exit %d, want %d (stderr %q)", r.code, tt.wantCode, r.stderr)
			}
			check := func(stream, got, want string) {
				if want == "" && got != "" || !strings.Contains(got, want) {
					t.Errorf("%s = %q, want %q", stream, got, want)
				}
			}
			check("stdout", r.stdout, tt.wantStdout)
			check("stderr", r.stderr, tt.wantErr)
		})
	}
}

func TestConfigFromEnv(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want config
	}{
		{"defaults", nil, config{ListenAddr: ":8080", LogLevel: "info", LogFormat: "text", Embedder: "local",
			RateLimitIP: defaultRateLimitIP, RateLimitToken: defaultRateLimitToken, RetentionInterval: defaultRetentionInterval,
			OrgName: defaultOrgName}},
		{"from the environment", map[string]string{"LISTEN_ADDR": "127.0.0.1:9000", "LOG_LEVEL": "debug", "LOG_FORMAT": "json",
			"DATABASE_URL": "postgres://db/x", "OPENAI_BASE_URL": "http://localhost:11434/v1", "OPENAI_MODEL": "llama3",
			"EMBEDDER": "openai", "OPENAI_EMBEDDING_MODEL": "nomic-embed-text", "OPENAI_EMBEDDING_DIMENSIONS": "768",
			"ALLOWED_ORIGINS": " https://a.example , https://b.example,", "RATE_LIMIT_IP": "0", "RATE_LIMIT_TOKEN": "2.5",
			"COOKIE_INSECURE": "1", "RETENTION_INTERVAL": "5m",
			"ADMIN_EMAIL": "lead@example.com", "ADMIN_PASSWORD": "a long password", "ORG_NAME": "Acme"},
			config{ListenAddr: "127.0.0.1:9000", LogLevel: "debug", LogFormat: "json", DatabaseURL: "postgres://db/x",
				OpenAIBaseURL: "http://localhost:11434/v1", OpenAIModel: "llama3", Embedder: "openai",
				EmbeddingModel: "nomic-embed-text", EmbeddingDimensions: 768,
				AllowedOrigins: []string{"https://a.example", "https://b.example"},
				RateLimitIP:    0, RateLimitToken: 2.5, InsecureCookies: true, RetentionInterval: 5 * time.Minute,
				AdminEmail: "lead@example.com", AdminPassword: "a long password", OrgName: "Acme"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := configFromEnv(env(c.env)); !reflect.DeepEqual(got, c.want) {
				t.Errorf("configFromEnv = %+v, want %+v", got, c.want)
			}
		})
	}
}

var listening = regexp.MustCompile(`msg=listening addr=(\S+)`)

// startServe runs "api serve" on a free port and returns its base URL, the
// channel run's exit code arrives on, and a function that returns the logs
// once run has returned.
func startServe(t *testing.T, ctx context.Context, vars map[string]string, args ...string) (string, <-chan int, func() string) {
	t.Helper()
	pr, pw := io.Pipe()
	addrc := make(chan string, 1)
	logsDone := make(chan struct{})
	var logs strings.Builder // written by the reader goroutine until logsDone
	go func() {
		defer close(logsDone)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			logs.WriteString(sc.Text() + "\n")
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				addrc <- m[1]
			}
		}
	}()
	exited := make(chan int, 1)
	go func() {
		code := run(ctx, append([]string{"serve"}, args...), env(vars), strings.NewReader(""), io.Discard, pw)
		pw.Close()
		exited <- code
	}()
	getLogs := func() string { <-logsDone; return logs.String() }

	var addr string
	select {
	case addr = <-addrc:
	case code := <-exited:
		t.Fatalf("serve exited with %d before listening:\n%s", code, getLogs())
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not log its address within 10s")
	}
	return "http://" + addr, exited, getLogs
}

// waitHealthy polls /healthz until it answers 200 or the deadline passes.
func waitHealthy(t *testing.T, client *http.Client, base string) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		resp, err := client.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-deadline:
			t.Fatalf("/healthz not 200 within 10s (last error %v)", err)
		case <-tick.C:
		}
	}
}

func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	base, exited, logs := startServe(t, ctx, map[string]string{"LISTEN_ADDR": ":1"}, "-addr", "127.0.0.1:0")

	client := &http.Client{Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()
	waitHealthy(t, client, base)

	resp, err := client.Post(base+"/api/v1/score", "application/json", strings.NewReader(transcript))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte(`"decision":`)) {
		t.Fatalf("POST /api/v1/score: %d %s", resp.StatusCode, body)
	}
	if resp.Header.Get("X-Request-Id") == "" {
		t.Error("no X-Request-Id on the answer")
	}

	var hcOut, hcErr strings.Builder
	if code := run(ctx, []string{"healthcheck", "-addr", strings.TrimPrefix(base, "http://")}, env(nil), strings.NewReader(""), &hcOut, &hcErr); code != 0 {
		t.Errorf("healthcheck exit %d: %s", code, hcErr.String())
	}

	cancel()
	select {
	case code := <-exited:
		if code != 0 {
			t.Errorf("serve exited with %d after cancel, want 0:\n%s", code, logs())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop within 10s of cancel")
	}
	out := logs()
	for _, want := range []string{"path=/api/v1/score", "status=200", `msg="shutting down"`, "msg=stopped"} {
		if !strings.Contains(out, want) {
			t.Errorf("logs lack %q:\n%s", want, out)
		}
	}
}

func TestServeJSONLogs(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	pr, pw := io.Pipe()
	exited := make(chan int, 1)
	go func() {
		code := run(ctx, []string{"serve"}, env(map[string]string{"LISTEN_ADDR": "127.0.0.1:0", "LOG_FORMAT": "json"}),
			strings.NewReader(""), io.Discard, pw)
		pw.Close()
		exited <- code
	}()
	// Every line is a JSON record; start-up records come before the one
	// that says where the server listens.
	dec := json.NewDecoder(pr)
	var rec struct{ Msg, Addr string }
	for rec.Msg != "listening" {
		rec = struct{ Msg, Addr string }{}
		if err := dec.Decode(&rec); err != nil {
			t.Fatalf("log line is not JSON, or the log ended before \"listening\": %v", err)
		}
	}
	if !strings.HasPrefix(rec.Addr, "127.0.0.1:") {
		t.Errorf("listening record = %+v", rec)
	}
	go io.Copy(io.Discard, pr)
	cancel()
	if code := <-exited; code != 0 {
		t.Errorf("exit %d", code)
	}
}

func TestServePortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var stderr bytes.Buffer
	code := run(t.Context(), []string{"serve", "-addr", ln.Addr().String()}, env(nil), strings.NewReader(""), io.Discard, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "address already in use") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}

func TestHealthcheckNoServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	var out, errOut strings.Builder
	if code := run(t.Context(), []string{"healthcheck", "-addr", addr}, env(nil), strings.NewReader(""), &out, &errOut); code != exitFailure {
		t.Fatalf("healthcheck against a closed port: exit %d, want %d", code, exitFailure)
	}
}

func TestHealthURL(t *testing.T) {
	cases := map[string]string{
		":8080":          "http://127.0.0.1:8080/healthz",
		"0.0.0.0:9000":   "http://127.0.0.1:9000/healthz",
		"127.0.0.1:7000": "http://127.0.0.1:7000/healthz",
		"[::]:8080":      "http://127.0.0.1:8080/healthz",
	}
	for in, want := range cases {
		if got, err := healthURL(in); err != nil || got != want {
			t.Errorf("healthURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := healthURL("nonsense"); err == nil {
		t.Error("healthURL accepted an address without a port")
	}
}

// ADMIN_EMAIL and ADMIN_PASSWORD give the console its first login, even in
// memory; ADMIN_EMAIL alone is a start-up error that says what is missing.
func TestServeAdminFromEnv(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	const email, password = "lead@example.com", "correct horse battery staple"
	base, exited, logs := startServe(t, ctx, map[string]string{"ADMIN_EMAIL": email, "ADMIN_PASSWORD": password}, "-addr", "127.0.0.1:0")
	client := &http.Client{Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()
	waitHealthy(t, client, base)

	for _, tc := range []struct {
		password string
		want     int
	}{
		{password, http.StatusOK},
		{"not the password", http.StatusUnauthorized},
	} {
		body := fmt.Sprintf(`{"email":%q,"password":%q}`, email, tc.password)
		resp, err := client.Post(base+"/api/v1/auth/login", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("login with %q: %d, want %d", tc.password, resp.StatusCode, tc.want)
		}
	}
	cancel()
	<-exited
	if out := logs(); strings.Contains(out, password) {
		t.Errorf("the admin password reached the log:\n%s", out)
	}

	var stderr strings.Builder
	code := run(t.Context(), []string{"serve", "-addr", "127.0.0.1:0"}, env(map[string]string{"ADMIN_EMAIL": email}), strings.NewReader(""), io.Discard, &stderr)
	if code == exitOK || !strings.Contains(stderr.String(), "ADMIN_PASSWORD is not") {
		t.Errorf("ADMIN_EMAIL without ADMIN_PASSWORD: exit %d, stderr %q; want a failure naming ADMIN_PASSWORD", code, stderr.String())
	}
}
