package main

import (
	"log/slog"
	"math/rand/v2"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// checkLoadReport checks that out has every report line, that nothing failed
// and that n sessions completed.
func checkLoadReport(t *testing.T, out string, n int) {
	t.Helper()
	for _, key := range ltReportKeys {
		if !regexp.MustCompile(`(?m)^` + key + `: +\S`).MatchString(out) {
			t.Errorf("no %q line in:\n%s", key, out)
		}
	}
	for _, want := range []string{
		"completed=" + strconv.Itoa(n) + " failed=0",
		"errors:                total=0 ",
		"error_frames:          none",
		"notices:               fallback=0 other=0",
		"result:                PASS",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("want %q in:\n%s", want, out)
		}
	}
	for _, key := range []string{"turn_overhead", "relay_overhead", "answer_to_first_token", "answer_to_message"} {
		m := regexp.MustCompile(`(?m)^` + key + `: +n=(\d+) p50=\S+ p95=\S+ p99=\S+ max=\S+`).FindStringSubmatch(out)
		if m == nil || m[1] == "0" {
			t.Errorf("%s: no figures in:\n%s", key, out)
		}
	}
}

// TestLoadtestInProcess runs a small load against the in-process server
// and fake LLM.
func TestLoadtestInProcess(t *testing.T) {
	r := runCmd(t, "", "loadtest", "-sessions", "20", "-answers", "2", "-ramp", "0", "-ttft", "10ms", "-tps", "500", "-think", "10ms")
	if r.code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	checkLoadReport(t, r.stdout, 20)
	for _, want := range []string{"peak_live=20", "answers:               sent=40 replied=40", "memory_per_session:    heap_inuse="} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("want %q in:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "memory_per_session:    heap_inuse=unknown") {
		t.Errorf("no memory figure:\n%s", r.stdout)
	}
}

// TestLoadtestTarget loads a server started apart from the load, with the
// fake LLM it uses named by -fake, as two processes would.
func TestLoadtestTarget(t *testing.T) {
	_, fakeURL := startFakeEndpoint(t, 0, 0)
	cfg := configFromEnv(env(map[string]string{"OPENAI_BASE_URL": fakeURL + "/v1", "OPENAI_MODEL": fakeModel}))
	a, err := buildApp(t.Context(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.api.Handler())
	t.Cleanup(func() { srv.Close(); a.close() })

	r := runCmd(t, "", "loadtest", "-target", srv.URL, "-fake", fakeURL, "-sessions", "6", "-answers", "3", "-ramp", "0", "-think", "0")
	if r.code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	checkLoadReport(t, r.stdout, 6)
	if !strings.Contains(r.stdout, "memory:                baseline heap_inuse=") || !strings.Contains(r.stdout, "(server)") {
		t.Errorf("no server figures from /metrics:\n%s", r.stdout)
	}

	// Without -fake the overheads are unavailable, and said to be.
	r = runCmd(t, "", "loadtest", "-target", srv.URL, "-sessions", "2", "-answers", "1", "-ramp", "0", "-think", "0")
	if r.code != exitOK || !strings.Contains(r.stdout, "turn_overhead:         unavailable") {
		t.Errorf("exit %d, stdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
}

func TestLoadtestRefusesOtherHosts(t *testing.T) {
	for _, args := range [][]string{
		{"-target", "http://example.com:8080"},
		{"-target", "http://10.0.0.1:8080"},
		{"-target", "http://0.0.0.0:8080"},
		{"-target", "http://[2001:db8::1]:8080"},
		{"-target", "http://127.0.0.1.example.com/"},
		{"-target", "http://127.0.0.1:8080", "-fake", "http://192.0.2.7:8081"},
	} {
		r := runCmd(t, "", append([]string{"loadtest"}, args...)...)
		if r.code != exitUsage || !strings.Contains(r.stderr, "is not loopback") {
			t.Errorf("loadtest %q: exit %d, stderr %q; want 2 and a refusal", args, r.code, r.stderr)
		}
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-target", "ftp://127.0.0.1/"}, "not an http(s) URL"},
		{[]string{"-sessions", "0"}, "-sessions must be at least 1"},
		{[]string{"-answers", "7"}, "-answers must be between 1 and 6"},
		{[]string{"-fake", "http://127.0.0.1:8081"}, "-fake goes with -target"},
		{[]string{"-memprofile", "heap.out", "-target", "http://127.0.0.1:8080"}, "does not go with -target"},
		{[]string{"-memprofile", "heap.out", "-hold=false"}, "it needs -hold"},
	} {
		r := runCmd(t, "", append([]string{"loadtest"}, tt.args...)...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("loadtest %q: exit %d, stderr %q; want 2 and %q", tt.args, r.code, r.stderr, tt.want)
		}
	}
}

func TestCheckLoopbackURL(t *testing.T) {
	for _, u := range []string{"http://127.0.0.1:8080", "http://localhost", "https://LOCALHOST:8443/x", "http://[::1]:8080", "ws://127.0.0.2/ws", "http://127.255.0.1"} {
		if _, err := checkLoopbackURL(u); err != nil {
			t.Errorf("%s: %v", u, err)
		}
	}
	for _, u := range []string{"http://example.com", "http://0.0.0.0", "http://[::]:80", "http://192.168.1.1", "http://localhost.example.com", "http:///x", "127.0.0.1:8080"} {
		if _, err := checkLoopbackURL(u); err == nil {
			t.Errorf("%s: accepted", u)
		}
	}
}

// TestLtAnswer: answers are 80-150 words and open with their tag, which
// the fake LLM finds in a prompt.
func TestLtAnswer(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	seen := map[string]bool{}
	for i := range 400 {
		tag := ltCodename(i * 7919)
		if seen[tag] {
			t.Fatalf("codename %q repeated", tag)
		}
		seen[tag] = true
		style := ltStyles[i%len(ltStyles)]
		a := ltAnswer(rng, style, tag, i%2)
		if n := len(strings.Fields(a)); n < 80 || n > 150 {
			t.Errorf("%s answer has %d words: %q", style, n, a)
		}
		if !strings.HasPrefix(a, "On Project "+tag+",") {
			t.Errorf("answer does not open with its tag %q: %q", tag, a)
		}
		if got := fakeTag(fakeProbePrompt(tag)); got != tag {
			t.Errorf("fakeTag found %q, want %q", got, tag)
		}
		if style == ltStyleNoNumber && strings.ContainsAny(a, "0123456789") {
			t.Errorf("a no-number answer with a figure: %q", a)
		}
	}
}
