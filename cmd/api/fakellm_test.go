package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"hash/fnv"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"barraiser/internal/interview"
	"barraiser/internal/knowledge"
	"barraiser/internal/llm/openai"
	"barraiser/prompts"
)

// startFakeEndpoint serves a fake LLM on a loopback port for the test.
func startFakeEndpoint(t *testing.T, ttft time.Duration, tps float64) (*fakeEndpoint, string) {
	t.Helper()
	f := newFakeEndpoint(ttft, tps)
	srv := httptest.NewServer(f.Handler())
	t.Cleanup(srv.Close)
	return f, srv.URL
}

// fakeProbePrompt is the last message of a probe prompt whose latest
// answer is tagged tag (the shape prompts/probe.tmpl renders).
func fakeProbePrompt(tag string) string {
	return `Interview: question 1 of 1, on the Leadership Principle "Ownership". Candidate level: L5 (mid-level).

Your task: ask the candidate ONE follow-up question about the example they are telling.

The exchange on this question so far, oldest first.
<interviewer>Tell me about a time you took on something outside your area.</interviewer>
<candidate_answer>
On Project Dabefigo, we looked into it and things got better.
</candidate_answer>
<interviewer>What did you personally do?</interviewer>
<candidate_answer>
On Project ` + tag + `, to be more specific, I rewrote the retry logic.
</candidate_answer>

Reply with your message to the candidate only.`
}

