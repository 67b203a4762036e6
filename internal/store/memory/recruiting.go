package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"barraiser/internal/interview"
	"barraiser/internal/recruiting"
)

// Recruiting is a recruiting.Store in memory. It is safe for concurrent
// use; values are copied in and out.
type Recruiting struct {
	mu         sync.Mutex
	orgs       map[string]recruiting.Org
	recruiters map[string]recruiting.Recruiter // by email
	tokens     map[string]recruiting.APIToken  // by hash
	logins     map[string]recruiting.Login     // by hash
	sets       map[string][]recruiting.QuestionSet
	invites    map[string]recruiting.Invite // by id
	votes      map[[2]string]recruiting.Vote
}

var _ recruiting.Store = (*Recruiting)(nil)

// NewRecruiting returns an empty store.
func NewRecruiting() *Recruiting {
	return &Recruiting{
		orgs: map[string]recruiting.Org{}, recruiters: map[string]recruiting.Recruiter{},
		tokens: map[string]recruiting.APIToken{}, logins: map[string]recruiting.Login{},
		sets: map[string][]recruiting.QuestionSet{}, invites: map[string]recruiting.Invite{},
		votes: map[[2]string]recruiting.Vote{},
	}
}

func (m *Recruiting) lock(ctx context.Context) (func(), error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	return m.mu.Unlock, nil
}

func missing(what, id string) error { return fmt.Errorf("%s %s: %w", what, id, recruiting.ErrNotFound) }

// CreateOrg stores an org and its first recruiter.
func (m *Recruiting) CreateOrg(ctx context.Context, o *recruiting.Org, admin *recruiting.Recruiter) error {
	unlock, err := m.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	if _, ok := m.orgs[o.ID]; ok {
		return fmt.Errorf("org %s: %w", o.ID, recruiting.ErrConflict)
	}
	if _, ok := m.recruiters[admin.Email]; ok {
		return fmt.Errorf("the email is taken: %w", recruiting.ErrConflict)
	}
	m.orgs[o.ID] = *o
	r := *admin
	r.OrgID = o.ID
	m.recruiters[r.Email] = r
	return nil
}

// Org returns an org.
func (m *Recruiting) Org(ctx context.Context, id string) (*recruiting.Org, error) {
	unlock, err := m.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	o, ok := m.orgs[id]
	if !ok {
		return nil, missing("org", id)
	}
	return &o, nil
}

