package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/gorilla/websocket"
)

// Browser tests: the candidate pages (package web) in headless Chromium,
// driven by chromedp, against the real wired server (buildApp with the
// offline defaults: scripted interviewer, memory store) on a loopback
// httptest listener. They need Chromium: BARRAISER_CHROMIUM names it
// (scripts/test.sh installs it and sets it), else /usr/bin/chromium; without
// it they skip, except under CI=true where they fail.
//
// Every page is screenshotted at desktop and phone (360px) width into
// $BARRAISER_SCREENSHOT_DIR, else test-output/screenshots at the repository
// root, and checked by an accessibility pass (testdata/a11y.js).

const (
	browserWait  = 30 * time.Second // bounds every wait on the page (generous: CI runs every package at once on 2 cores)
	desktopWidth = 1280
	phoneWidth   = 360
)

const answer3 = "To make it stick I added an alert on the gap between queued and acknowledged events and a weekly check in our runbook. " +
	"I learned to reconcile counts at both ends before trusting a dashboard, and I now do that for every pipeline I own."

const answer4 = "It was the payments notification pipeline, about three weeks from the first missing event to the fix in production."

// routingAnswer hands the problem over: it raises a red flag on the
// scorecard.
const routingAnswer = "When the numbers drifted again I filed a ticket with the data platform team and they fixed it the following week; it was theirs from there."

// ---- the server ----

// browserServer is the real app behind an httptest server that remembers
// the connections it hands over to websockets, so a test can drop them
// from the server side, and can refuse new websockets for a while.
type browserServer struct {
	base    string
	app     *app
	blockWS atomic.Bool
	// fakeWS, when set, answers the websocket route instead of the app;
	// the test waits for its handlers before it ends.
	fakeWS  http.HandlerFunc
	fakes   sync.WaitGroup
	closing atomic.Bool // the test is over: fakes stop reporting errors

	mu    sync.Mutex
	conns map[net.Conn]bool
}

// startBrowserServer starts the app configured by vars (nil: the offline
// defaults).
func startBrowserServer(t *testing.T, vars map[string]string, fakeWS http.HandlerFunc) *browserServer {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := buildApp(t.Context(), configFromEnv(env(vars)), logger)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.close)
	bs := &browserServer{app: a, conns: map[net.Conn]bool{}, fakeWS: fakeWS}
	app := a.api.Handler()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/v1/sessions/") && strings.HasSuffix(r.URL.Path, "/ws") {
			if bs.blockWS.Load() {
				http.Error(w, "websockets are blocked by the test", http.StatusServiceUnavailable)
				return
			}
			if bs.fakeWS != nil {
				bs.fakes.Add(1)
				defer bs.fakes.Done()
				bs.fakeWS(w, r)
				return
			}
		}
		app.ServeHTTP(w, r)
	}))
	srv.Config.ConnState = func(c net.Conn, s http.ConnState) {
		if s == http.StateHijacked {
			bs.mu.Lock()
			bs.conns[c] = true
			bs.mu.Unlock()
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	t.Cleanup(func() { // first: hijacked connections outlive srv.Close
		bs.closing.Store(true)
		bs.dropSockets()
		bs.fakes.Wait()
	})
	bs.base = srv.URL
	return bs
}

// dropSockets cuts every websocket connection the server has handed out,
// with no close frame: what a crashed proxy or a lost network looks like
// to the page.
func (bs *browserServer) dropSockets() int {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	n := 0
	for c := range bs.conns {
		if c.Close() == nil {
			n++
		}
		delete(bs.conns, c)
	}
	return n
}

// ---- the browser ----

func chromiumPath(t *testing.T) string {
	t.Helper()
	path := os.Getenv("BARRAISER_CHROMIUM")
	if path == "" {
		if _, err := os.Stat("/usr/bin/chromium"); err == nil {
			path = "/usr/bin/chromium"
		}
	}
	if path == "" {
		msg := "no Chromium: set BARRAISER_CHROMIUM or run scripts/chromium.sh"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return path
}

// page is a browser tab under test.
type page struct {
	t       *testing.T
	ctx     context.Context
	base    string
	console *console
}

// console collects the tab's uncaught exceptions and console errors; any
// a test did not expect fails it.
type console struct {
	mu       sync.Mutex
	problems []string
	allowed  []string // substrings of expected errors
}

// sub is the same tab for a subtest.
func (p *page) sub(t *testing.T) *page {
	return &page{t: t, ctx: p.ctx, base: p.base, console: p.console}
}

func newPage(t *testing.T, base string) *page {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(desktopWidth, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		_ = chromedp.Cancel(ctx) // closes the browser and waits for it
		cancel()
		cancelAlloc()
	})
	// The first Run starts the browser and must get the tab's own
	// context: a derived one that ends would close the browser with it.
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	p := &page{t: t, ctx: ctx, base: base, console: &console{}}
	chromedp.ListenTarget(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			p.problem("uncaught exception: " + ev.ExceptionDetails.Error())
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.APITypeError {
				var parts []string
				for _, a := range ev.Args {
					parts = append(parts, string(a.Value))
				}
				p.problem("console.error: " + strings.Join(parts, " "))
			}
		case *cdplog.EventEntryAdded:
			if ev.Entry.Level == cdplog.LevelError {
				p.problem(fmt.Sprintf("%s: %s (%s)", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL))
			}
		}
	})
	p.run(cdplog.Enable())
	t.Cleanup(func() {
		p.console.mu.Lock()
		defer p.console.mu.Unlock()
		for _, msg := range p.console.problems {
			t.Errorf("browser: %s", msg)
		}
	})
	return p
}

