package httpapi_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"barraiser/internal/httpapi"
	"barraiser/internal/interview"
	"barraiser/internal/rubric"
)

func TestLiveWholeInterview(t *testing.T) {
	l := newLive(t, nil, nil)
	st := l.start(`{"principles":["Ownership"],"level":"L5","probes":2,"candidate":"practice"}`)

	u, err := url.Parse(st.WSURL)
	if err != nil || u.Scheme != "ws" || u.Host != strings.TrimPrefix(l.ts.URL, "http://") || u.Path != "/api/v1/sessions/"+st.ID+"/ws" {
		t.Fatalf("ws_url = %q", st.WSURL)
	}
	if st.Token == "" || st.Level != "L5" || st.Status != interview.StatusActive || len(st.Questions) != 1 || st.Questions[0].Principle != "Ownership" {
		t.Fatalf("start = %+v", st)
	}

	scorecardPath := "/api/v1/sessions/" + st.ID + "/scorecard"
	if status, b := l.get(scorecardPath, st.Token); status != http.StatusConflict || errorCode(t, b) != "not_finished" {
		t.Fatalf("scorecard before the end: %d %s, want 409 not_finished", status, b)
	}

	w, hello := l.dial(st)
	if hello.ID != st.ID || hello.Status != interview.StatusActive || hello.Questions != 1 || hello.LastSeq != 0 {
		t.Fatalf("session frame = %s", hello.raw)
	}
	q := w.turn()
	if q.Type != interview.KindQuestion || q.Seq != 1 || q.Question != 0 || !strings.Contains(q.Text, st.Questions[0].Text) {
		t.Fatalf("first message = %s", q.raw)
	}

	answers := []string{strongAnswer, reflectionAnswer, vagueResultAnswer, weAnswer}
	last := q
	var card *interview.Scorecard
	for i := 0; card == nil; i++ {
		if i == len(answers) {
			t.Fatalf("no wrap-up after %d answers", i)
		}
		reply := w.answerTurn("m"+string(rune('a'+i)), answers[i], last.Seq+1)
		if reply.Seq != last.Seq+2 {
			t.Fatalf("reply seq %d after message %d", reply.Seq, last.Seq)
		}
		switch reply.Type {
		case interview.KindProbe:
			if reply.Dimension == "" {
				t.Fatalf("probe without a dimension: %s", reply.raw)
			}
		case interview.KindWrapUp:
			card = w.expect("scorecard").Scorecard
		default:
			t.Fatalf("reply = %s", reply.raw)
		}
		last = reply
	}
	if card == nil || card.SessionID != st.ID || card.Decision == "" || len(card.Transcript) == 0 {
		t.Fatalf("scorecard frame = %+v", card)
	}

	status, b := l.get(scorecardPath, st.Token)
	if status != http.StatusOK {
		t.Fatalf("scorecard: %d %s", status, b)
	}
	var got interview.Scorecard
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.Decision != card.Decision || got.SessionID != st.ID || got.RubricVersion != rubric.Version || len(got.Transcript) != len(card.Transcript) {
		t.Fatalf("scorecard endpoint = %s; frame had %s", b, card.Decision)
	}
	resp, err := l.ts.Client().Get(l.ts.URL + scorecardPath + "?token=" + url.QueryEscape(st.Token))
	if err != nil || resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("scorecard with ?token=: %v %v", resp, err)
	}
	resp.Body.Close()
	for name, c := range map[string]struct {
		path, token string
		status      int
		code        string
	}{
		"wrong token":  {scorecardPath, "nope", http.StatusNotFound, "not_found"},
		"unknown id":   {"/api/v1/sessions/0123/scorecard", st.Token, http.StatusNotFound, "not_found"},
		"no token":     {scorecardPath, "", http.StatusUnauthorized, "unauthorized"},
		"other's id":   {"/api/v1/sessions/" + l.start(`{}`).ID + "/scorecard", st.Token, http.StatusNotFound, "not_found"},
		"id too large": {"/api/v1/sessions/" + strings.Repeat("a", 65) + "/scorecard", st.Token, http.StatusNotFound, "not_found"},
	} {
		if status, b := l.get(c.path, c.token); status != c.status || errorCode(t, b) != c.code {
			t.Errorf("%s: %d %s, want %d %s", name, status, b, c.status, c.code)
		}
	}

	// Answering a finished interview is an error, not the end of the
	// connection.
	w.answer("late", strongAnswer)
	w.expectError("finished")
	w.ping()

	// The logs tell the story without the candidate's words or the token.
	w.conn.Close()
	if err := l.srv.Close(); err != nil {
		t.Fatal(err)
	}
	logs := l.logs.String()
	for _, want := range []string{"websocket connected", "websocket disconnected", "session=" + st.ID} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q:\n%s", want, logs)
		}
	}
	for _, leak := range []string{st.Token, "conditional write", "payment notifications"} {
		if strings.Contains(logs, leak) {
			t.Errorf("logs leak %q", leak)
		}
	}
}

