package httpapi

import (
	"log/slog"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

func TestOriginAllowed(t *testing.T) {
	allowed := newLiveHub(LiveConfig{}, []string{"https://App.Example.com/", "http://localhost:5173", "https://x.example:443", " ", "ftp://files", "https://a.example/path"}, slog.New(slog.DiscardHandler)).origins
	tests := []struct {
		origin, host string
		want         bool
	}{
		{"", "api.example.com", true}, // not a browser
		{"https://api.example.com", "api.example.com", true},
		{"https://API.example.com", "api.example.com", true},
		{"http://api.example.com", "api.example.com", true}, // same host, either scheme
		{"https://api.example.com", "api.example.com:443", true},
		{"https://api.example.com:443", "api.example.com", true},
		{"http://localhost:8080", "localhost:8080", true},
		{"http://localhost:8081", "localhost:8080", false},
		{"http://[::1]:8080", "[::1]:8080", true},
		{"https://app.example.com", "api.example.com", true}, // listed, normalised
		{"http://localhost:5173", "api.example.com", true},
		{"https://x.example", "api.example.com", true},
		{"http://app.example.com", "api.example.com", false}, // listed with https only
		{"https://evil.example", "api.example.com", false},
		{"https://api.example.com.evil.example", "api.example.com", false},
		{"null", "api.example.com", false},
		{"file://", "api.example.com", false},
		{"ftp://files", "files", false},
		{"https://a.example/path", "api.example.com", false},
		{"https://user@api.example.com", "api.example.com", false},
		{"api.example.com", "api.example.com", false},
		{"https://api.example.com", "", false},
	}
	for _, tt := range tests {
		if got := originAllowed(tt.origin, tt.host, allowed); got != tt.want {
			t.Errorf("originAllowed(%q, %q) = %t, want %t", tt.origin, tt.host, got, tt.want)
		}
	}
	if len(allowed) != 3 {
		t.Errorf("allowed = %v, want the three valid origins", allowed)
	}
}

func TestLiveConfigDefaults(t *testing.T) {
	c := LiveConfig{PingPeriod: time.Minute, PongWait: time.Minute, MaxFrameBytes: 8 << 20}.withDefaults()
	if c.PingPeriod >= c.PongWait || c.MaxFrameBytes != hardReadLimit || c.AnswerBurst != DefaultAnswerBurst || c.SendBuffer != DefaultSendBuffer {
		t.Fatalf("withDefaults = %+v", c)
	}
}

func TestBucket(t *testing.T) {
	cfg := LiveConfig{AnswerBurst: 3, AnswerEvery: 2 * time.Second}
	now := time.Unix(0, 0)
	b := &bucket{tokens: 3, at: now}
	for i := range 3 {
		if ok, _ := b.take(now, cfg); !ok {
			t.Fatalf("answer %d refused within the burst", i+1)
		}
	}
	ok, wait := b.take(now, cfg)
	if ok || wait != 2*time.Second {
		t.Fatalf("fourth answer: %t, wait %s; want refused, 2s", ok, wait)
	}
	if ok, _ := b.take(now.Add(2*time.Second), cfg); !ok {
		t.Fatal("refused after refilling one")
	}
	if b.full(now.Add(time.Hour), cfg) != true || b.tokens != 3 {
		t.Fatalf("bucket after an hour = %+v, want full at the burst", b)
	}
}

// FuzzDecodeFrame feeds arbitrary client frames: each is either a frame of
// a known type or an error frame with a known code, never a panic.
func FuzzDecodeFrame(f *testing.F) {
	for _, seed := range []string{
		`{"type":"answer","text":"I did it","id":"1"}`, `{"type":"resume","last_seq":3}`, `{"type":"resume","last_seq":-1}`,
		`{"type":"end"}`, `{"type":"ping"}`, `{"type":"dance"}`, `{}`, `[]`, `null`, `"answer"`, `{"type":5}`,
		"{\"type\":\"answer\",\"text\":\"\xff\"}", `{"type":"answer","text":"\ud800"}`, `{"type":"resume","last_seq":1e99}`,
	} {
		f.Add(websocket.TextMessage, []byte(seed))
	}
	f.Add(websocket.BinaryMessage, []byte(`{"type":"ping"}`))
	known := map[string]bool{wsBadFrame: true, wsInvalidUTF8: true, wsUnknownType: true}
	f.Fuzz(func(t *testing.T, mt int, data []byte) {
		fr, bad := decodeFrame(mt, data)
		if bad != nil {
			if !known[bad.Code] || bad.Message == "" || bad.Fatal || bad.Type != frameError {
				t.Fatalf("error frame %+v for %q", bad, data)
			}
			return
		}
		switch fr.Type {
		case frameAnswer, frameEnd, framePing:
		case frameResume:
			if fr.LastSeq != nil && *fr.LastSeq < 0 {
				t.Fatalf("negative last_seq accepted: %q", data)
			}
		default:
			t.Fatalf("type %q accepted from %q", fr.Type, data)
		}
	})
}

// FuzzParseStartRequest feeds arbitrary bodies to POST /api/v1/sessions'
// parser: it accepts them or answers invalid_request, never panics.
func FuzzParseStartRequest(f *testing.F) {
	for _, seed := range []string{``, `{}`, `{"principles":["Ownership"],"level":"L5","questions":2,"probes":1,"candidate":"Sam"}`,
		`{"question_set_id":"x"}`, `{"questions":"2"}`, `{"x":1}`, `[]`, `null`, "{\"candidate\":\"\xff\"}", `{} {}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if _, err := parseStartRequest(body); err != nil {
			if status, b := errorResponse(err); status != 400 || b.Error.Code != codeInvalidRequest || b.Error.Message == "" {
				t.Fatalf("%q: %d %+v", body, status, b)
			}
		}
	})
}