// allow accepts console errors containing s (a dropped websocket logs one).
func (p *page) allow(s string) {
	p.console.mu.Lock()
	defer p.console.mu.Unlock()
	p.console.allowed = append(p.console.allowed, s)
}

func (p *page) problem(msg string) {
	p.console.mu.Lock()
	defer p.console.mu.Unlock()
	for _, a := range p.console.allowed {
		if strings.Contains(msg, a) {
			return
		}
	}
	p.console.problems = append(p.console.problems, msg)
}

// run runs actions under browserWait.
func (p *page) run(actions ...chromedp.Action) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, browserWait)
	defer cancel()
	if err := chromedp.Run(ctx, actions...); err != nil {
		p.t.Fatalf("browser: %v\n%s", err, p.snapshot())
	}
}

// eval evaluates a JavaScript expression (awaiting a promise) into res.
func (p *page) eval(expr string, res any) {
	p.t.Helper()
	p.run(chromedp.Evaluate(expr, res, func(e *runtime.EvaluateParams) *runtime.EvaluateParams {
		return e.WithAwaitPromise(true)
	}))
}

// waitFor polls a JavaScript expression until it is truthy. It keeps
// polling across navigations (the expression may name the next page).
func (p *page) waitFor(what, expr string) {
	p.t.Helper()
	deadline := time.NewTimer(browserWait)
	defer deadline.Stop()
	tick := time.NewTicker(25 * time.Millisecond)
	defer tick.Stop()
	var lastErr error
	for {
		ctx, cancel := context.WithTimeout(p.ctx, 5*time.Second)
		var ok bool
		lastErr = chromedp.Run(ctx, chromedp.Evaluate(`!!(`+expr+`)`, &ok))
		cancel()
		if lastErr == nil && ok {
			return
		}
		select {
		case <-deadline.C:
			p.t.Fatalf("waiting for %s (%s): not true within %s (last error: %v)\n%s", what, expr, browserWait, lastErr, p.snapshot())
		case <-tick.C:
		}
	}
}

// snapshot describes the page for a failure message.
func (p *page) snapshot() string {
	ctx, cancel := context.WithTimeout(p.ctx, 3*time.Second)
	defer cancel()
	var s string
	_ = chromedp.Run(ctx, chromedp.Evaluate(`location.pathname + " connection=" + document.body.dataset.connection + " turn=" + document.body.dataset.turn + "\n" + document.body.innerText.slice(0, 3000)`, &s))
	return "page: " + s
}

// screenshots saves full-page PNGs of the current page at desktop and
// phone width, checks the page at both widths (accessibility, and no
// horizontal scrolling on the phone) and returns to desktop width.
func (p *page) screenshots(name string) {
	p.t.Helper()
	dir := screenshotDir(p.t)
	for _, v := range []struct {
		label  string
		width  int64
		height int64
	}{{"desktop", desktopWidth, 900}, {"phone", phoneWidth, 780}} {
		var png []byte
		p.run(chromedp.EmulateViewport(v.width, v.height), chromedp.Poll(`document.readyState === "complete"`, nil))
		p.checkAccessibility(name + " (" + v.label + ")")
		if v.width == phoneWidth {
			var overflow int
			p.eval(`document.documentElement.scrollWidth - window.innerWidth`, &overflow)
			if overflow > 0 {
				p.t.Errorf("%s: the page scrolls sideways by %dpx at %dpx width", name, overflow, phoneWidth)
			}
		}
		// A viewport as tall as the page, so sticky parts (the composer,
		// the transcript) sit where a reader scrolling past would see them.
		var height int64
		p.eval(`Math.ceil(document.documentElement.scrollHeight)`, &height)
		p.run(chromedp.EmulateViewport(v.width, max(height, v.height)), chromedp.FullScreenshot(&png, 100))
		file := filepath.Join(dir, fmt.Sprintf("%s-%s.png", name, v.label))
		if err := os.WriteFile(file, png, 0o644); err != nil {
			p.t.Fatal(err)
		}
	}
	p.run(chromedp.EmulateViewport(desktopWidth, 900))
}

func (p *page) checkAccessibility(where string) {
	p.t.Helper()
	script, err := os.ReadFile(filepath.Join("testdata", "a11y.js"))
	if err != nil {
		p.t.Fatal(err)
	}
	var problems []string
	p.eval(string(script), &problems)
	for _, pr := range problems {
		p.t.Errorf("accessibility, %s: %s", where, pr)
	}
}

var screenshotOnce sync.Once

