package main

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"barraiser/internal/store/postgres/pgtest"
)

// End-to-end tests of the live interview through the real binary's serve:
// the whole stack (stores, retrieval, engine, interviewer, websocket) as a
// user runs it, on loopback ports.

const (
	wsWait  = 15 * time.Second
	answer1 = "Last spring I noticed our payment notifications were losing events; the sender belongs to the platform team and nobody asked me to look. " +
		"We dug through a week of delivery logs together and we matched every queued event against every acknowledged one. " +
		"We found a race between two workers claiming the same event, we wrote a fix and we rolled it out behind a flag. After that things got much better."
	answer2 = "My own part was the analysis: I exported the logs, I wrote the matching script and I reproduced the race on my laptop. " +
		"Drops went from about 0.3 percent of events to zero over the next six weeks."
)

type frame struct {
	Type      string          `json:"type"`
	Seq       int64           `json:"seq"`
	Text      string          `json:"text"`
	Dimension string          `json:"dimension"`
	Code      string          `json:"code"`
	LastSeq   int64           `json:"last_seq"`
	Scorecard json.RawMessage `json:"scorecard"`
}

type session struct {
	ID    string `json:"id"`
	Token string `json:"token"`
	WSURL string `json:"ws_url"`
}

func startSession(t *testing.T, base string) session {
	t.Helper()
	resp, err := http.Post(base+"/api/v1/sessions", "application/json", strings.NewReader(`{"principle":"Ownership","level":"L5","questions":1,"probes":2}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var s session
	if resp.StatusCode != http.StatusCreated || json.NewDecoder(resp.Body).Decode(&s) != nil {
		t.Fatalf("POST /api/v1/sessions: %s", resp.Status)
	}
	return s
}

// socket is a websocket client that reads frames under a deadline.
type socket struct {
	t    *testing.T
	conn *websocket.Conn
}

func dial(t *testing.T, base string, s session) *socket {
	t.Helper()
	url := "ws" + strings.TrimPrefix(base, "http") + "/api/v1/sessions/" + s.ID + "/ws?token=" + s.Token
	conn, resp, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatalf("dial: %v (%v)", err, resp)
	}
	t.Cleanup(func() { conn.Close() })
	return &socket{t: t, conn: conn}
}

func (s *socket) read() frame {
	s.t.Helper()
	s.conn.SetReadDeadline(time.Now().Add(wsWait))
	var f frame
	if err := s.conn.ReadJSON(&f); err != nil {
		s.t.Fatalf("read frame: %v", err)
	}
	return f
}

// message reads until an interviewer message (question, probe, wrapup),
// collecting the notices and the streamed text of that message on the way.
func (s *socket) message() (frame, string, []string) {
	s.t.Helper()
	var streamed strings.Builder
	var notices []string
	for {
		f := s.read()
		switch f.Type {
		case "token":
			streamed.WriteString(f.Text)
		case "notice":
			notices = append(notices, f.Code)
			streamed.Reset() // a fallback rewrites the message from scratch
		case "question", "probe", "wrapup":
			return f, streamed.String(), notices
		case "error":
			s.t.Fatalf("error frame %s: %s", f.Code, f.Text)
		}
	}
}

func (s *socket) send(v any) {
	s.t.Helper()
	if err := s.conn.WriteJSON(v); err != nil {
		s.t.Fatal(err)
	}
}

func (s *socket) answer(id, text string) {
	s.send(map[string]string{"type": "answer", "id": id, "text": text})
}

// serveOn runs `api serve` with vars until the test ends or stop is called.
func serveOn(t *testing.T, vars map[string]string) (base string, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	vars["LISTEN_ADDR"] = "127.0.0.1:0"
	base, exited, logs := startServe(t, ctx, vars)
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case code := <-exited:
			if code != 0 {
				t.Errorf("serve exited with %d:\n%s", code, logs())
			}
		case <-time.After(wsWait):
			t.Error("serve did not stop")
		}
	}
	t.Cleanup(stop)
	return base, stop
}

// TestInterviewSurvivesARestartOnPostgres: with the PostgreSQL store, the
// server stops between two answers and a new process picks the interview
// up; a second process sharing the database serves the same session, and
// resuming loses and duplicates nothing.
func TestInterviewSurvivesARestartOnPostgres(t *testing.T) {
	db := pgtest.NewDatabase(t)
	vars := func() map[string]string { return map[string]string{"DATABASE_URL": db} }

	base, stop := serveOn(t, vars())
	s := startSession(t, base)
	ws := dial(t, base, s)
	if f := ws.read(); f.Type != "session" {
		t.Fatalf("first frame %q, want session", f.Type)
	}
	q, _, _ := ws.message()
	ws.answer("a1", answer1)
	probe, _, _ := ws.message()
	if probe.Type != "probe" || probe.Seq != q.Seq+2 {
		t.Fatalf("after the first answer: %s seq %d, want a probe at seq %d", probe.Type, probe.Seq, q.Seq+2)
	}
	ws.conn.Close()
	stop() // the server goes away between two answers

	base2, _ := serveOn(t, vars())
	base3, _ := serveOn(t, vars()) // a second process on the same database
	ws2 := dial(t, base2, s)
	if f := ws2.read(); f.Type != "session" || f.LastSeq != probe.Seq {
		t.Fatalf("after the restart: %+v, want a session frame with last_seq %d", f, probe.Seq)
	}
	ws2.send(map[string]any{"type": "resume", "last_seq": probe.Seq})
	if f := ws2.read(); f.Type != "resumed" {
		t.Fatalf("resume with nothing missed: %q, want resumed", f.Type)
	}
	ws2.answer("a2", answer2)
	next, _, _ := ws2.message()
	if next.Seq != probe.Seq+2 {
		t.Fatalf("reply after the restart has seq %d, want %d", next.Seq, probe.Seq+2)
	}
	// Re-sending the same answer (the client never saw its ack) is stored once.
	ws2.answer("a2", answer2)
	if f := ws2.read(); f.Type != "ack" {
		t.Fatalf("re-sent answer: %q, want an ack", f.Type)
	}

	// The other process replays everything after seq 0 exactly once.
	ws3 := dial(t, base3, s)
	ws3.read() // session
	ws3.send(map[string]any{"type": "resume", "last_seq": 0})
	var seqs []int64
	for {
		f := ws3.read()
		if f.Type == "resumed" {
			break
		}
		if f.Type == "question" || f.Type == "probe" || f.Type == "wrapup" {
			seqs = append(seqs, f.Seq)
		}
	}
	want := []int64{q.Seq, probe.Seq, next.Seq}
	if fmt.Sprint(seqs) != fmt.Sprint(want) {
		t.Fatalf("replayed interviewer messages %v, want %v", seqs, want)
	}
}

// fakeLLM speaks the OpenAI streaming wire format. mode picks its
// behaviour: "ok", "429-once" (rate limited, then fine), "500" (always
// failing) or "stall" (two chunks, then nothing).
func fakeLLM(t *testing.T, mode string) (*httptest.Server, *atomic.Int32) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		body, _ := io.ReadAll(r.Body)
		reply := "Let me stop you there. What did you personally do, step by step, before the fix went out?"
		// A question turn must ask the bank's question: echo it back.
		var req struct{ Messages []struct{ Content string } }
		json.Unmarshal(body, &req)
		if len(req.Messages) > 0 {
			last := req.Messages[len(req.Messages)-1].Content
			if i, j := strings.Index(last, "<question>"), strings.Index(last, "</question>"); i >= 0 && j > i {
				reply = "Welcome, I'm your bar raiser today. " + html.UnescapeString(last[i+len("<question>"):j])
			}
		}
		switch {
		case mode == "500" || (mode == "429-once" && n == 1):
			status := http.StatusInternalServerError
			if mode == "429-once" {
				status = http.StatusTooManyRequests
				w.Header().Set("Retry-After", "0")
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			fmt.Fprint(w, `{"error":{"message":"try later","type":"server_error"}}`)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		flusher := w.(http.Flusher)
		words := strings.Fields(reply)
		for i, word := range words {
			if mode == "stall" && i == 2 {
				<-r.Context().Done() // stall until the client gives up
				return
			}
			if i < len(words)-1 {
				word += " "
			}
			chunk, _ := json.Marshal(map[string]any{"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "fake",
				"choices": []map[string]any{{"index": 0, "delta": map[string]string{"content": word}}}})
			fmt.Fprintf(w, "data: %s\n\n", chunk)
			flusher.Flush()
		}
		fmt.Fprint(w, `data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"fake","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}`+"\n\n")
		fmt.Fprint(w, "data: [DONE]\n\n")
		flusher.Flush()
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

// TestInterviewerOverOpenAIWire drives the openai interviewer against a
// server speaking the real streamed wire format, through the websocket.
func TestInterviewerOverOpenAIWire(t *testing.T) {
	cases := []struct {
		mode         string
		wantFallback bool
	}{
		{"ok", false},
		{"429-once", false},
		{"500", true},
		{"stall", true},
	}
	for _, c := range cases {
		t.Run(c.mode, func(t *testing.T) {
			llm, calls := fakeLLM(t, c.mode)
			base, _ := serveOn(t, map[string]string{"OPENAI_BASE_URL": llm.URL + "/v1", "OPENAI_MODEL": "fake",
				"OPENAI_API_KEY": "sk-test-key-123456", "OPENAI_IDLE_TIMEOUT": "200ms"})
			s := startSession(t, base)
			ws := dial(t, base, s)
			ws.read() // session
			m, streamed, notices := ws.message()
			if m.Type != "question" {
				t.Fatalf("first message %q, want a question", m.Type)
			}
			fellBack := len(notices) > 0
			if fellBack != c.wantFallback {
				t.Fatalf("fallback notices %v, want fallback=%t (LLM calls %d)", notices, c.wantFallback, calls.Load())
			}
			if streamed != m.Text {
				t.Fatalf("streamed %q, message %q: the tokens must add up to the message", streamed, m.Text)
			}
			if !c.wantFallback && !strings.HasPrefix(m.Text, "Welcome, I'm your bar raiser today.") {
				t.Fatalf("message %q is not the model's reply", m.Text)
			}
			if c.mode == "429-once" && calls.Load() != 2 {
				t.Fatalf("LLM calls = %d, want 2 (one retry after 429)", calls.Load())
			}
			// A probe comes from the model too (or the fallback).
			ws.answer("a1", answer1)
			p, streamed, _ := ws.message()
			if p.Type != "probe" || streamed != p.Text {
				t.Fatalf("after the answer: %s %q (streamed %q), want a probe whose tokens add up to it", p.Type, p.Text, streamed)
			}
			if !c.wantFallback && !strings.Contains(p.Text, "personally") {
				t.Fatalf("probe %q is not the model's reply", p.Text)
			}
		})
	}
}