func TestLiveProbesTargetWhatIsMissing(t *testing.T) {
	for _, c := range []struct{ name, answer, want string }{
		{"a we-heavy answer", weAnswer, rubric.FirstPersonActions},
		{"an answer without numbers", vagueResultAnswer, rubric.MetricDelta},
	} {
		t.Run(c.name, func(t *testing.T) {
			l := newLive(t, nil, nil)
			st := l.start(`{"principle":"Ownership"}`)
			w, _ := l.dial(st)
			w.turn()
			p := w.answerTurn("1", c.answer, 2)
			if p.Type != interview.KindProbe || p.Dimension != c.want {
				t.Fatalf("reply = %s, want a probe on %s", p.raw, c.want)
			}
		})
	}
}

func TestLiveAnswerIsIdempotent(t *testing.T) {
	l := newLive(t, nil, nil)
	st := l.start(`{"principle":"Ownership"}`)
	w, _ := l.dial(st)
	w.turn()
	probe := w.answerTurn("same", weAnswer, 2)

	w.answer("same", weAnswer)
	if ack := w.expect("ack"); ack.ID != "same" || !ack.Duplicate {
		t.Fatalf("second ack = %s, want a duplicate", ack.raw)
	}
	// The worker runs in order: once the resume is answered, the
	// duplicate has been fully handled, and it said nothing more.
	w.send(map[string]any{"type": "resume", "last_seq": probe.Seq})
	if r := w.expect("resumed"); r.Replayed != 0 || r.LastSeq != probe.Seq {
		t.Fatalf("resumed = %s", r.raw)
	}
	msgs, err := l.engine.Replay(context.Background(), st.ID, 0)
	if err != nil || len(msgs) != 2 {
		t.Fatalf("interviewer messages = %d (%v), want the question and one probe", len(msgs), err)
	}
}

func TestLiveResumeAfterDisconnect(t *testing.T) {
	l := newLive(t, nil, func(c *httpapi.Config) { c.Live.AnswerBurst = 10 })
	st := l.start(`{"principle":"Ownership","questions":2,"probes":1}`)
	a, _ := l.dial(st)
	seen := []frame{a.turn()}
	seen = append(seen, a.answerTurn("a1", weAnswer, 2))
	seen = append(seen, a.answerTurn("a2", strongAnswer, 4))
	if seen[1].Type != interview.KindProbe || seen[2].Type != interview.KindQuestion || seen[2].Question != 1 {
		t.Fatalf("messages = %s / %s", seen[1].raw, seen[2].raw)
	}
	// The client rendered only the first message, then lost its network:
	// no close frame.
	a.conn.UnderlyingConn().Close()

	b, hello := l.dial(st)
	if hello.LastSeq != seen[2].Seq || hello.Status != interview.StatusActive || hello.Questions != 2 {
		t.Fatalf("session frame on reconnect = %s", hello.raw)
	}
	b.send(map[string]any{"type": "resume", "last_seq": seen[0].Seq})
	for _, want := range seen[1:] {
		got := b.read()
		if got.Type != want.Type || got.Seq != want.Seq || got.Text != want.Text || got.Question != want.Question || got.Dimension != want.Dimension {
			t.Fatalf("replayed %s, want %s", got.raw, want.raw)
		}
	}
	if r := b.expect("resumed"); r.Replayed != 2 || r.LastSeq != seen[2].Seq {
		t.Fatalf("resumed = %s", r.raw)
	}

	// The interview goes on where it was, to the end.
	reply := b.answerTurn("a3", strongAnswer, 6)
	for reply.Type == interview.KindProbe {
		reply = b.answerTurn("a4", reflectionAnswer, reply.Seq+1)
	}
	if reply.Type != interview.KindWrapUp {
		b.send(map[string]string{"type": "end"})
		reply = b.turn()
	}
	card := b.expect("scorecard").Scorecard
	var answers []string
	for _, turn := range card.Transcript {
		if turn.Role == interview.RoleCandidate {
			answers = append(answers, turn.Text)
		}
	}
	if len(answers) < 3 || answers[0] != weAnswer || answers[1] != strongAnswer || answers[2] != strongAnswer {
		t.Fatalf("candidate turns = %d, want each answer once in order", len(answers))
	}

	// A resume of a finished interview ends with the scorecard.
	c, hello := l.dial(st)
	if hello.Status != interview.StatusFinished {
		t.Fatalf("session frame = %s", hello.raw)
	}
	c.send(map[string]any{"type": "resume", "last_seq": reply.Seq - 1})
	if f := c.read(); f.Seq != reply.Seq || f.Type != interview.KindWrapUp {
		t.Fatalf("replayed %s, want the wrap-up", f.raw)
	}
	c.expect("scorecard")
	c.expect("resumed")
}