// TestFakeLLMIsAnOpenAIStream reads the fake with go-openai's own stream
// client: it must be a valid OpenAI chat completion stream.
func TestFakeLLMIsAnOpenAIStream(t *testing.T) {
	f, base := startFakeEndpoint(t, 5*time.Millisecond, 1000)
	cc := goopenai.DefaultConfig("")
	cc.BaseURL = base + "/v1"
	client := goopenai.NewClientWithConfig(cc)
	req := goopenai.ChatCompletionRequest{Model: "fake", Stream: true, Messages: []goopenai.ChatCompletionMessage{
		{Role: goopenai.ChatMessageRoleSystem, Content: "You are a bar raiser."},
		{Role: goopenai.ChatMessageRoleUser, Content: fakeProbePrompt("Kalomire")},
	}}
	stream, err := client.CreateChatCompletionStream(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()
	if ct := stream.Header().Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("Content-Type = %q", ct)
	}
	var content strings.Builder
	var pieces int
	var role string
	var finish goopenai.FinishReason
	for {
		resp, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("Recv: %v", err)
		}
		if resp.Object != "chat.completion.chunk" || resp.Model != "fake" || !strings.HasPrefix(resp.ID, "chatcmpl-") {
			t.Errorf("chunk = %+v", resp)
		}
		if len(resp.Choices) != 1 {
			t.Fatalf("chunk has %d choices", len(resp.Choices))
		}
		c := resp.Choices[0]
		if c.Delta.Role != "" {
			role = c.Delta.Role
		}
		if c.Delta.Content != "" {
			pieces++
			content.WriteString(c.Delta.Content)
		}
		if c.FinishReason != "" {
			finish = c.FinishReason
		}
	}
	want := fakeReply("probe", "", false, "Kalomire")
	if got := strings.TrimSpace(content.String()); got != want {
		t.Errorf("content = %q, want %q", got, want)
	}
	if role != goopenai.ChatMessageRoleAssistant || finish != goopenai.FinishReasonStop {
		t.Errorf("role %q, finish %q", role, finish)
	}

	// The handler records the request once it has written the last chunk,
	// which can be just after the client has read it: wait for the record.
	log := f.snapshot()
	deadline := time.After(5 * time.Second)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for len(log.Records["Kalomire"]) == 0 {
		select {
		case <-deadline:
			t.Fatalf("no record for the tag within 5s (log %+v)", log)
		case <-tick.C:
			log = f.snapshot()
		}
	}
	recs := log.Records["Kalomire"]
	if len(recs) != 1 {
		t.Fatalf("records for the tag = %d, want 1 (log %+v)", len(recs), log)
	}
	rec := recs[0]
	if rec.Kind != "probe" || len(rec.Sent) != pieces || rec.Done == 0 || rec.Aborted {
		t.Errorf("record = %+v, want a probe with %d chunks", rec, pieces)
	}
	for i, at := range rec.Sent {
		if at < rec.Arrived || i > 0 && at < rec.Sent[i-1] || at > rec.Done {
			t.Fatalf("chunk times out of order: %+v", rec)
		}
	}
	if log.Stats.Requests != 1 || log.Stats.Tagged != 1 || log.Stats.ByKind["probe"] != 1 {
		t.Errorf("stats = %+v", log.Stats)
	}

	// Not streamed.
	resp, err := client.CreateChatCompletion(t.Context(), goopenai.ChatCompletionRequest{Model: "fake",
		Messages: []goopenai.ChatCompletionMessage{{Role: goopenai.ChatMessageRoleUser, Content: "Your task: close the interview."}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Choices) != 1 || !strings.HasPrefix(resp.Choices[0].Message.Content, "Th") {
		t.Errorf("completion = %+v", resp)
	}

	models, err := client.ListModels(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(models.Models) != 1 || models.Models[0].ID != fakeModel {
		t.Errorf("models = %+v", models)
	}

	// A bad request gets OpenAI's error shape.
	_, err = client.CreateChatCompletionStream(t.Context(), goopenai.ChatCompletionRequest{Model: "fake", Stream: true})
	var apiErr *goopenai.APIError
	if !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != http.StatusBadRequest {
		t.Errorf("no messages: err = %v, want a 400 APIError", err)
	}
}

// TestFakeLLMRepliesPassTheInterviewer runs every reply the fake can give
// through the repo's real OpenAI interviewer: the output guard must accept
// each, and release exactly one token per chunk the fake sent (loadtest
// pairs the k-th token frame with the k-th chunk).
func TestFakeLLMRepliesPassTheInterviewer(t *testing.T) {
	_, base := startFakeEndpoint(t, 0, 0)
	iv, err := openai.NewInterviewer(openai.Config{BaseURL: base + "/v1", Model: fakeModel, MaxRetries: -1}, prompts.FS, nil)
	if err != nil {
		t.Fatal(err)
	}
	speak := func(t *testing.T, p interview.Prompt) string {
		t.Helper()
		var tokens []string
		text, err := iv.Speak(t.Context(), p, func(s string) { tokens = append(tokens, s) })
		if err != nil {
			t.Fatalf("Speak: %v", err)
		}
		if n := len(fakeChunks(text)); len(tokens) != n {
			t.Errorf("%d tokens released for %d chunks: %q", len(tokens), n, tokens)
		}
		if strings.Join(tokens, "") != text {
			t.Errorf("tokens %q do not make up the reply %q", tokens, text)
		}
		return text
	}

	pack, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("questions", func(t *testing.T) {
		n := 0
		for _, pr := range pack.Principles {
			for _, q := range pr.Questions {
				n++
				p := interview.Prompt{Kind: interview.KindQuestion, SessionID: "s", Level: "L5", Principle: pr.Name,
					Question: q.Text, Number: 1, Count: 2, First: n%2 == 0}
				if text := speak(t, p); !strings.Contains(text, q.Text) {
					t.Errorf("reply %q does not ask %q", text, q.Text)
				}
			}
		}
	})
	t.Run("probes", func(t *testing.T) {
		seen := map[string]bool{}
		for n := 0; len(seen) < len(fakeProbes) && n < 10_000; n++ {
			tag := ltCodename(n)
			h := fnv.New32a()
			h.Write([]byte(tag))
			want := fakeProbes[int(h.Sum32())%len(fakeProbes)]
			if seen[want] {
				continue
			}
			seen[want] = true
			p := interview.Prompt{Kind: interview.KindProbe, SessionID: "s", Level: "L6", Principle: "Ownership",
				Question: "Tell me about a time you took on something outside your area.", Number: 1, Count: 1,
				Dimension: "metric_delta", Cue: "things got better",
				History: []interview.Message{
					{Role: interview.RoleInterviewer, Kind: interview.KindQuestion, Text: "Tell me about a time you took on something outside your area."},
					{Role: interview.RoleCandidate, Kind: interview.KindAnswer, Text: "On Project " + tag + ", we looked into it and things got better."},
				}}
			if got := speak(t, p); got != want {
				t.Errorf("probe = %q, want %q", got, want)
			}
		}
		if len(seen) != len(fakeProbes) {
			t.Errorf("covered %d of %d probes", len(seen), len(fakeProbes))
		}
	})
	t.Run("wrap-ups", func(t *testing.T) {
		seen := map[string]bool{}
		for n := 0; len(seen) < len(fakeWrapUps) && n < 50; n++ {
			p := interview.Prompt{Kind: interview.KindWrapUp, SessionID: "s", Level: "L4", Number: 1, Count: 1}
			seen[speak(t, p)] = true
		}
		if len(seen) != len(fakeWrapUps) {
			t.Errorf("covered %d of %d wrap-ups", len(seen), len(fakeWrapUps))
		}
	})
}

func TestFakeInspect(t *testing.T) {
	tests := []struct {
		name, prompt        string
		kind, question, tag string
		first               bool
	}{
		{name: "probe", prompt: fakeProbePrompt("Kalomire"), kind: "probe", tag: "Kalomire"},
		{name: "first question", prompt: "Your task: put this interview question to the candidate.\n<question>Why &lt;now&gt;?</question>\n\nThis is the very start of the interview.",
			kind: "question", question: "Why <now>?", first: true},
		{name: "next question", prompt: "<question>Tell me more.</question>\nThe candidate has just finished the previous question.",
			kind: "question", question: "Tell me more."},
		{name: "wrap-up", prompt: "Your task: close the interview. All the questions are done.", kind: "wrapup"},
		{name: "no tag", prompt: "Projects Kalomire and project Kalomire and Project Kal and XProject Kalomire", kind: "probe"},
		{name: "tag at the end", prompt: "On Project Kalomire", kind: "probe", tag: "Kalomire"},
		{name: "tag before a word character", prompt: "Project Kalomire9", kind: "probe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kind, question, first, tag := fakeInspect(tt.prompt)
			if kind != tt.kind || question != tt.question || first != tt.first || tag != tt.tag {
				t.Errorf("fakeInspect = %q, %q, %t, %q; want %q, %q, %t, %q", kind, question, first, tag, tt.kind, tt.question, tt.first, tt.tag)
			}
		})
	}
}

func TestFakeChunks(t *testing.T) {
	for _, reply := range append(append([]string{"Thanks. What did you do? Tell me."}, fakeProbes...), fakeWrapUps...) {
		chunks := fakeChunks(reply)
		if got := strings.Join(chunks, ""); got != reply+" " {
			t.Errorf("chunks %q do not make up %q", chunks, reply)
		}
		for _, c := range chunks {
			if !strings.HasSuffix(c, " ") || strings.TrimSpace(c) == "" {
				t.Errorf("chunk %q of %q: want words and a trailing space", c, reply)
			}
		}
	}
	if got := fakeChunks("Thanks. What did you personally do, step by step?"); len(got) != 6 ||
		got[0] != "Thanks. " || got[1] != "What did you personally " || got[5] != "step? " {
		t.Errorf("chunks = %q", got)
	}
}

// TestFakeLLMStreamsAtTheConfiguredPace: the first chunk waits for the
// time to first token, the rest come at the configured rate.
func TestFakeLLMStreamsAtTheConfiguredPace(t *testing.T) {
	const ttft, tps = 50 * time.Millisecond, 200.0
	f, base := startFakeEndpoint(t, ttft, tps)
	body := `{"model":"fake","stream":true,"messages":[{"role":"user","content":` + string(fakeJSONString(fakeProbePrompt("Morelisa"))) + `}]}`
	resp, err := http.Post(base+"/v1/chat/completions", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	var lines []string
	for sc.Scan() {
		if sc.Text() != "" {
			lines = append(lines, sc.Text())
		}
	}
	if len(lines) < 3 || lines[len(lines)-1] != "data: [DONE]" {
		t.Fatalf("stream = %q", lines)
	}
	for _, l := range lines[:len(lines)-1] {
		var chunk map[string]any
		if !strings.HasPrefix(l, "data: ") || json.Unmarshal([]byte(l[len("data: "):]), &chunk) != nil {
			t.Fatalf("line %q is not a data line with a JSON chunk", l)
		}
	}
	rec := f.snapshot().Records["Morelisa"][0]
	if first := time.Duration(rec.Sent[0] - rec.Arrived); first < ttft {
		t.Errorf("first chunk after %s, want at least %s", first, ttft)
	}
	// Chunk k is due ttft + k/tps after the request arrived, never sooner.
	n := len(rec.Sent)
	if last, want := time.Duration(rec.Sent[n-1]-rec.Arrived), ttft+time.Duration(float64(n-1)/tps*float64(time.Second)); last < want {
		t.Errorf("last of %d chunks after %s, want at least %s", n, last, want)
	}
}

var fakeListening = regexp.MustCompile(`msg=listening addr=(\S+)`)

func TestFakeLLMCommand(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	pr, pw := io.Pipe()
	exited := make(chan int, 1)
	go func() {
		code := run(ctx, []string{"fakellm", "-addr", "127.0.0.1:0", "-ttft", "0", "-tps", "0"}, env(nil), strings.NewReader(""), io.Discard, pw)
		pw.Close()
		exited <- code
	}()
	addrc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if m := fakeListening.FindStringSubmatch(sc.Text()); m != nil {
				addrc <- m[1]
			}
		}
	}()
	var addr string
	select {
	case addr = <-addrc:
	case code := <-exited:
		t.Fatalf("fakellm exited with %d before listening", code)
	case <-time.After(10 * time.Second):
		t.Fatal("fakellm did not log its address within 10s")
	}
	resp, err := http.Get("http://" + addr + "/v1/models")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /v1/models: %s", resp.Status)
	}
	cancel()
	select {
	case code := <-exited:
		if code != exitOK {
			t.Errorf("exit %d after the signal, want 0", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("fakellm did not stop within 10s")
	}

	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:8081", "example.com:80"} {
		r := runCmd(t, "", "fakellm", "-addr", addr)
		if r.code != exitUsage || !strings.Contains(r.stderr, "not a loopback address") {
			t.Errorf("fakellm -addr %s: exit %d, stderr %q; want 2 and a refusal", addr, r.code, r.stderr)
		}
	}
}