// screenshotDir is $BARRAISER_SCREENSHOT_DIR, else test-output/screenshots
// at the repository root (it outlives the test, for a person to look at).
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("BARRAISER_SCREENSHOT_DIR")
	if dir == "" {
		root, err := filepath.Abs(filepath.Join("..", ".."))
		if err != nil {
			t.Fatal(err)
		}
		dir = filepath.Join(root, "test-output", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	screenshotOnce.Do(func() { t.Logf("screenshots in %s", dir) })
	return dir
}

// ---- page helpers ----

// domMessage is a chat bubble as the interview page shows it.
type domMessage struct {
	Role      string `json:"role"`
	Kind      string `json:"kind"`
	Seq       int64  `json:"seq"`
	Text      string `json:"text"`
	Pending   bool   `json:"pending"`
	Streaming bool   `json:"streaming"`
}

const domMessagesJS = `Array.from(document.querySelectorAll('#log li.msg')).map(li => ({
	role: li.classList.contains('msg-candidate') ? 'candidate' : 'interviewer',
	kind: li.dataset.kind || 'answer',
	seq: Number(li.dataset.seq || 0),
	text: li.querySelector('.msg-text').textContent,
	pending: li.classList.contains('pending'),
	streaming: li.classList.contains('streaming'),
}))`

func (p *page) messages() []domMessage {
	p.t.Helper()
	var ms []domMessage
	p.eval(domMessagesJS, &ms)
	return ms
}

// checkNoDuplicates fails when a message shows twice (two bubbles with
// one seq) or out of order.
func (p *page) checkNoDuplicates(ms []domMessage) {
	p.t.Helper()
	var last int64
	for _, m := range ms {
		if m.Streaming || m.Pending {
			continue
		}
		if m.Seq <= last {
			p.t.Errorf("%s message seq %d shown after seq %d (a duplicate or out of order): %+v", m.Role, m.Seq, last, ms)
		}
		last = m.Seq
	}
}

// startFromPracticePage fills in the start page and waits for the first
// question on the interview page; it returns the session id.
func (p *page) startFromPracticePage(principle, level string, questions, probes int, shoot bool) string {
	p.t.Helper()
	p.run(chromedp.Navigate(p.base + "/"))
	p.waitFor("the principles", `document.querySelectorAll('#principle option').length === 17 && !document.querySelector('#principle').disabled`)
	if shoot {
		p.screenshots("01-practice")
	}
	p.run(
		chromedp.SetValue("#principle", principle, chromedp.ByQuery),
		chromedp.Click(`label[for="level-`+level+`"]`, chromedp.ByQuery),
		chromedp.SetValue("#questions", fmt.Sprint(questions), chromedp.ByQuery),
		chromedp.SetValue("#probes", fmt.Sprint(probes), chromedp.ByQuery),
		chromedp.Click("#start", chromedp.ByQuery),
	)
	p.waitFor("the first question", `location.pathname.startsWith('/interview/') && document.querySelector('#log li.msg-interviewer[data-kind="question"]') !== null`)
	var id string
	p.eval(`location.pathname.split('/')[2]`, &id)
	var tokenInURL bool
	p.eval(`(() => { const s = JSON.parse(sessionStorage.getItem('barraiser.session.' + location.pathname.split('/')[2])); return !s || !s.token || location.href.includes(s.token); })()`, &tokenInURL)
	if tokenInURL {
		p.t.Fatal("the session token is missing from sessionStorage or appears in the page URL")
	}
	return id
}

// waitTurn waits until the candidate may answer or the interview has
// finished, and reports whether it has finished.
func (p *page) waitTurn() bool {
	p.t.Helper()
	p.waitFor("the candidate's turn", `['candidate', 'finished'].includes(document.body.dataset.turn)`)
	var turn string
	p.eval(`document.body.dataset.turn`, &turn)
	return turn == "finished"
}

// typeAnswer types into the composer and presses Enter.
func (p *page) typeAnswer(text string) {
	p.t.Helper()
	p.run(chromedp.SendKeys("#answer", text, chromedp.ByQuery), pressEnter())
}

// pressEnter presses Enter as a keyboard does: keyDown, keyUp. (chromedp's
// kb adds a separate char event, which Chrome inserts as a new line even
// when the page has handled the keydown, at a moment that depends on
// timing: the answer the page has just put back after an error would
// then gain a stray new line.)
func pressEnter() chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		key := func(t input.KeyType) *input.DispatchKeyEventParams {
			return input.DispatchKeyEvent(t).WithKey("Enter").WithCode("Enter").WithWindowsVirtualKeyCode(13).WithNativeVirtualKeyCode(13)
		}
		if err := key(input.KeyDown).Do(ctx); err != nil {
			return err
		}
		return key(input.KeyUp).Do(ctx)
	})
}

// answerUntilDone answers until the interview finishes: questions with
// firstAnswer, follow-ups with followUp.
func (p *page) answerUntilDone(firstAnswer, followUp string) {
	p.t.Helper()
	for range 30 {
		if p.waitTurn() {
			return
		}
		var kind string
		p.eval(`Array.from(document.querySelectorAll('#log li.msg-interviewer')).pop().dataset.kind`, &kind)
		if kind == "question" {
			p.typeAnswer(firstAnswer)
		} else {
			p.typeAnswer(followUp)
		}
	}
	p.t.Fatal("the interview did not finish after 30 answers")
}

// scorecardTranscript fetches the finished session's scorecard with the
// tab's token and returns its transcript.
func (p *page) scorecardTranscript(id string) []domMessage {
	p.t.Helper()
	var body string
	p.eval(fmt.Sprintf(`(async () => {
		const s = JSON.parse(sessionStorage.getItem('barraiser.session.%s'));
		const r = await fetch('/api/v1/sessions/%s/scorecard', {headers: {Authorization: 'Bearer ' + s.token}});
		return await r.text();
	})()`, id, id), &body)
	var sc struct {
		Transcript []domMessage `json:"transcript"`
	}
	if err := json.Unmarshal([]byte(body), &sc); err != nil {
		p.t.Fatalf("scorecard: %v: %s", err, body)
	}
	return sc.Transcript
}