func TestLiveBadInputKeepsTheSession(t *testing.T) {
	l := newLive(t, nil, func(c *httpapi.Config) { c.Live.AnswerBurst = 20 })
	st := l.start(`{"principle":"Ownership"}`)
	w, _ := l.dial(st)
	q := w.turn()

	for _, c := range []struct {
		name  string
		mt    int
		frame string
		code  string
	}{
		{"malformed JSON", websocket.TextMessage, `{"type":"answer",`, "bad_frame"},
		{"not an object", websocket.TextMessage, `[1,2,3]`, "bad_frame"},
		{"no type", websocket.TextMessage, `{"text":"hello"}`, "bad_frame"},
		{"wrong field type", websocket.TextMessage, `{"type":"answer","text":5}`, "bad_frame"},
		{"unknown type", websocket.TextMessage, `{"type":"dance"}`, "unknown_type"},
		{"invalid UTF-8", websocket.TextMessage, "{\"type\":\"answer\",\"text\":\"caf\xe9 \xff\"}", "invalid_utf8"},
		{"binary frame", websocket.BinaryMessage, `{"type":"ping"}`, "bad_frame"},
		{"oversize frame", websocket.TextMessage, `{"type":"answer","text":"` + strings.Repeat("a", 40<<10) + `"}`, "too_large"},
		{"empty answer", websocket.TextMessage, `{"type":"answer","text":"   "}`, "invalid_answer"},
		{"answer over the limit", websocket.TextMessage, `{"type":"answer","text":"` + strings.Repeat("word ", interview.MaxAnswerBytes/5+10) + `"}`, "invalid_answer"},
		{"answer id too long", websocket.TextMessage, `{"type":"answer","id":"` + strings.Repeat("x", 129) + `","text":"I did it."}`, "invalid_answer"},
		{"negative last_seq", websocket.TextMessage, `{"type":"resume","last_seq":-1}`, "bad_frame"},
	} {
		t.Run(c.name, func(t *testing.T) {
			w.t = t
			w.sendRaw(c.mt, []byte(c.frame))
			w.expectError(c.code)
		})
	}
	w.t = t

	// The same connection still works.
	w.ping()
	if p := w.answerTurn("ok", weAnswer, q.Seq+1); p.Type != interview.KindProbe {
		t.Fatalf("reply = %s", p.raw)
	}
}

