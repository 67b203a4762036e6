package main

import (
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The recruiter console (web/pages/console*.html) in headless Chromium,
// against the real wired server (offline defaults, memory store) with an
// org and admin made by the code "api org create" runs. It reuses the
// candidate pages' harness (browser_test.go): newPage, waitFor, the
// accessibility pass and desktop + 360px screenshots of every page.

const (
	consoleEmail    = "lead@acme.example"
	consolePassword = "correct horse battery staple"
	consoleOrg      = "Acme Hiring"
	consoleLabel    = "Sam Rivera"
)

// startConsoleServer starts the app with an org and its admin, and
// returns the server's base URL. The console cookies are Secure unless
// COOKIE_INSECURE=1; the test server is plain HTTP.
func startConsoleServer(t *testing.T) string {
	t.Helper()
	a, err := buildApp(t.Context(), configFromEnv(env(map[string]string{"COOKIE_INSECURE": "1"})), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.close)
	if _, _, _, err := a.recruiting.CreateOrg(t.Context(), consoleOrg, consoleEmail, consolePassword); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.api.Handler())
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestBrowserConsole walks the recruiter's whole flow: log in (after a
// wrong password); create a question set (first with a field the server
// refuses, shown inline, then fixed: version 1; an edit is version 2);
// create an invite and copy its link, revoke another; a candidate with no
// account opens the link in another browser and answers until the
// interview ends (the link then refuses a second use); the session shows
// in the sessions table with its decision (and the filters narrow it), its
// scorecard opens for the recruiter, a vote is recorded and the agreement
// report counts it; a save after the console session ended elsewhere says
// so and keeps the page; log out. Every console page gets the
// accessibility pass and screenshots at desktop and 360px width.
func TestBrowserConsole(t *testing.T) {
	base := startConsoleServer(t)
	rec := newPage(t, base)
	rec.allow("status of 401") // the login check when logged out, and the wrong password
	rec.allow("status of 400") // the question set the server refuses

	// ---- log in ----
	rec.run(chromedp.Navigate(base + "/console"))
	rec.waitFor("the login form", `document.body.dataset.state === 'login' && document.activeElement.id === 'email'`)
	rec.screenshots("console-01-login")
	rec.run(
		chromedp.SendKeys("#email", consoleEmail, chromedp.ByQuery),
		chromedp.SendKeys("#password", "not the password", chromedp.ByQuery),
		chromedp.Click("#login-submit", chromedp.ByQuery),
	)
	rec.waitFor("the wrong-password message", `!document.querySelector('#login-error').hidden &&
		document.querySelector('#login-error').textContent === 'Wrong email or password.' && document.activeElement.id === 'password'`)
	rec.checkAccessibility("console login, wrong password")
	rec.run(
		chromedp.Evaluate(`document.querySelector("#password").value = ""`, nil),
		chromedp.SendKeys("#password", consolePassword, chromedp.ByQuery),
		chromedp.Click("#login-submit", chromedp.ByQuery),
	)
	rec.waitFor("the console home", `document.body.dataset.state === 'ready' && document.querySelector('#org-name').textContent === `+jsString(consoleOrg))
	var csrfHttpOnly bool
	rec.eval(`!document.cookie.includes('barraiser_csrf=') || document.cookie.includes('barraiser_session=')`, &csrfHttpOnly)
	if csrfHttpOnly {
		t.Error("the page sees the session cookie, or not the CSRF cookie")
	}
	rec.screenshots("console-02-home-empty")

	// ---- a question set: refused inline, then saved ----
	rec.run(chromedp.Click("#new-set", chromedp.ByQuery))
	rec.waitFor("the editor", `location.pathname === '/console/question-sets/new' && document.body.dataset.state === 'ready' &&
		document.querySelectorAll('#questions .q-card select[data-name="principle"] option').length === 17`)
	rec.run(
		chromedp.SendKeys("#name", "Backend L5 loop", chromedp.ByQuery),
		chromedp.SendKeys("#description", "Ownership-heavy loop for backend engineers.", chromedp.ByQuery),
		chromedp.SetValue(`#questions .q-card select[data-name="principle"]`, "Ownership", chromedp.ByQuery),
		// The question's text is left empty: the server names the field.
		chromedp.Click(`#questions .q-card .add-probe`, chromedp.ByQuery),
		chromedp.SetValue(`#questions .probe-row select[data-name="dimension"]`, "metric_delta", chromedp.ByQuery),
		chromedp.SendKeys(`#questions .probe-row input[data-name="text"]`, "What number moved, from what to what?", chromedp.ByQuery),
		chromedp.SendKeys("#probes-per", "1", chromedp.ByQuery),
		chromedp.SendKeys("#time-limit", "30", chromedp.ByQuery),
		chromedp.Click("#save", chromedp.ByQuery),
	)
	rec.waitFor("the inline error on the question's text", `(() => {
		const ta = document.querySelector('[data-field="questions[0].text"]');
		if (!ta || ta.getAttribute('aria-invalid') !== 'true' || document.activeElement !== ta) return false;
		const msg = document.getElementById((ta.getAttribute('aria-describedby') || '').split(' ').pop());
		return msg && msg.classList.contains('field-error') && msg.textContent === 'must not be empty' && ta.closest('.field').contains(msg);
	})()`)
	rec.waitFor("the refusal announced", `document.querySelector('#announcer').textContent === 'Not saved. Question 1 · Question: must not be empty.'`)
	rec.screenshots("console-03-question-set-invalid")
	rec.run(
		chromedp.SendKeys(`[data-field="questions[0].text"]`, "Tell me about a time you owned a problem end to end.", chromedp.ByQuery),
		chromedp.Click("#save", chromedp.ByQuery),
	)
	rec.waitFor("version 1 saved", `document.body.dataset.state === 'saved' && document.querySelector('#version').dataset.version === '1' &&
		location.pathname.startsWith('/console/question-sets/qs_') && document.querySelectorAll('.field-error').length === 0 &&
		document.querySelector('#save-status').textContent === 'Saved as version 1.'`)
	// An edit is a new version: probe "Lasting mechanism" first, and add
	// an example answer of the org's own.
	rec.run(
		chromedp.Click(`#dims li[data-dimension="mechanism"] button[aria-label="Move Lasting mechanism up"]`, chromedp.ByQuery),
		chromedp.Click("#add-exemplar", chromedp.ByQuery),
		chromedp.SetValue(`[data-field="exemplars[0].dimension"]`, "metric_delta", chromedp.ByQuery),
		chromedp.SetValue(`[data-field="exemplars[0].label"]`, "strong", chromedp.ByQuery),
		chromedp.SendKeys(`[data-field="exemplars[0].text"]`, "Checkout errors fell from 2.1% to 0.3% in two weeks after my fix.", chromedp.ByQuery),
		chromedp.Click("#save", chromedp.ByQuery),
	)
	rec.waitFor("version 2 saved", `document.querySelector('#version').dataset.version === '2' &&
		document.querySelector('#dims li:first-child').dataset.dimension === 'mechanism' &&
		document.querySelector('[data-field="exemplars[0].text"]').value.startsWith('Checkout errors') &&
		document.querySelector('#save-status').textContent === 'Saved as version 2.'`)
	rec.screenshots("console-04-question-set-saved")

	// ---- an invite ----
	rec.run(chromedp.Navigate(base + "/console"))
	rec.waitFor("the home with the set", `document.body.dataset.state === 'ready' && document.querySelectorAll('#sets-table tbody tr').length === 1 &&
		document.querySelector('#invite-set').options.length === 1`)
	rec.run(
		chromedp.SetValue("#invite-level", "L5", chromedp.ByQuery),
		chromedp.SendKeys("#invite-candidate", consoleLabel, chromedp.ByQuery),
		chromedp.SetValue("#invite-expiry", "72", chromedp.ByQuery),
		chromedp.Click("#invite-create", chromedp.ByQuery),
	)
	rec.waitFor("the invite link", `!document.querySelector('#invite-created').hidden && document.querySelector('#invite-url').value.includes('/#code=') &&
		document.querySelectorAll('#invites-table tbody tr[data-status="open"]').length === 1`)
	rec.run(chromedp.Click("#copy-link", chromedp.ByQuery))
	rec.waitFor("the copy reported", `document.querySelector('#copy-link').textContent === 'Copied' || document.querySelector('#announcer').textContent.startsWith('Copying failed')`)
	var link string
	rec.eval(`document.querySelector('#invite-url').value`, &link)
	// A second invite, revoked.
	rec.run(chromedp.SendKeys("#invite-candidate", "Alex Kim", chromedp.ByQuery), chromedp.Click("#invite-create", chromedp.ByQuery))
	rec.waitFor("the second invite", `document.querySelectorAll('#invites-table tbody tr[data-status="open"]').length === 2`)
	rec.run(chromedp.Click(`#invites-table button[aria-label="Revoke the invite for Alex Kim"]`, chromedp.ByQuery))
	rec.waitFor("the invite revoked", `document.querySelectorAll('#invites-table tbody tr[data-status="revoked"]').length === 1 &&
		document.querySelector('#announcer').textContent === 'The invite for Alex Kim is revoked.' && document.activeElement.id === 'invite-list-title'`)
	rec.screenshots("console-05-home-invite")

	// ---- the candidate, in another browser with no account ----
	cand := newPage(t, base)
	cand.run(chromedp.Navigate(link))
	cand.waitFor("the code in the form and out of the address bar", `document.querySelector('#invite-code').value.length > 10 && location.hash === '' && location.pathname === '/'`)
	cand.screenshots("console-06-candidate-invite")
	cand.run(chromedp.Click("#invite-start", chromedp.ByQuery))
	cand.waitFor("the recruiter's question", `location.pathname.startsWith('/interview/') &&
		((document.querySelector('#log li.msg-interviewer[data-kind="question"] .msg-text') || {}).textContent || '').includes('owned a problem end to end')`)
	cand.answerUntilDone(answer4+" "+answer1, answer2+" "+answer3)
	var sessionID string
	cand.eval(`location.pathname.split('/')[2]`, &sessionID)

	// The link works once.
	cand.allow("status of 409")
	cand.run(chromedp.Navigate(link))
	cand.waitFor("the code in the form", `document.querySelector('#invite-code').value.length > 10`)
	cand.run(chromedp.Click("#invite-start", chromedp.ByQuery))
	cand.waitFor("the refusal", `!document.querySelector('#invite-error').hidden && document.querySelector('#invite-error').textContent.includes('used already')`)

	// ---- the sessions table ----
	rec.run(chromedp.Navigate(base + "/console/sessions"))
	rec.waitFor("the finished session", `document.body.dataset.state === 'ready' &&
		document.querySelector('#sessions-table tbody tr[data-id=`+jsString(sessionID)+`][data-status="finished"]') !== null`)
	var decision, rowText string
	rec.eval(`document.querySelector('#sessions-table tbody tr').dataset.decision`, &decision)
	rec.eval(`document.querySelector('#sessions-table tbody tr').innerText`, &rowText)
	labels := map[string]string{"strong_hire": "Strong hire", "hire": "Hire", "no_hire": "No hire", "strong_no_hire": "Strong no hire"}
	if labels[decision] == "" || !strings.Contains(rowText, consoleLabel) || !strings.Contains(rowText, labels[decision]) || !strings.Contains(rowText, "Backend L5 loop v2") {
		t.Fatalf("session row %q (decision %q), want the candidate, the set and version, and a decision", rowText, decision)
	}
	rows := func() int {
		var n int
		rec.eval(`document.querySelectorAll('#sessions-table tbody tr').length`, &n)
		return n
	}
	rec.run(chromedp.SendKeys("#f-text", "nobody", chromedp.ByQuery))
	rec.waitFor("no match", `document.querySelector('#sessions-table') === null && document.querySelector('#count').textContent === 'Showing 0 of 1 sessions'`)
	rec.run(chromedp.Click("#f-clear", chromedp.ByQuery))
	rec.waitFor("the row back", `document.querySelectorAll('#sessions-table tbody tr').length === 1`)
	rec.run(chromedp.SetValue("#f-decision", decision, chromedp.ByQuery), chromedp.SetValue("#f-status", "finished", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector('#f-status').dispatchEvent(new Event('change', {bubbles: true}))`, nil))
	if n := rows(); n != 1 {
		t.Errorf("filtered on its own decision and status: %d rows, want 1", n)
	}
	rec.run(chromedp.SetValue("#f-status", "active", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector('#f-status').dispatchEvent(new Event('change', {bubbles: true}))`, nil))
	rec.waitFor("no active session", `document.querySelector('#sessions-table') === null`)
	rec.run(chromedp.Click("#f-clear", chromedp.ByQuery))
	rec.waitFor("the row back", `document.querySelectorAll('#sessions-table tbody tr').length === 1`)
	rec.screenshots("console-07-sessions")

	// ---- its scorecard, and a vote ----
	rec.run(chromedp.Click(`#sessions-table tbody tr th a`, chromedp.ByQuery))
	rec.waitFor("the scorecard", `location.pathname === '/console/sessions/`+sessionID+`' && document.body.dataset.state === 'ready' &&
		document.querySelector('#decision').dataset.decision === `+jsString(decision)+` && document.querySelectorAll('#dimensions li.dim').length === 12`)
	var who string
	rec.eval(`document.querySelector('#transcript .turn-candidate .turn-who').textContent`, &who)
	if who != "Candidate" {
		t.Errorf("the transcript names the candidate %q, want Candidate", who)
	}
	// No decision chosen: an inline error, nothing sent.
	rec.run(chromedp.Click("#vote-save", chromedp.ByQuery))
	rec.waitFor("the missing decision", `document.querySelector('#vote-decision').getAttribute('aria-invalid') === 'true' &&
		document.querySelector('#vote-decision .field-error').textContent === 'Choose a decision.'`)
	// The vote: hire, and first-person actions judged against the rubric.
	var rubricPassed bool
	rec.eval(`document.querySelector('#dimensions li.dim[data-dimension="first_person_actions"]').classList.contains('dim-pass')`, &rubricPassed)
	judged := "pass"
	if rubricPassed {
		judged = "fail"
	}
	rec.run(
		chromedp.Click(`label[for="vote-hire"]`, chromedp.ByQuery),
		chromedp.Click(`.vote-more summary`, chromedp.ByQuery),
		chromedp.SetValue("#vote-dim-first_person_actions", judged, chromedp.ByQuery),
		chromedp.SendKeys("#vote-note", "Clear ownership; thin on metrics.", chromedp.ByQuery),
		chromedp.Click("#vote-save", chromedp.ByQuery),
	)
	rec.waitFor("the vote recorded", `document.body.dataset.voted === 'hire' && document.querySelector('#vote-status').textContent.startsWith('Vote recorded: Hire.') &&
		document.querySelectorAll('.field-error').length === 0`)
	rec.screenshots("console-08-scorecard")

	// The candidate's scorecard page opens for the recruiter too (the
	// console cookie, no session key in this tab).
	rec.run(chromedp.Navigate(base + "/scorecard/" + sessionID))
	rec.waitFor("the scorecard page for the recruiter", `document.body.dataset.state === 'ready' && document.querySelector('#decision').dataset.decision === `+jsString(decision))
	rec.run(chromedp.Navigate(base + "/console/sessions/" + sessionID))

	// ---- the agreement report ----
	rec.waitFor("the scorecard view again", `location.pathname === '/console/sessions/`+sessionID+`' && document.body.dataset.state === 'ready'`)
	rec.waitFor("the vote recorded before, shown in the form", `document.querySelector('#vote-hire').checked &&
		document.querySelector('#vote-dim-first_person_actions').value === `+jsString(judged)+` &&
		document.querySelector('#vote-note').value === 'Clear ownership; thin on metrics.' &&
		document.querySelector('#vote-status').textContent.startsWith('Your vote: Hire.')`)
	rec.run(
		chromedp.Click(`label[for="vote-hire"]`, chromedp.ByQuery),
		chromedp.Click(`.vote-more summary`, chromedp.ByQuery),
		chromedp.SetValue("#vote-dim-first_person_actions", judged, chromedp.ByQuery),
		chromedp.Click("#vote-save", chromedp.ByQuery),
	)
	rec.waitFor("the vote recorded again (it replaces the first)", `document.body.dataset.voted === 'hire' &&
		document.querySelector('#vote-status').textContent.startsWith('Vote recorded: Hire.')`)
	rec.run(chromedp.Click(`#vote-status a`, chromedp.ByQuery))
	rec.waitFor("the report", `location.pathname === '/console/calibration' && document.body.dataset.state === 'ready'`)
	var votes, cell, disagree int
	rec.eval(`Number(document.querySelector('#stat-votes dd').textContent)`, &votes)
	rec.eval(`Number(document.querySelector('#confusion-table td[data-vote="hire"][data-rubric=`+jsString(decision)+`]').textContent)`, &cell)
	rec.eval(`Number((document.querySelector('#dims-table tr[data-dimension="first_person_actions"] td:nth-of-type(2)') || {}).textContent)`, &disagree)
	if votes != 1 || cell != 1 || disagree != 1 {
		t.Errorf("report: %d votes, confusion[hire][%s] = %d, first-person disagreements %d; want 1, 1, 1", votes, decision, cell, disagree)
	}
	var hireSide string
	rec.eval(`document.querySelector('#stat-hire-side dd').textContent`, &hireSide)
	wantAgree := "0 of 1"
	if decision == "hire" || decision == "strong_hire" {
		wantAgree = "1 of 1"
	}
	if !strings.Contains(hireSide, wantAgree) {
		t.Errorf("hire-side agreement %q, want %q (vote hire, rubric %s)", hireSide, wantAgree, decision)
	}
	rec.screenshots("console-09-calibration")

	// ---- the console session ends while a page is open ----
	rec.run(chromedp.Click(`#console-nav a[href="/console"]`, chromedp.ByQuery))
	rec.waitFor("the home", `location.pathname === '/console' && document.body.dataset.state === 'ready'`)
	rec.run(chromedp.Click(`#sets-table tbody a`, chromedp.ByQuery))
	rec.waitFor("the editor on version 2", `document.body.dataset.state === 'ready' && document.querySelector('#version').dataset.version === '2'`)
	rec.eval(`fetch('/api/v1/auth/logout', {method: 'POST', headers: {'X-CSRF-Token': document.cookie.match(/barraiser_csrf=([^;]+)/)[1]}}).then(r => r.status)`, nil)
	rec.run(chromedp.Click("#save", chromedp.ByQuery))
	rec.waitFor("the ended session explained", `!document.querySelector('#save-error').hidden &&
		document.querySelector('#save-error').textContent.includes('your console session has ended') && document.querySelector('#name').value === 'Backend L5 loop'`)

	// ---- log out ----
	rec.run(chromedp.Click("#logout", chromedp.ByQuery))
	rec.waitFor("the login form again", `location.pathname === '/console' && document.body.dataset.state === 'login'`)
	rec.run(chromedp.Navigate(base + "/console/sessions"))
	rec.waitFor("the login form, to come back", `location.pathname === '/console' && location.search === '?next=%2Fconsole%2Fsessions' && document.body.dataset.state === 'login'`)
	rec.run(
		chromedp.SendKeys("#email", consoleEmail, chromedp.ByQuery),
		chromedp.SendKeys("#password", consolePassword, chromedp.ByQuery),
		chromedp.Click("#login-submit", chromedp.ByQuery),
	)
	rec.waitFor("back on the sessions page", `location.pathname === '/console/sessions' && document.body.dataset.state === 'ready'`)
}

// TestBrowserConsoleLoginThrottled: after a burst of wrong passwords the
// login form says how long to wait (the 429's Retry-After).
func TestBrowserConsoleLoginThrottled(t *testing.T) {
	base := startConsoleServer(t)
	p := newPage(t, base)
	p.allow("status of 401")
	p.allow("status of 429")
	p.run(chromedp.Navigate(base + "/console"))
	p.waitFor("the login form", `document.body.dataset.state === 'login'`)
	p.run(chromedp.SendKeys("#email", consoleEmail, chromedp.ByQuery), chromedp.SendKeys("#password", "wrong", chromedp.ByQuery))
	for i := 1; i <= 8; i++ {
		p.run(chromedp.Click("#login-submit", chromedp.ByQuery))
		p.waitFor(fmt.Sprintf("failure %d", i), fmt.Sprintf(`Number(document.body.dataset.loginFailures) === %d`, i))
		var msg string
		p.eval(`document.querySelector('#login-error').textContent`, &msg)
		if strings.HasPrefix(msg, "Too many login attempts.") {
			if !regexp.MustCompile(`^Too many login attempts\. Try again in \d+ seconds?\.$`).MatchString(msg) {
				t.Errorf("throttled: %q, want the wait in seconds", msg)
			}
			p.checkAccessibility("console login, throttled")
			return
		}
		if msg != "Wrong email or password." {
			t.Fatalf("attempt %d: %q", i, msg)
		}
	}
	t.Fatal("8 wrong passwords in a row were never throttled")
}
