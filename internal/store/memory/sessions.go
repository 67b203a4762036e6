package memory

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"time"

	"barraiser/internal/interview"
)

// Sessions is an interview.Store in memory. Values are copied in and out
// (through JSON), so callers never share state with the store. It is safe
// for concurrent use.
type Sessions struct {
	mu        sync.Mutex
	sessions  map[string]*interview.Session
	messages  map[string][]interview.Message
	clientIDs map[string]map[string]int64 // session → client id → seq
	cards     map[string]*interview.Scorecard
}

var _ interview.Store = (*Sessions)(nil)

// NewSessions returns an empty session store.
func NewSessions() *Sessions {
	return &Sessions{
		sessions:  map[string]*interview.Session{},
		messages:  map[string][]interview.Message{},
		clientIDs: map[string]map[string]int64{},
		cards:     map[string]*interview.Scorecard{},
	}
}

// clone deep-copies v through JSON (with the token hash, which JSON skips).
func clone[T any](v *T) *T {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("memory: clone %T: %v", v, err))
	}
	out := new(T)
	if err := json.Unmarshal(b, out); err != nil {
		panic(fmt.Sprintf("memory: clone %T: %v", v, err))
	}
	return out
}

func cloneSession(s *interview.Session) *interview.Session {
	c := clone(s)
	c.TokenHash = s.TokenHash
	return c
}

// CreateSession stores a new session.
func (m *Sessions) CreateSession(ctx context.Context, s *interview.Session) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.sessions[s.ID]; ok {
		return fmt.Errorf("session %s already exists", s.ID)
	}
	m.sessions[s.ID] = cloneSession(s)
	m.clientIDs[s.ID] = map[string]int64{}
	return nil
}

// Session returns a session or interview.ErrNotFound.
func (m *Sessions) Session(ctx context.Context, id string) (*interview.Session, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[id]
	if !ok {
		return nil, interview.ErrNotFound
	}
	return cloneSession(s), nil
}

// SessionWithMessages returns a session and all its messages, or interview.ErrNotFound.
func (m *Sessions) SessionWithMessages(ctx context.Context, id string) (*interview.Session, []interview.Message, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[id]
	if !ok {
		return nil, nil, interview.ErrNotFound
	}
	return cloneSession(s), append([]interview.Message{}, m.messages[id]...), nil
}

// OverdueSessions returns the active sessions whose time limit has passed.
func (m *Sessions) OverdueSessions(ctx context.Context, now time.Time, limit int) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var due []*interview.Session
	for _, s := range m.sessions {
		if s.Status == interview.StatusActive && s.TimeLimitMinutes > 0 &&
			!now.Before(s.CreatedAt.Add(time.Duration(s.TimeLimitMinutes)*time.Minute)) {
			due = append(due, s)
		}
	}
	slices.SortFunc(due, func(a, b *interview.Session) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	ids := []string{}
	for _, s := range due[:min(len(due), max(limit, 0))] {
		ids = append(ids, s.ID)
	}
	return ids, nil
}

// UpdateSession replaces a stored session.
func (m *Sessions) UpdateSession(ctx context.Context, s *interview.Session) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.sessions[s.ID]; !ok {
		return interview.ErrNotFound
	}
	m.sessions[s.ID] = cloneSession(s)
	return nil
}

// AppendMessage assigns the next seq and stores msg, unless its client id
// was stored before (then the stored message comes back, stored=false).
func (m *Sessions) AppendMessage(ctx context.Context, sessionID string, msg interview.Message) (interview.Message, bool, error) {
	if err := ctx.Err(); err != nil {
		return interview.Message{}, false, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.sessions[sessionID]; !ok {
		return interview.Message{}, false, interview.ErrNotFound
	}
	msgs := m.messages[sessionID]
	if msg.ClientID != "" {
		if seq, ok := m.clientIDs[sessionID][msg.ClientID]; ok {
			return msgs[seq-1], false, nil
		}
	}
	msg.Seq = int64(len(msgs)) + 1
	m.messages[sessionID] = append(msgs, msg)
	if msg.ClientID != "" {
		m.clientIDs[sessionID][msg.ClientID] = msg.Seq
	}
	return msg, true, nil
}

// Messages returns the session's messages with seq > afterSeq, in order.
func (m *Sessions) Messages(ctx context.Context, sessionID string, afterSeq int64) ([]interview.Message, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.sessions[sessionID]; !ok {
		return nil, interview.ErrNotFound
	}
	msgs := m.messages[sessionID]
	if afterSeq < 0 {
		afterSeq = 0
	}
	if afterSeq >= int64(len(msgs)) {
		return []interview.Message{}, nil
	}
	return append([]interview.Message(nil), msgs[afterSeq:]...), nil
}

// SaveScorecard stores the session's scorecard.
func (m *Sessions) SaveScorecard(ctx context.Context, sessionID string, sc *interview.Scorecard) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.sessions[sessionID]; !ok {
		return interview.ErrNotFound
	}
	m.cards[sessionID] = clone(sc)
	return nil
}

// Scorecard returns the session's scorecard or interview.ErrNotFound.
func (m *Sessions) Scorecard(ctx context.Context, sessionID string) (*interview.Scorecard, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	sc, ok := m.cards[sessionID]
	if !ok {
		return nil, interview.ErrNotFound
	}
	return clone(sc), nil
}