func TestLiveHandshake(t *testing.T) {
	l := newLive(t, nil, func(c *httpapi.Config) { c.AllowedOrigins = []string{"https://app.example.com", "not an origin"} })
	st := l.start(`{}`)
	wsBase := strings.Replace(l.ts.URL, "http://", "ws://", 1)
	self := l.ts.URL

	for _, c := range []struct {
		name   string
		url    string
		header http.Header
		status int    // 0: upgraded
		code   string // error code when refused
	}{
		{"token in the query", st.WSURL + "?token=" + st.Token, nil, 0, ""},
		{"token in the header", st.WSURL, http.Header{"Authorization": {"Bearer " + st.Token}}, 0, ""},
		{"no token", st.WSURL, nil, http.StatusUnauthorized, "unauthorized"},
		{"wrong token", st.WSURL + "?token=wrong", nil, http.StatusNotFound, "not_found"},
		{"unknown session", wsBase + "/api/v1/sessions/feedface/ws?token=" + st.Token, nil, http.StatusNotFound, "not_found"},
		{"same-host origin", st.WSURL + "?token=" + st.Token, http.Header{"Origin": {self}}, 0, ""},
		{"allowed origin", st.WSURL + "?token=" + st.Token, http.Header{"Origin": {"https://app.example.com"}}, 0, ""},
		{"wrong origin", st.WSURL + "?token=" + st.Token, http.Header{"Origin": {"https://evil.example"}}, http.StatusForbidden, "forbidden_origin"},
		{"null origin", st.WSURL + "?token=" + st.Token, http.Header{"Origin": {"null"}}, http.StatusForbidden, "forbidden_origin"},
	} {
		t.Run(c.name, func(t *testing.T) {
			conn, resp, err := dialRaw(c.url, c.header)
			if c.status == 0 {
				if err != nil {
					t.Fatalf("dial: %v", err)
				}
				conn.Close()
				return
			}
			if err == nil {
				conn.Close()
				t.Fatalf("upgraded; want %d", c.status)
			}
			if resp == nil || resp.StatusCode != c.status {
				t.Fatalf("dial: %v, response %v; want %d", err, resp, c.status)
			}
			b, _ := io.ReadAll(resp.Body)
			if code := errorCode(t, b); code != c.code {
				t.Fatalf("code = %q, want %q", code, c.code)
			}
		})
	}

	// A plain GET is told to upgrade.
	status, b := l.get("/api/v1/sessions/"+st.ID+"/ws", st.Token)
	if status != http.StatusUpgradeRequired || errorCode(t, b) != "upgrade_required" {
		t.Fatalf("plain GET: %d %s", status, b)
	}
}

func TestLiveRateLimit(t *testing.T) {
	l := newLive(t, nil, func(c *httpapi.Config) {
		c.Live.AnswerBurst = 2
		c.Live.AnswerEvery = time.Hour
	})
	st := l.start(`{"principle":"Ownership","probes":3}`)
	w, _ := l.dial(st)
	q := w.turn()
	p1 := w.answerTurn("1", weAnswer, q.Seq+1)
	w.answerTurn("2", reflectionAnswer, p1.Seq+1)

	w.answer("3", strongAnswer)
	f := w.expectError("rate_limited")
	if f.RetryAfterMS <= 0 || f.RetryAfterMS > time.Hour.Milliseconds() {
		t.Fatalf("retry_after_ms = %d", f.RetryAfterMS)
	}
	w.ping()

	// The limit is the session's: a new connection does not reset it.
	w2, _ := l.dial(st)
	w2.answer("3", strongAnswer)
	w2.expectError("rate_limited")
}

func TestLiveSteeringIsProbedNotObeyed(t *testing.T) {
	l := newLive(t, nil, nil)
	st := l.start(`{"principle":"Ownership","probes":2}`)
	w, _ := l.dial(st)
	q := w.turn()
	p := w.answerTurn("1", steeringAnswer, q.Seq+1)
	if p.Type != interview.KindProbe {
		t.Fatalf("reply to a steering answer = %s, want a probe", p.raw)
	}
	lower := strings.ToLower(p.Text)
	for _, obey := range []string{"you passed", "you pass", "strong hire", "every dimension"} {
		if strings.Contains(lower, obey) {
			t.Fatalf("the interviewer complied: %q", p.Text)
		}
	}
	w.send(map[string]string{"type": "end"})
	if f := w.turn(); f.Type != interview.KindWrapUp {
		t.Fatalf("after end: %s", f.raw)
	}
	card := w.expect("scorecard").Scorecard
	flagged := slices.ContainsFunc(card.RedFlags, func(f rubric.RedFlagResult) bool { return f.ID == rubric.ManipulationAttempt })
	if !flagged || rubric.HireSide(card.Decision) {
		t.Fatalf("scorecard: decision %s, red flags %+v; want manipulation_attempt and no hire", card.Decision, card.RedFlags)
	}
}