// ---- tests ----

// TestBrowserPracticeInterview runs a whole practice interview as a
// candidate would: the start page, typed answers (Enter sends, Shift+Enter
// is a new line), the scorecard page with a decision, its evidence links
// and its downloads.
func TestBrowserPracticeInterview(t *testing.T) {
	bs := startBrowserServer(t, nil, nil)
	p := newPage(t, bs.base)
	id := p.startFromPracticePage("Ownership", "L5", 2, 1, true)

	// Shift+Enter is a new line, not a send.
	p.run(
		chromedp.SendKeys("#answer", "first line", chromedp.ByQuery),
		chromedp.KeyEvent(kb.Enter, chromedp.KeyModifiers(input.ModifierShift)),
		chromedp.SendKeys("#answer", "second line", chromedp.ByQuery),
	)
	var value string
	p.eval(`document.querySelector('#answer').value`, &value)
	if value != "first line\nsecond line" || len(p.messages()) != 1 {
		t.Fatalf("after Shift+Enter: composer %q and %d messages, want two lines and the question alone", value, len(p.messages()))
	}
	p.eval(`document.querySelector('#answer').value = ''`, nil)

	// Answer until the interview ends.
	p.typeAnswer(answer1)
	p.waitFor("the first answer in the log", `document.querySelectorAll('#log li.msg-candidate').length === 1`)
	p.waitFor("the reply", `document.querySelectorAll('#log li.msg-interviewer:not(.streaming)').length === 2`)
	var progress string
	p.eval(`document.querySelector('#progress').textContent`, &progress)
	if progress != "Question 1 of 2" {
		t.Errorf("progress %q, want Question 1 of 2", progress)
	}
	var announced string
	p.eval(`document.querySelector('#announcer').textContent`, &announced)
	if !strings.HasPrefix(announced, "Bar raiser: ") {
		t.Errorf("the live region says %q, want the interviewer's last message", announced)
	}
	p.answerUntilDone(answer4+" "+answer1, answer2+" "+answer3)
	p.waitFor("the scorecard link", `!document.querySelector('#done').hidden && document.activeElement === document.querySelector('#scorecard-link')`)
	ms := p.messages()
	p.checkNoDuplicates(ms)
	var kinds []string
	for _, m := range ms {
		if m.Role == "interviewer" {
			kinds = append(kinds, m.Kind)
		}
	}
	if want := []string{"question", "probe", "question", "probe", "wrapup"}; !slices.Equal(kinds, want) {
		t.Errorf("the interviewer's messages are %v, want %v", kinds, want)
	}
	p.screenshots("02-interview-finished")

	// The scorecard page.
	p.run(chromedp.Click("#scorecard-link", chromedp.ByQuery))
	p.waitFor("the scorecard", `location.pathname === '/scorecard/`+id+`' && document.body.dataset.state === 'ready'`)
	var decision, label string
	p.eval(`document.querySelector('#decision').dataset.decision`, &decision)
	p.eval(`document.querySelector('#decision-label').textContent`, &label)
	want := map[string]string{"strong_hire": "Strong hire", "hire": "Hire", "no_hire": "No hire", "strong_no_hire": "Strong no hire"}
	if want[decision] == "" || want[decision] != label {
		t.Fatalf("decision banner %q (%q), want one of the four decisions", label, decision)
	}
	var perQuestion int
	p.eval(`document.querySelectorAll('#questions tbody tr').length`, &perQuestion)
	if perQuestion != 2 {
		t.Errorf("%d rows in the per-question table, want 2", perQuestion)
	}
	var rows, marks int
	p.eval(`document.querySelectorAll('#dimensions li.dim').length`, &rows)
	p.eval(`document.querySelectorAll('#transcript mark.ev').length`, &marks)
	if rows != 12 || marks == 0 {
		t.Fatalf("%d dimension rows and %d evidence marks, want 12 rows and some marks", rows, marks)
	}
	p.waitFor("the exemplars", `document.body.dataset.exemplars === 'loaded'`)
	var failedWithoutExemplar int
	p.eval(`Array.from(document.querySelectorAll('.exemplar')).filter(e => !e.querySelector('.exemplar-quote')).length`, &failedWithoutExemplar)
	if failedWithoutExemplar > 0 {
		t.Errorf("%d failed dimensions show no stronger example", failedWithoutExemplar)
	}
	p.screenshots("03-scorecard")

	// The print layout (a PDF): no navigation or buttons, one column.
	p.run(emulation.SetEmulatedMedia().WithMedia("print"))
	var printHides bool
	p.eval(`getComputedStyle(document.querySelector('.toolbar')).display === 'none' && getComputedStyle(document.querySelector('.site-header')).display === 'none'`, &printHides)
	if !printHides {
		t.Error("the print layout still shows the header or the buttons")
	}
	var png []byte
	p.run(chromedp.EmulateViewport(800, 1100), chromedp.FullScreenshot(&png, 100))
	if err := os.WriteFile(filepath.Join(screenshotDir(t), "03-scorecard-print.png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
	p.run(emulation.SetEmulatedMedia().WithMedia(""), chromedp.EmulateViewport(desktopWidth, 900))

	t.Run("evidence links", func(t *testing.T) {
		p := p.sub(t)
		var dim string
		p.eval(`(Array.from(document.querySelectorAll('button.dim-link')).find(b =>
			document.querySelector('mark.ev[data-groups~="dim:' + b.dataset.dimension + '"]')) || {dataset: {}}).dataset.dimension || ''`, &dim)
		if dim == "" {
			t.Fatal("no dimension with evidence to click")
		}
		for _, width := range []int64{desktopWidth, phoneWidth} {
			p.run(chromedp.EmulateViewport(width, 800), chromedp.Evaluate(`window.scrollTo(0, 0)`, nil))
			p.run(chromedp.Click(`button.dim-link[data-dimension="`+dim+`"]`, chromedp.ByQuery))
			p.waitFor("the evidence focused and on screen at "+fmt.Sprint(width)+"px", `(() => {
				const a = document.activeElement;
				if (!a || !a.matches('mark.ev') || !a.dataset.groups.split(' ').includes('dim:`+dim+`')) return false;
				const r = a.getBoundingClientRect();
				return r.top >= 0 && r.bottom <= window.innerHeight && a.classList.contains('active');
			})()`)
		}
		p.run(chromedp.EmulateViewport(desktopWidth, 900))
	})

	t.Run("downloads", func(t *testing.T) {
		p := p.sub(t)
		dir := t.TempDir()
		done := make(chan string, 4)
		chromedp.ListenTarget(p.ctx, func(ev any) {
			if ev, ok := ev.(*browser.EventDownloadProgress); ok && ev.State == browser.DownloadProgressStateCompleted {
				done <- ev.GUID
			}
		})
		p.run(browser.SetDownloadBehavior(browser.SetDownloadBehaviorBehaviorAllow).WithDownloadPath(dir).WithEventsEnabled(true))
		p.run(chromedp.Click("#download-json", chromedp.ByQuery), chromedp.Click("#download-md", chromedp.ByQuery))
		for range 2 {
			select {
			case <-done:
			case <-time.After(browserWait):
				t.Fatalf("the downloads did not complete in %s", browserWait)
			}
		}
		var got struct {
			Decision   string            `json:"decision"`
			Transcript []json.RawMessage `json:"transcript"`
		}
		b, err := os.ReadFile(filepath.Join(dir, "scorecard-"+id+".json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("downloaded JSON: %v", err)
		}
		md, err := os.ReadFile(filepath.Join(dir, "scorecard-"+id+".md"))
		if err != nil {
			t.Fatal(err)
		}
		if got.Decision != decision || len(got.Transcript) == 0 {
			t.Errorf("downloaded JSON: decision %q with %d turns, want %q with the transcript", got.Decision, len(got.Transcript), decision)
		}
		if !strings.Contains(string(md), "**Decision: "+label+"**") || !strings.Contains(string(md), "## Transcript") {
			t.Errorf("downloaded Markdown lacks the decision or transcript:\n%s", md)
		}
	})
}

// TestBrowserReconnect drops the interview websocket from the server side
// three times — while idle, while the page is kept offline and the
// candidate answers anyway, and right after an answer is sent — and checks
// that the page reconnects on its own and shows every message exactly once:
// in the end the page's conversation is the server's transcript.
func TestBrowserReconnect(t *testing.T) {
	bs := startBrowserServer(t, nil, nil)
	p := newPage(t, bs.base)
	p.allow("WebSocket connection to") // the drops and the refused reconnects log errors
	p.allow("status of 409")           // while offline the page asks whether the session still exists
	id := p.startFromPracticePage("Dive Deep", "L6", 2, 3, false)

	reconnects := func() int {
		var n int
		p.eval(`Number(document.body.dataset.reconnects || 0)`, &n)
		return n
	}

	p.typeAnswer(answer1)
	p.waitFor("the reply", `document.querySelectorAll('#log li.msg-interviewer:not(.streaming)').length === 2`)

	// 1. A drop while nobody is talking.
	if bs.dropSockets() == 0 {
		t.Fatal("no websocket to drop")
	}
	p.waitFor("a reconnect", `Number(document.body.dataset.reconnects || 0) >= 1 && document.body.dataset.connection === 'online'`)
	before := p.messages()
	p.checkNoDuplicates(before)

	// A reload picks the conversation up from the tab's storage and the
	// server's replay, with nothing doubled.
	p.run(chromedp.Reload())
	p.waitFor("the page back online", `document.body.dataset.connection === 'online' && document.body.dataset.turn === 'candidate'`)
	if after := p.messages(); !slices.Equal(after, before) {
		t.Fatalf("after a reload the page shows %+v, want %+v", after, before)
	}

	// 2. The page stays offline while the candidate answers: the answer
	// waits in the outbox and goes out when the connection is back.
	p.waitTurn()
	bs.blockWS.Store(true)
	bs.dropSockets()
	p.waitFor("the offline banner", `!document.querySelector('#offline').hidden && ['offline', 'reconnecting'].includes(document.body.dataset.connection)`)
	p.typeAnswer(answer2)
	p.waitFor("the answer waiting to be sent", `document.querySelectorAll('#log li.msg-candidate.pending').length === 1`)
	p.screenshots("04-interview-offline")
	reconnected := reconnects()
	bs.blockWS.Store(false)
	p.waitFor("the offline answer sent and replied to", `document.querySelectorAll('#log li.msg-candidate.pending').length === 0 &&
		document.querySelectorAll('#log li.msg-candidate').length === 2 &&
		document.querySelectorAll('#log li.msg-interviewer:not(.streaming)').length === 3 && document.querySelector('#offline').hidden`)
	if reconnects() <= reconnected {
		t.Errorf("reconnects %d, want more than %d", reconnects(), reconnected)
	}

	// 3. A drop right after an answer goes out, before or while its
	// reply is written.
	p.waitTurn()
	p.typeAnswer(routingAnswer)
	bs.dropSockets()
	p.waitFor("the answer stored and replied to after the drop", `document.querySelectorAll('#log li.msg-candidate:not(.pending)').length === 3 &&
		document.querySelectorAll('#log li.msg-interviewer:not(.streaming)').length === 4 && document.body.dataset.connection === 'online'`)
	p.checkNoDuplicates(p.messages())

	// End early with the button; the page and the server agree on every turn.
	p.waitTurn()
	p.run(chromedp.Click("#end", chromedp.ByQuery))
	p.waitFor("the confirmation", `!document.querySelector('#end-confirm').hidden && document.activeElement.id === 'end-yes'`)
	p.run(chromedp.Click("#end-yes", chromedp.ByQuery))
	p.waitFor("the end of the interview", `document.body.dataset.turn === 'finished' && !document.querySelector('#done').hidden`)
	ms := p.messages()
	p.checkNoDuplicates(ms)
	var shown []string
	for _, m := range ms {
		if m.Kind != "wrapup" {
			shown = append(shown, m.Role+": "+m.Text)
		}
	}
	var stored []string
	for _, m := range p.scorecardTranscript(id) {
		stored = append(stored, m.Role+": "+m.Text)
	}
	if !slices.Equal(shown, stored) {
		t.Fatalf("the page shows\n%s\n\nthe server stored\n%s", strings.Join(shown, "\n"), strings.Join(stored, "\n"))
	}

	p.run(chromedp.Click("#scorecard-link", chromedp.ByQuery))
	p.waitFor("the scorecard", `document.body.dataset.state === 'ready' && document.body.dataset.exemplars === 'loaded'`)
	p.screenshots("05-scorecard-ended-early")
}

// TestBrowserFallbackDiscardsStream plays a scripted server to the
// interview page: the interviewer streams half a message, then the server
// says it fell back to the scripted interviewer (notice
// interviewer_fallback) and sends the whole message again; later the
// socket is cut halfway through a streamed probe and the probe is replayed
// whole on resume. Neither half message may stay in the page.
func TestBrowserFallbackDiscardsStream(t *testing.T) {
	const (
		half     = "Welcome, I am your bar "
		question = "Tell me about a time you took on something significant outside your area of responsibility. Why did you step in?"
		partial  = "You said the team did "
		probe    = "What did you personally do, step by step, before the fix went out?"
	)
	streamed := make(chan struct{}) // the half message has been sent
	proceed := make(chan struct{})  // the test has seen it on the page
	cut := make(chan struct{})      // the partial probe has been sent and the socket cut
	var conns atomic.Int32
	var bs *browserServer
	upgrader := websocket.Upgrader{}
	fake := func(w http.ResponseWriter, r *http.Request) {
		conn, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		fail := func(format string, args ...any) {
			if !bs.closing.Load() {
				t.Errorf(format, args...)
			}
		}
		send := func(v map[string]any) {
			if err := conn.WriteJSON(v); err != nil {
				fail("fake server: %v", err)
			}
		}
		read := func(want string) map[string]any {
			for {
				conn.SetReadDeadline(time.Now().Add(browserWait))
				var f map[string]any
				if err := conn.ReadJSON(&f); err != nil {
					fail("fake server waiting for %s: %v", want, err)
					return nil
				}
				if f["type"] == want {
					return f
				}
			}
		}
		tokens := func(seq int, text string) {
			for _, w := range strings.SplitAfter(text, " ") {
				send(map[string]any{"type": "token", "seq": seq, "text": w})
			}
		}
		switch conns.Add(1) {
		case 1:
			send(map[string]any{"type": "session", "id": "x", "status": "active", "questions": 1, "last_seq": 0})
			if f := read("resume"); f == nil || f["last_seq"] != float64(0) {
				fail("first resume %v, want last_seq 0", f)
			}
			send(map[string]any{"type": "resumed", "last_seq": 0, "replayed": 0})
			tokens(1, half)
			close(streamed)
			<-proceed
			send(map[string]any{"type": "notice", "code": "interviewer_fallback", "message": "The interviewer is briefly unavailable; a scripted interviewer is taking this turn."})
			tokens(1, question)
			send(map[string]any{"type": "question", "seq": 1, "text": question, "question": 0})
			// The first answer is refused; the candidate sends it again.
			if read("answer") == nil {
				return
			}
			send(map[string]any{"type": "error", "code": "invalid_answer", "message": "The answer is longer than the limit.", "fatal": false})
			a := read("answer")
			if a == nil {
				return
			}
			send(map[string]any{"type": "ack", "id": a["id"], "seq": 2})
			tokens(3, partial)
			close(cut) // and the deferred Close cuts the socket mid-probe
		case 2:
			send(map[string]any{"type": "session", "id": "x", "status": "active", "questions": 1, "last_seq": 3})
			if f := read("resume"); f == nil || f["last_seq"] != float64(1) {
				fail("resume after the cut %v, want last_seq 1", f)
			}
			send(map[string]any{"type": "probe", "seq": 3, "text": probe, "question": 0, "dimension": "first_person_actions"})
			send(map[string]any{"type": "resumed", "last_seq": 3, "replayed": 1})
			read("end") // keep the socket open until the test is done with it
		}
	}
	bs = startBrowserServer(t, nil, fake)
	p := newPage(t, bs.base)
	p.allow("WebSocket connection to")

	// A tab that has started session "fake-1" (the fake serves any id).
	p.run(chromedp.Navigate(bs.base + "/"))
	p.eval(`sessionStorage.setItem('barraiser.session.fake-1', JSON.stringify({id: 'fake-1', token: 't0ken', level: 'L5',
		questions: [{principle: 'Ownership', text: 'q'}], startedAt: Date.now(), lastSeq: 0, messages: [], outbox: [], finished: false})), true`, nil)
	p.run(chromedp.Navigate(bs.base + "/interview/fake-1"))

	select {
	case <-streamed:
	case <-time.After(browserWait):
		t.Fatalf("the page never connected\n%s", p.snapshot())
	}
	p.waitFor("the half message streaming", `(() => {
		const li = document.querySelector('#log li.msg-interviewer.streaming');
		return li && li.querySelector('.msg-text').textContent === `+jsString(half)+` && !document.querySelector('#typing').hidden;
	})()`)
	close(proceed)
	p.waitFor("the whole question", `document.querySelector('#log li.msg-interviewer[data-seq="1"]:not(.streaming)') !== null`)
	ms := p.messages()
	if len(ms) != 1 || ms[0].Text != question || ms[0].Streaming {
		t.Fatalf("after the fallback the page shows %+v, want only the whole question", ms)
	}
	var text, notice string
	p.eval(`document.querySelector('#log').textContent`, &text)
	p.eval(`document.querySelector('#notices').hidden ? '' : document.querySelector('#notices').textContent`, &notice)
	if strings.Contains(text, strings.TrimSpace(half)) {
		t.Fatalf("the discarded half message is still in the page: %q", text)
	}
	if !strings.Contains(notice, "scripted interviewer") {
		t.Errorf("the fallback notice is not shown (notices %q)", notice)
	}
	p.waitFor("the question announced", `document.querySelector('#announcer').textContent === `+jsString("Bar raiser: "+question))

	// An error frame is shown, and the refused answer goes back into the
	// composer.
	p.typeAnswer("I rebuilt the export myself.")
	p.waitFor("the error and the answer back in the composer", `!document.querySelector('#errors').hidden &&
		document.querySelector('#errors').textContent.includes('longer than the limit') &&
		document.querySelector('#answer').value === 'I rebuilt the export myself.' &&
		document.querySelectorAll('#log li.msg-candidate').length === 0`)
	p.checkAccessibility("interview, error shown")

	// Sent again, it is stored; then the socket is cut halfway through a
	// streamed probe.
	p.run(chromedp.Focus("#answer", chromedp.ByQuery), pressEnter())
	select {
	case <-cut:
	case <-time.After(browserWait):
		t.Fatalf("the answer never reached the fake server\n%s", p.snapshot())
	}
	p.waitFor("the probe replayed whole", `document.querySelector('#log li.msg-interviewer[data-seq="3"]:not(.streaming)') !== null && document.body.dataset.connection === 'online'`)
	ms = p.messages()
	want := []string{question, "I rebuilt the export myself.", probe}
	var got []string
	for _, m := range ms {
		got = append(got, m.Text)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("after the cut the page shows %q, want %q", got, want)
	}
	p.run(chromedp.Click("#end", chromedp.ByQuery), chromedp.Click("#end-yes", chromedp.ByQuery))
}

// TestBrowserFallbackOverOpenAIWire runs the real pipeline with an
// OpenAI-compatible model that fails halfway through its first reply: the
// page has shown the first words when the stream breaks, the scripted
// interviewer takes the turn (notice interviewer_fallback), and the page
// ends up with the scripted question alone.
func TestBrowserFallbackOverOpenAIWire(t *testing.T) {
	const opening = "Zebra greetings, candidate. I am the model bar raiser and this reply will break off in the middle of its second sentence because the"
	streamed := make(chan struct{}, 1) // the first words are out
	proceed := make(chan struct{})     // the page has shown them
	var calls atomic.Int32
	llm := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) > 1 {
			http.Error(w, `{"error":{"message":"down","type":"server_error"}}`, http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		flusher := w.(http.Flusher)
		for _, word := range strings.SplitAfter(opening, " ") {
			chunk, _ := json.Marshal(map[string]any{"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "fake",
				"choices": []map[string]any{{"index": 0, "delta": map[string]string{"content": word}}}})
			fmt.Fprintf(w, "data: %s\n\n", chunk)
			flusher.Flush()
		}
		streamed <- struct{}{}
		select {
		case <-proceed:
		case <-r.Context().Done():
		}
		panic(http.ErrAbortHandler) // cut the stream mid-reply
	}))
	t.Cleanup(llm.Close)
	bs := startBrowserServer(t, map[string]string{"OPENAI_BASE_URL": llm.URL + "/v1", "OPENAI_MODEL": "fake",
		"OPENAI_API_KEY": "sk-test-key-123456", "OPENAI_IDLE_TIMEOUT": "15s"}, nil)
	p := newPage(t, bs.base)
	p.run(chromedp.Navigate(bs.base + "/"))
	p.waitFor("the principles", `document.querySelectorAll('#principle option').length === 17`)
	p.run(chromedp.Click("#start", chromedp.ByQuery))
	select {
	case <-streamed:
	case <-time.After(browserWait):
		t.Fatalf("the model was never asked\n%s", p.snapshot())
	}
	p.waitFor("the model's first words on the page", `(() => {
		const li = document.querySelector('#log li.msg-interviewer.streaming');
		return li && li.querySelector('.msg-text').textContent.startsWith('Zebra greetings');
	})()`)
	close(proceed)
	p.waitFor("the scripted question", `document.querySelector('#log li.msg-interviewer[data-kind="question"]:not(.streaming)') !== null`)
	ms := p.messages()
	var text, notice string
	p.eval(`document.querySelector('#log').textContent`, &text)
	p.eval(`document.querySelector('#notices').hidden ? '' : document.querySelector('#notices').textContent`, &notice)
	if len(ms) != 1 || strings.Contains(text, "Zebra") {
		t.Fatalf("after the fallback the page shows %+v, want the scripted question alone", ms)
	}
	if !strings.Contains(notice, "scripted interviewer") {
		t.Errorf("the fallback notice is not shown (notices %q)", notice)
	}
}

// TestBrowserInvite: a candidate follows a recruiter's invite link (the
// code in the fragment) into a timed interview on the recruiter's question
// set, and sees the scorecard at the end; a used code is refused clearly.
func TestBrowserInvite(t *testing.T) {
	bs := startBrowserServer(t, nil, nil)
	ctx := t.Context()
	if _, _, _, err := bs.app.recruiting.CreateOrg(ctx, "Acme", "rec@example.com", "correct horse battery staple"); err != nil {
		t.Fatal(err)
	}
	_, token, err := bs.app.recruiting.MintToken(ctx, "rec@example.com", "browser test")
	if err != nil {
		t.Fatal(err)
	}
	post := func(path, body string, v any) {
		t.Helper()
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, bs.base+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusCreated || json.Unmarshal(b, v) != nil {
			t.Fatalf("POST %s: %s %s", path, resp.Status, b)
		}
	}
	var set struct{ ID string }
	post("/api/v1/question-sets", `{"name":"Backend","description":"d","time_limit_minutes":30,"probes_per_question":1,
		"questions":[{"principle":"Ownership","text":"Tell me about a time you owned a problem end to end.","levels":[],"probes":[]}]}`, &set)
	var invite struct{ Code string }
	post("/api/v1/invites", `{"question_set_id":"`+set.ID+`","level":"L5","candidate":"Sam","expires_in_hours":48}`, &invite)

	p := newPage(t, bs.base)
	p.allow("status of 409") // the second use of the code
	p.run(chromedp.Navigate(bs.base + "/#code=" + invite.Code))
	p.waitFor("the code in the form and out of the address bar", `document.querySelector('#invite-code').value === `+jsString(invite.Code)+` && location.hash === ''`)
	p.run(chromedp.Click("#invite-start", chromedp.ByQuery))
	p.waitFor("the recruiter's question", `location.pathname.startsWith('/interview/') && (document.querySelector('#log li.msg-interviewer[data-kind="question"] .msg-text') || {}).textContent?.includes('owned a problem end to end')`)
	var clock string
	p.eval(`document.querySelector('#clock').textContent`, &clock)
	if !strings.HasSuffix(clock, " of 30:00") {
		t.Errorf("clock %q, want the time limit (… of 30:00)", clock)
	}
	p.screenshots("06-interview-invited")
	p.answerUntilDone(answer1, answer2+" "+answer3)
	p.run(chromedp.Click("#scorecard-link", chromedp.ByQuery))
	p.waitFor("the scorecard", `document.body.dataset.state === 'ready' && document.querySelector('#decision-label').textContent !== ''`)

	// The code works once.
	p.run(chromedp.Navigate(bs.base + "/#code=" + invite.Code))
	p.waitFor("the code in the form", `document.querySelector('#invite-code').value === `+jsString(invite.Code))
	p.run(chromedp.Click("#invite-start", chromedp.ByQuery))
	p.waitFor("the refusal", `!document.querySelector('#invite-error').hidden && document.querySelector('#invite-error').textContent.includes('used already')`)
	p.checkAccessibility("practice, invite refused")
}

// TestBrowserSessionGone: a tab whose session the server no longer knows
// (an in-memory server restarted) stops reconnecting and says so.
func TestBrowserSessionGone(t *testing.T) {
	bs := startBrowserServer(t, nil, nil)
	p := newPage(t, bs.base)
	p.allow("WebSocket connection to")
	p.allow("status of 404")
	p.run(chromedp.Navigate(bs.base + "/"))
	p.eval(`sessionStorage.setItem('barraiser.session.gone', JSON.stringify({id: 'gone', token: 't0ken', level: 'L5',
		questions: [], startedAt: Date.now(), lastSeq: 2, messages: [{seq: 1, role: 'interviewer', kind: 'question', text: 'Tell me about a time.', question: 0}], outbox: [], finished: false})), true`, nil)
	p.run(chromedp.Navigate(bs.base + "/interview/gone"))
	p.waitFor("the error", `document.body.dataset.connection === 'closed' && !document.querySelector('#errors').hidden &&
		document.querySelector('#errors').textContent.includes('no longer exists') && document.querySelector('#composer').hidden`)
	p.screenshots("07-interview-session-gone")
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