// Orgs lists every org by id.
func (m *Recruiting) Orgs(ctx context.Context) ([]recruiting.Org, error) {
	unlock, err := m.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	out := make([]recruiting.Org, 0, len(m.orgs))
	for _, o := range m.orgs {
		out = append(out, o)
	}
	slices.SortFunc(out, func(a, b recruiting.Org) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// SetRetention sets an org's retention period.
func (m *Recruiting) SetRetention(ctx context.Context, orgID string, days int) error {
	unlock, err := m.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	o, ok := m.orgs[orgID]
	if !ok {
		return missing("org", orgID)
	}
	o.RetentionDays = days
	m.orgs[orgID] = o
	return nil
}

// RecruiterByEmail returns a recruiter.
func (m *Recruiting) RecruiterByEmail(ctx context.Context, email string) (*recruiting.Recruiter, error) {
	unlock, err := m.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	r, ok := m.recruiters[email]
	if !ok {
		return nil, missing("recruiter", "")
	}
	return &r, nil
}

// CreateRecruiter adds a recruiter.
func (m *Recruiting) CreateRecruiter(ctx context.Context, r *recruiting.Recruiter) error {
	unlock, err := m.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	if _, ok := m.recruiters[r.Email]; ok {
		return fmt.Errorf("the email is taken: %w", recruiting.ErrConflict)
	}
	if _, ok := m.orgs[r.OrgID]; !ok {
		return missing("org", r.OrgID)
	}
	m.recruiters[r.Email] = *r
	return nil
}

// Recruiters lists the org's recruiters by email.
func (m *Recruiting) Recruiters(ctx context.Context, orgID string) ([]recruiting.Recruiter, error) {
	unlock, err := m.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	var out []recruiting.Recruiter
	for _, r := range m.recruiters {
		if r.OrgID == orgID {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b recruiting.Recruiter) int { return cmp.Compare(a.Email, b.Email) })
	return out, nil
}

// CreateToken stores a token.
func (m *Recruiting) CreateToken(ctx context.Context, t *recruiting.APIToken) error {
	unlock, err := m.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	m.tokens[t.Hash] = *t
	return nil
}

// TokenByHash returns a token.
func (m *Recruiting) TokenByHash(ctx context.Context, hash string) (*recruiting.APIToken, error) {
	unlock, err := m.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	t, ok := m.tokens[hash]
	if !ok {
		return nil, missing("token", "")
	}
	return &t, nil
}

// RevokeToken revokes a token of the org ("" matches any org).
func (m *Recruiting) RevokeToken(ctx context.Context, orgID, id string, at time.Time) error {
	unlock, err := m.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	for h, t := range m.tokens {
		if t.ID == id && (orgID == "" || t.OrgID == orgID) {
			if t.RevokedAt == nil {
				t.RevokedAt = &at
				m.tokens[h] = t
			}
			return nil
		}
	}
	return missing("token", id)
}

// CreateLogin stores a console session.
func (m *Recruiting) CreateLogin(ctx context.Context, l *recruiting.Login) error {
	unlock, err := m.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	m.logins[l.Hash] = *l
	return nil
}

// LoginByHash returns a console session.
func (m *Recruiting) LoginByHash(ctx context.Context, hash string) (*recruiting.Login, error) {
	unlock, err := m.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	l, ok := m.logins[hash]
	if !ok {
		return nil, missing("login", "")
	}
	return &l, nil
}

// DeleteLogin ends a console session.
func (m *Recruiting) DeleteLogin(ctx context.Context, hash string) error {
	unlock, err := m.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	delete(m.logins, hash)
	return nil
}

// DeleteExpiredLogins removes the console sessions expired at t.
func (m *Recruiting) DeleteExpiredLogins(ctx context.Context, t time.Time) (int, error) {
	unlock, err := m.lock(ctx)
	if err != nil {
		return 0, err
	}
	defer unlock()
	n := 0
	for h, l := range m.logins {
		if !t.Before(l.ExpiresAt) {
			delete(m.logins, h)
			n++
		}
	}
	return n, nil
}

// AddQuestionSetVersion stores a version of a set.
func (m *Recruiting) AddQuestionSetVersion(ctx context.Context, qs *recruiting.QuestionSet) error {
	unlock, err := m.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	vs := m.sets[qs.ID]
	for _, v := range vs {
		if v.Version == qs.Version || v.OrgID != qs.OrgID {
			return fmt.Errorf("question set %s v%d: %w", qs.ID, qs.Version, recruiting.ErrConflict)
		}
	}
	m.sets[qs.ID] = append(vs, *clone(qs))
	return nil
}

// QuestionSet returns a version of the org's set; 0 is the latest.
func (m *Recruiting) QuestionSet(ctx context.Context, orgID, id string, version int) (*recruiting.QuestionSet, error) {
	unlock, err := m.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	var best *recruiting.QuestionSet
	for i, v := range m.sets[id] {
		if v.OrgID != orgID || version != 0 && v.Version != version {
			continue
		}
		if best == nil || v.Version > best.Version {
			best = &m.sets[id][i]
		}
	}
	if best == nil {
		return nil, missing("question set", id)
	}
	return clone(best), nil
}

// QuestionSets lists the latest version of each of the org's sets, by id.
func (m *Recruiting) QuestionSets(ctx context.Context, orgID string) ([]recruiting.QuestionSet, error) {
	unlock, err := m.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	var out []recruiting.QuestionSet
	for _, vs := range m.sets {
		if len(vs) == 0 || vs[0].OrgID != orgID {
			continue
		}
		latest := slices.MaxFunc(vs, func(a, b recruiting.QuestionSet) int { return cmp.Compare(a.Version, b.Version) })
		out = append(out, *clone(&latest))
	}
	slices.SortFunc(out, func(a, b recruiting.QuestionSet) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// DeleteQuestionSet removes every version of the org's set.
func (m *Recruiting) DeleteQuestionSet(ctx context.Context, orgID, id string) error {
	unlock, err := m.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	vs := m.sets[id]
	if len(vs) == 0 || vs[0].OrgID != orgID {
		return missing("question set", id)
	}
	delete(m.sets, id)
	return nil
}

// CreateInvite stores an invite.
func (m *Recruiting) CreateInvite(ctx context.Context, inv *recruiting.Invite) error {
	unlock, err := m.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	m.invites[inv.ID] = *inv
	return nil
}

// InviteByHash returns the invite with this code hash.
func (m *Recruiting) InviteByHash(ctx context.Context, hash string) (*recruiting.Invite, error) {
	unlock, err := m.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	for _, inv := range m.invites {
		if inv.Hash == hash {
			return &inv, nil
		}
	}
	return nil, missing("invite", "")
}

// Invites lists the org's invites, newest first.
func (m *Recruiting) Invites(ctx context.Context, orgID string) ([]recruiting.Invite, error) {
	unlock, err := m.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	var out []recruiting.Invite
	for _, inv := range m.invites {
		if inv.OrgID == orgID {
			out = append(out, inv)
		}
	}
	slices.SortFunc(out, func(a, b recruiting.Invite) int {
		return cmp.Or(b.CreatedAt.Compare(a.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// UseInvite marks an invite used unless it already is.
func (m *Recruiting) UseInvite(ctx context.Context, id string, at time.Time) error {
	unlock, err := m.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	inv, ok := m.invites[id]
	switch {
	case !ok:
		return missing("invite", id)
	case inv.UsedAt != nil:
		return fmt.Errorf("invite %s: %w", id, recruiting.ErrInviteUsed)
	}
	inv.UsedAt = &at
	m.invites[id] = inv
	return nil
}

// ReleaseInvite makes a used invite that started no session usable again.
func (m *Recruiting) ReleaseInvite(ctx context.Context, id string) error {
	unlock, err := m.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	if inv, ok := m.invites[id]; ok && inv.SessionID == "" {
		inv.UsedAt = nil
		m.invites[id] = inv
	}
	return nil
}

// SetInviteSession records the session an invite started.
func (m *Recruiting) SetInviteSession(ctx context.Context, id, sessionID string) error {
	unlock, err := m.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	inv, ok := m.invites[id]
	if !ok {
		return missing("invite", id)
	}
	inv.SessionID = sessionID
	m.invites[id] = inv
	return nil
}

// RevokeInvite revokes one of the org's invites.
func (m *Recruiting) RevokeInvite(ctx context.Context, orgID, id string, at time.Time) error {
	unlock, err := m.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	inv, ok := m.invites[id]
	if !ok || inv.OrgID != orgID {
		return missing("invite", id)
	}
	if inv.RevokedAt == nil {
		inv.RevokedAt = &at
	}
	m.invites[id] = inv
	return nil
}

// PutVote stores or replaces a vote.
func (m *Recruiting) PutVote(ctx context.Context, v *recruiting.Vote) error {
	unlock, err := m.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	m.votes[[2]string{v.SessionID, v.RecruiterID}] = *clone(v)
	return nil
}

// Votes lists the org's votes.
func (m *Recruiting) Votes(ctx context.Context, orgID string) ([]recruiting.Vote, error) {
	unlock, err := m.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	var out []recruiting.Vote
	for _, v := range m.votes {
		if v.OrgID == orgID {
			out = append(out, *clone(&v))
		}
	}
	slices.SortFunc(out, func(a, b recruiting.Vote) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.SessionID, b.SessionID), cmp.Compare(a.RecruiterID, b.RecruiterID))
	})
	return out, nil
}

// ForgetSession removes a session's votes and its id on invites.
func (m *Recruiting) ForgetSession(ctx context.Context, sessionID string) error {
	unlock, err := m.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	for k := range m.votes {
		if k[0] == sessionID {
			delete(m.votes, k)
		}
	}
	for id, inv := range m.invites {
		if inv.SessionID == sessionID {
			inv.SessionID = ""
			m.invites[id] = inv
		}
	}
	return nil
}

// Recruiter-side reads of the session store.

var _ recruiting.SessionStore = (*Sessions)(nil)

// OrgSessions lists the org's sessions, newest first.
func (m *Sessions) OrgSessions(ctx context.Context, org string, limit int) ([]recruiting.SessionInfo, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []recruiting.SessionInfo
	for _, s := range m.sessions {
		if org == "" || s.Org != org {
			continue
		}
		i := recruiting.SessionInfo{ID: s.ID, Status: s.Status, Candidate: s.Candidate, Level: s.Level,
			QuestionSetID: s.QuestionSetID, QuestionSetVersion: s.QuestionSetVersion, CreatedAt: s.CreatedAt, FinishedAt: s.FinishedAt}
		if sc := m.cards[s.ID]; sc != nil {
			i.Decision = sc.Decision
		}
		out = append(out, i)
	}
	slices.SortFunc(out, func(a, b recruiting.SessionInfo) int {
		return cmp.Or(b.CreatedAt.Compare(a.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// DeleteSession removes a session with its messages and scorecard.
func (m *Sessions) DeleteSession(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.sessions[id]; !ok {
		return fmt.Errorf("session %s: %w", id, interview.ErrNotFound)
	}
	delete(m.sessions, id)
	delete(m.messages, id)
	delete(m.clientIDs, id)
	delete(m.cards, id)
	return nil
}

// FinishedBefore lists the org's sessions finished before t.
func (m *Sessions) FinishedBefore(ctx context.Context, org string, t time.Time, limit int) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for _, s := range m.sessions {
		if org != "" && s.Org == org && s.FinishedAt != nil && s.FinishedAt.Before(t) {
			out = append(out, s.ID)
		}
	}
	slices.Sort(out)
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// Counts reports how many sessions, messages and scorecards are stored,
// for tests that check nothing is left behind.
func (m *Sessions) Counts() (sessions, messages, scorecards int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, ms := range m.messages {
		messages += len(ms)
	}
	return len(m.sessions), messages, len(m.cards)
}