func TestLiveBusyWhileTheInterviewerSpeaks(t *testing.T) {
	g := newGate()
	l := newLive(t, g, nil)
	st := l.start(`{"principle":"Ownership"}`)
	w, _ := l.dial(st)
	q := w.turn()

	w.answer("1", weAnswer)
	if ack := w.expect("ack"); ack.Seq != q.Seq+1 {
		t.Fatalf("ack = %s", ack.raw)
	}
	first := w.expect("token")
	<-g.entered // the interviewer is mid-sentence

	w.answer("2", strongAnswer)
	w.expectError("busy")
	w.ping() // the read pump is not blocked by the worker

	close(g.release)
	rest := w.expect("token")
	if p := w.expect(interview.KindProbe); p.Text != first.Text+rest.Text || p.Seq != first.Seq || rest.Seq != first.Seq {
		t.Fatalf("reply = %s after tokens %s %s", p.raw, first.raw, rest.raw)
	}
}

func TestLiveVanishedClientStopsTheInterviewer(t *testing.T) {
	g := newGate()
	l := newLive(t, g, nil)
	st := l.start(`{"principle":"Ownership"}`)
	w, _ := l.dial(st)
	w.turn()
	w.answer("1", weAnswer)
	w.expect("ack")
	ctx := <-g.entered
	w.conn.UnderlyingConn().Close() // gone without a close frame
	waitDone(t, ctx, "vanished client")
}

// flood streams tokens until its context ends.
type flood struct{ ctx chan context.Context }

func (flood) Name() string { return "flood" }

func (f flood) Speak(ctx context.Context, _ interview.Prompt, token func(string)) (string, error) {
	f.ctx <- ctx
	piece := strings.Repeat("blah ", 200)
	for i := 0; i < 1_000_000 && ctx.Err() == nil; i++ {
		token(piece)
	}
	return "", ctx.Err()
}

func TestLiveSlowClientIsDisconnected(t *testing.T) {
	f := flood{ctx: make(chan context.Context, 1)}
	l := newLive(t, f, func(c *httpapi.Config) {
		c.Live.SendBuffer = 4
		c.Live.WriteWait = 200 * time.Millisecond
	})
	st := l.start(`{}`)
	conn, _, err := dialRaw(st.WSURL+"?token="+st.Token, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Never read: the socket buffers fill, then the send buffer.
	waitDone(t, <-f.ctx, "slow client")
}

func TestServerCloseClosesLiveSockets(t *testing.T) {
	l := newLive(t, nil, nil)
	st := l.start(`{}`)
	w, _ := l.dial(st)
	w.turn()
	other, _ := l.dial(l.start(`{}`))

	closed := make(chan error, 1)
	go func() { closed <- l.srv.Close() }()
	if code := closeCode(t, w.conn); code != websocket.CloseGoingAway {
		t.Fatalf("close code = %d, want 1001", code)
	}
	if code := closeCode(t, other.conn); code != websocket.CloseGoingAway {
		t.Fatalf("close code = %d, want 1001", code)
	}
	select {
	case err := <-closed:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(frameWait):
		t.Fatal("Close did not return")
	}
	if n := l.srv.LiveConnections(); n != 0 {
		t.Fatalf("%d live connections after Close", n)
	}
	// New connections are refused while shutting down.
	_, resp, err := dialRaw(st.WSURL+"?token="+st.Token, nil)
	if err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("dial after Close: %v %v", err, resp)
	}
}

// A session deleted while its websocket is open: the socket is told at
// once (the fatal not_found frame) and closed, and nothing else is.
func TestDeletedSessionClosesItsSocket(t *testing.T) {
	l := newLiveWith(t, nil, nil, true)
	st := l.start(`{}`)
	w, _ := l.dial(st)
	w.turn()
	other, _ := l.dial(l.start(`{}`))
	other.turn()

	req, err := http.NewRequest(http.MethodDelete, l.ts.URL+"/api/v1/sessions/"+st.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+st.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("DELETE own practice session: %d, want 204", resp.StatusCode)
	}
	if f := w.expect("error"); f.Code != "not_found" || !f.Fatal {
		t.Fatalf("frame after the delete = %s, want the fatal not_found", f.raw)
	}
	if code := closeCode(t, w.conn); code != websocket.ClosePolicyViolation {
		t.Fatalf("close code = %d, want 1008", code)
	}
	other.ping()
}
