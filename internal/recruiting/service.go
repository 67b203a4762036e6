package recruiting

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"slices"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"barraiser/internal/interview"
	"barraiser/internal/knowledge"
	"barraiser/internal/rubric"
)

// Defaults of Config.
const (
	DefaultLoginTTL  = 12 * time.Hour
	DefaultInviteTTL = 7 * 24 * time.Hour
	MaxInviteTTL     = 90 * 24 * time.Hour
	MaxRetentionDays = 3650
	maxListSessions  = 500
	maxPurgeBatch    = 1000
)

// Config wires a Service.
type Config struct {
	Store    Store
	Sessions SessionStore
	Starter  Starter
	// Exemplars indexes the question sets' private exemplars; nil keeps
	// them stored but unsearched.
	Exemplars ExemplarIndex
	Logger    *slog.Logger
	Now       func() time.Time
	// PasswordCost is the bcrypt cost; 0 means bcrypt.DefaultCost.
	PasswordCost int
	LoginTTL     time.Duration
}

// Service is the recruiter side's operations. It is safe for concurrent
// use.
type Service struct {
	cfg Config
	log *slog.Logger
}

// NewService returns a service.
func NewService(cfg Config) *Service {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.PasswordCost == 0 {
		cfg.PasswordCost = bcrypt.DefaultCost
	}
	if cfg.LoginTTL == 0 {
		cfg.LoginTTL = DefaultLoginTTL
	}
	return &Service{cfg: cfg, log: cfg.Logger}
}

func (s *Service) now() time.Time { return s.cfg.Now().UTC().Truncate(time.Microsecond) }

// CreateOrg creates an org and its first admin. An empty password makes
// one, returned so it can be shown once.
func (s *Service) CreateOrg(ctx context.Context, name, email, password string) (*Org, *Recruiter, string, error) {
	if err := text("name", name, MaxNameBytes, true); err != nil {
		return nil, nil, "", err
	}
	addr, err := normaliseEmail(email)
	if err != nil {
		return nil, nil, "", err
	}
	if password == "" {
		password = NewPassword()
	}
	if err := checkPassword(password); err != nil {
		return nil, nil, "", err
	}
	hash, err := hashPassword(password, s.cfg.PasswordCost)
	if err != nil {
		return nil, nil, "", err
	}
	now := s.now()
	o := &Org{ID: "org_" + newID(), Name: strings.TrimSpace(name), CreatedAt: now}
	r := &Recruiter{ID: "rec_" + newID(), OrgID: o.ID, Email: addr, PasswordHash: hash, Role: RoleAdmin, CreatedAt: now}
	if err := s.cfg.Store.CreateOrg(ctx, o, r); err != nil {
		return nil, nil, "", fmt.Errorf("create org: %w", err)
	}
	s.log.Info("org created", slog.String("org", o.ID), slog.String("recruiter", r.ID))
	return o, r, password, nil
}

func normaliseEmail(email string) (string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if len(email) > 254 {
		return "", fieldErr("email", "is longer than 254 bytes")
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email {
		return "", fieldErr("email", "is not an email address")
	}
	return email, nil
}

// Login checks an email and password and opens a console session. It
// returns the cookie value and the CSRF token (both shown once). A wrong
// email and a wrong password are the same ErrUnauthenticated.
func (s *Service) Login(ctx context.Context, email, password string) (cookie, csrf string, l *Login, err error) {
	addr, _ := normaliseEmail(email)
	r, err := s.cfg.Store.RecruiterByEmail(ctx, addr)
	if errors.Is(err, ErrNotFound) || len(password) > MaxPasswordBytes {
		_, _ = passwordMatches(string(dummyHash()), password)
		return "", "", nil, ErrUnauthenticated
	}
	if err != nil {
		return "", "", nil, fmt.Errorf("login: %w", err)
	}
	ok, err := passwordMatches(r.PasswordHash, password)
	if err != nil {
		return "", "", nil, fmt.Errorf("login: %w", err)
	}
	if !ok {
		return "", "", nil, ErrUnauthenticated
	}
	cookie, csrf = newSecret("brs_"), newSecret("brc_")
	now := s.now()
	l = &Login{Hash: HashSecret(cookie), CSRFHash: HashSecret(csrf), RecruiterID: r.ID, OrgID: r.OrgID, Role: r.Role,
		CreatedAt: now, ExpiresAt: now.Add(s.cfg.LoginTTL)}
	if err := s.cfg.Store.CreateLogin(ctx, l); err != nil {
		return "", "", nil, fmt.Errorf("login: %w", err)
	}
	s.log.Info("recruiter logged in", slog.String("recruiter", r.ID), slog.String("org", r.OrgID))
	return cookie, csrf, l, nil
}

// Logout ends the console session of cookie.
func (s *Service) Logout(ctx context.Context, cookie string) error {
	if err := s.cfg.Store.DeleteLogin(ctx, HashSecret(cookie)); err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("logout: %w", err)
	}
	return nil
}

// AuthenticateToken returns the principal of an API token.
func (s *Service) AuthenticateToken(ctx context.Context, token string) (*Principal, error) {
	if !IsAPIToken(token) {
		return nil, ErrUnauthenticated
	}
	t, err := s.cfg.Store.TokenByHash(ctx, HashSecret(token))
	switch {
	case errors.Is(err, ErrNotFound):
		return nil, ErrUnauthenticated
	case err != nil:
		return nil, fmt.Errorf("authenticate token: %w", err)
	case t.RevokedAt != nil:
		return nil, ErrUnauthenticated
	}
	return &Principal{OrgID: t.OrgID, RecruiterID: t.RecruiterID, Role: t.Role, Method: MethodToken}, nil
}

// AuthenticateCookie returns the principal of a console session cookie.
func (s *Service) AuthenticateCookie(ctx context.Context, cookie string) (*Principal, error) {
	if cookie == "" {
		return nil, ErrUnauthenticated
	}
	l, err := s.cfg.Store.LoginByHash(ctx, HashSecret(cookie))
	switch {
	case errors.Is(err, ErrNotFound):
		return nil, ErrUnauthenticated
	case err != nil:
		return nil, fmt.Errorf("authenticate cookie: %w", err)
	case !s.now().Before(l.ExpiresAt):
		return nil, ErrUnauthenticated
	}
	return &Principal{OrgID: l.OrgID, RecruiterID: l.RecruiterID, Role: l.Role, Method: MethodCookie, Login: l}, nil
}

// CheckCSRF reports whether token is the CSRF token of p's console
// session. Token principals need none.
func CheckCSRF(p *Principal, token string) bool {
	if p.Method != MethodCookie {
		return true
	}
	return token != "" && p.Login != nil &&
		subtle.ConstantTimeCompare([]byte(HashSecret(token)), []byte(p.Login.CSRFHash)) == 1
}

// MintToken makes an API token for the org's recruiter (by email) and
// returns it with the token itself, shown once.
func (s *Service) MintToken(ctx context.Context, email, name string) (*APIToken, string, error) {
	addr, err := normaliseEmail(email)
	if err != nil {
		return nil, "", err
	}
	if err := text("name", name, MaxNameBytes, false); err != nil {
		return nil, "", err
	}
	r, err := s.cfg.Store.RecruiterByEmail(ctx, addr)
	if err != nil {
		return nil, "", fmt.Errorf("mint token: recruiter %s: %w", addr, err)
	}
	token := newSecret(TokenPrefix)
	t := &APIToken{ID: "tok_" + newID(), OrgID: r.OrgID, RecruiterID: r.ID, Name: name, Role: r.Role, Hash: HashSecret(token), CreatedAt: s.now()}
	if err := s.cfg.Store.CreateToken(ctx, t); err != nil {
		return nil, "", fmt.Errorf("mint token: %w", err)
	}
	s.log.Info("api token minted", slog.String("token_id", t.ID), slog.String("org", t.OrgID))
	return t, token, nil
}

// RevokeToken revokes a token by its id or by the token itself.
func (s *Service) RevokeToken(ctx context.Context, idOrToken string) error {
	id, org := idOrToken, ""
	t, err := s.cfg.Store.TokenByHash(ctx, HashSecret(idOrToken))
	switch {
	case err == nil:
		id, org = t.ID, t.OrgID
	case !errors.Is(err, ErrNotFound):
		return fmt.Errorf("revoke token: %w", err)
	}
	if err := s.cfg.Store.RevokeToken(ctx, org, id, s.now()); err != nil {
		return fmt.Errorf("revoke token %s: %w", id, err)
	}
	s.log.Info("api token revoked", slog.String("token_id", id))
	return nil
}

// CreateQuestionSet stores version 1 of a new set.
func (s *Service) CreateQuestionSet(ctx context.Context, p *Principal, in QuestionSetInput) (*QuestionSet, error) {
	return s.putQuestionSet(ctx, p, "qs_"+newID(), 1, in)
}

// UpdateQuestionSet stores the edit as a new version of the set.
func (s *Service) UpdateQuestionSet(ctx context.Context, p *Principal, id string, in QuestionSetInput) (*QuestionSet, error) {
	cur, err := s.cfg.Store.QuestionSet(ctx, p.OrgID, id, 0)
	if err != nil {
		return nil, fmt.Errorf("question set %s: %w", id, err)
	}
	return s.putQuestionSet(ctx, p, id, cur.Version+1, in)
}

func (s *Service) putQuestionSet(ctx context.Context, p *Principal, id string, version int, in QuestionSetInput) (*QuestionSet, error) {
	in, err := in.Validate()
	if err != nil {
		return nil, err
	}
	in.Name = strings.TrimSpace(in.Name)
	qs := &QuestionSet{ID: id, OrgID: p.OrgID, Version: version, QuestionSetInput: in, CreatedBy: p.RecruiterID, CreatedAt: s.now()}
	if err := s.cfg.Store.AddQuestionSetVersion(ctx, qs); err != nil {
		return nil, fmt.Errorf("store question set %s v%d: %w", id, version, err)
	}
	if err := s.indexExemplars(ctx, qs.OrgID, qs.ID, qs.Exemplars); err != nil {
		return nil, err
	}
	return qs, nil
}

func (s *Service) indexExemplars(ctx context.Context, orgID, setID string, ex []SetExemplar) error {
	if s.cfg.Exemplars == nil {
		return nil
	}
	out := make([]OrgExemplar, len(ex))
	for i, e := range ex {
		out[i] = OrgExemplar{ID: fmt.Sprintf("%s%d", ExemplarPrefix(setID), i), SetExemplar: e}
	}
	if err := s.cfg.Exemplars.PutOrgExemplars(ctx, orgID, setID, out); err != nil {
		return fmt.Errorf("index exemplars of %s: %w", setID, err)
	}
	return nil
}

// QuestionSet returns a version of one of the org's sets (0: the latest).
func (s *Service) QuestionSet(ctx context.Context, p *Principal, id string, version int) (*QuestionSet, error) {
	return s.cfg.Store.QuestionSet(ctx, p.OrgID, id, version)
}

// QuestionSets lists the org's sets, latest versions.
func (s *Service) QuestionSets(ctx context.Context, p *Principal) ([]QuestionSet, error) {
	return s.cfg.Store.QuestionSets(ctx, p.OrgID)
}

// DeleteQuestionSet deletes every version of a set and its exemplars.
// Sessions that used it keep their questions.
func (s *Service) DeleteQuestionSet(ctx context.Context, p *Principal, id string) error {
	if err := s.cfg.Store.DeleteQuestionSet(ctx, p.OrgID, id); err != nil {
		return fmt.Errorf("delete question set %s: %w", id, err)
	}
	return s.indexExemplars(ctx, p.OrgID, id, nil)
}

// AllOrgExemplars returns the private exemplars of every org's sets
// (latest versions), to index at start-up.
func (s *Service) AllOrgExemplars(ctx context.Context) (map[string][]OrgExemplar, error) {
	orgs, err := s.cfg.Store.Orgs(ctx)
	if err != nil {
		return nil, fmt.Errorf("list orgs: %w", err)
	}
	out := map[string][]OrgExemplar{}
	for _, o := range orgs {
		sets, err := s.cfg.Store.QuestionSets(ctx, o.ID)
		if err != nil {
			return nil, fmt.Errorf("question sets of %s: %w", o.ID, err)
		}
		for _, qs := range sets {
			for i, e := range qs.Exemplars {
				out[o.ID] = append(out[o.ID], OrgExemplar{ID: fmt.Sprintf("%s%d", ExemplarPrefix(qs.ID), i), SetExemplar: e})
			}
		}
	}
	return out, nil
}

// InviteInput describes a new invite.
type InviteInput struct {
	QuestionSetID string        `json:"question_set_id"`
	Level         string        `json:"level"`
	Candidate     string        `json:"candidate"`
	TTL           time.Duration `json:"-"`
}

// CreateInvite makes a single-use invite to one of the org's sets and
// returns it with its code (shown once).
func (s *Service) CreateInvite(ctx context.Context, p *Principal, in InviteInput) (*Invite, string, error) {
	if in.QuestionSetID == "" {
		return nil, "", fieldErr("question_set_id", "must not be empty")
	}
	if _, err := s.cfg.Store.QuestionSet(ctx, p.OrgID, in.QuestionSetID, 0); err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, "", fieldErr("question_set_id", "no question set %q in this organisation", clip(in.QuestionSetID))
		}
		return nil, "", fmt.Errorf("create invite: %w", err)
	}
	if in.Level == "" {
		in.Level = rubric.DefaultLevel
	}
	if !slices.Contains(knowledge.Levels, in.Level) {
		return nil, "", fieldErr("level", "%q is not one of L4, L5, L6, L7", clip(in.Level))
	}
	if err := text("candidate", in.Candidate, 200, false); err != nil {
		return nil, "", err
	}
	if in.TTL == 0 {
		in.TTL = DefaultInviteTTL
	}
	if in.TTL < time.Minute || in.TTL > MaxInviteTTL {
		return nil, "", fieldErr("expires_in_hours", "must be between 1 minute and %d days", int(MaxInviteTTL.Hours()/24))
	}
	code := newSecret(InvitePrefix)
	now := s.now()
	inv := &Invite{ID: "inv_" + newID(), OrgID: p.OrgID, Hash: HashSecret(code), QuestionSetID: in.QuestionSetID,
		Level: in.Level, Candidate: strings.TrimSpace(in.Candidate), CreatedBy: p.RecruiterID, CreatedAt: now, ExpiresAt: now.Add(in.TTL)}
	if err := s.cfg.Store.CreateInvite(ctx, inv); err != nil {
		return nil, "", fmt.Errorf("create invite: %w", err)
	}
	return inv, code, nil
}

// Invites lists the org's invites.
func (s *Service) Invites(ctx context.Context, p *Principal) ([]Invite, error) {
	return s.cfg.Store.Invites(ctx, p.OrgID)
}

// RevokeInvite makes an unused invite unusable.
func (s *Service) RevokeInvite(ctx context.Context, p *Principal, id string) error {
	return s.cfg.Store.RevokeInvite(ctx, p.OrgID, id, s.now())
}

// Redeem starts the interview of an invite: at the latest version of its
// question set, once. An unknown or revoked code is ErrNotFound, an
// expired one ErrInviteExpired and a used one ErrInviteUsed.
func (s *Service) Redeem(ctx context.Context, code string) (*interview.Session, string, error) {
	inv, err := s.cfg.Store.InviteByHash(ctx, HashSecret(code))
	switch {
	case err != nil:
		return nil, "", err
	case inv.RevokedAt != nil:
		return nil, "", ErrNotFound
	case inv.UsedAt != nil:
		return nil, "", ErrInviteUsed
	case !s.now().Before(inv.ExpiresAt):
		return nil, "", ErrInviteExpired
	}
	qs, err := s.cfg.Store.QuestionSet(ctx, inv.OrgID, inv.QuestionSetID, 0)
	if err != nil {
		return nil, "", fmt.Errorf("question set of invite %s: %w", inv.ID, err)
	}
	if len(qs.QuestionsFor(inv.Level)) == 0 {
		return nil, "", fmt.Errorf("%w: question set %s has no question for level %s", ErrConflict, qs.ID, inv.Level)
	}
	// Claim first, so two tabs opening one link never both start.
	if err := s.cfg.Store.UseInvite(ctx, inv.ID, s.now()); err != nil {
		return nil, "", err
	}
	sess, token, err := s.start(ctx, qs, inv.OrgID, inv.Level, inv.Candidate)
	if err != nil {
		// The link must not be burnt by our failure: give the claim back
		// (with a context of its own, in case ctx is what ended).
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), releaseTimeout)
		defer cancel()
		if rerr := s.cfg.Store.ReleaseInvite(rctx, inv.ID); rerr != nil {
			s.log.Error("release invite after a failed start", slog.String("invite", inv.ID), slog.Any("error", rerr))
		}
		return nil, "", fmt.Errorf("start invited interview: %w", err)
	}
	if err := s.cfg.Store.SetInviteSession(ctx, inv.ID, sess.ID); err != nil {
		return nil, "", fmt.Errorf("record invite session: %w", err)
	}
	s.log.Info("invite redeemed", slog.String("invite", inv.ID), slog.String("session", sess.ID), slog.String("org", inv.OrgID))
	return sess, token, nil
}

// releaseTimeout bounds giving an invite back after a failed start.
const releaseTimeout = 5 * time.Second

// Sessions lists the org's sessions, newest first.
func (s *Service) Sessions(ctx context.Context, p *Principal) ([]SessionInfo, error) {
	return s.cfg.Sessions.OrgSessions(ctx, p.OrgID, maxListSessions)
}

// OrgSession returns one of the org's sessions; another org's is
// ErrNotFound.
func (s *Service) OrgSession(ctx context.Context, p *Principal, id string) (*interview.Session, error) {
	sess, err := s.cfg.Sessions.Session(ctx, id)
	if errors.Is(err, interview.ErrNotFound) || err == nil && (sess.Org == "" || sess.Org != p.OrgID) {
		return nil, ErrNotFound
	}
	return sess, err
}

// DeleteSession deletes one of the org's sessions and everything derived
// from it.
func (s *Service) DeleteSession(ctx context.Context, p *Principal, id string) error {
	if _, err := s.OrgSession(ctx, p, id); err != nil {
		return err
	}
	return s.deleteSession(ctx, id)
}

func (s *Service) deleteSession(ctx context.Context, id string) error {
	if err := s.cfg.Store.ForgetSession(ctx, id); err != nil {
		return fmt.Errorf("delete session %s: %w", id, err)
	}
	if err := s.cfg.Sessions.DeleteSession(ctx, id); err != nil && !errors.Is(err, interview.ErrNotFound) {
		return fmt.Errorf("delete session %s: %w", id, err)
	}
	return nil
}

// SetRetention sets how many days the org keeps finished sessions (0:
// forever). Admins only.
func (s *Service) SetRetention(ctx context.Context, p *Principal, days int) error {
	if p.Role != RoleAdmin {
		return ErrForbidden
	}
	if days < 0 || days > MaxRetentionDays {
		return fieldErr("retention_days", "must be between 0 (keep) and %d", MaxRetentionDays)
	}
	return s.cfg.Store.SetRetention(ctx, p.OrgID, days)
}

// Org returns the caller's org.
func (s *Service) Org(ctx context.Context, p *Principal) (*Org, error) {
	return s.cfg.Store.Org(ctx, p.OrgID)
}

// Purge deletes every finished session older than its org's retention
// period and returns how many it deleted; expired console sessions go too.
func (s *Service) Purge(ctx context.Context) (int, error) {
	if _, err := s.cfg.Store.DeleteExpiredLogins(ctx, s.now()); err != nil {
		return 0, fmt.Errorf("purge expired logins: %w", err)
	}
	orgs, err := s.cfg.Store.Orgs(ctx)
	if err != nil {
		return 0, fmt.Errorf("purge: %w", err)
	}
	n := 0
	for _, o := range orgs {
		if o.RetentionDays == 0 {
			continue
		}
		cutoff := s.now().Add(-time.Duration(o.RetentionDays) * 24 * time.Hour)
		ids, err := s.cfg.Sessions.FinishedBefore(ctx, o.ID, cutoff, maxPurgeBatch)
		if err != nil {
			return n, fmt.Errorf("purge %s: %w", o.ID, err)
		}
		for _, id := range ids {
			if err := s.deleteSession(ctx, id); err != nil {
				return n, fmt.Errorf("purge %s: %w", o.ID, err)
			}
			n++
		}
	}
	if n > 0 {
		s.log.Info("purged expired sessions", slog.Int("sessions", n))
	}
	return n, nil
}

// VoteInput is a recruiter's verdict on a session.
type VoteInput struct {
	Decision   string          `json:"decision"`
	Dimensions map[string]bool `json:"dimensions"`
	Note       string          `json:"note"`
}

// MyVote returns the caller's vote on one of the org's sessions, or nil
// when they have not voted on it.
func (s *Service) MyVote(ctx context.Context, p *Principal, sessionID string) (*Vote, error) {
	if _, err := s.OrgSession(ctx, p, sessionID); err != nil {
		return nil, err
	}
	votes, err := s.cfg.Store.Votes(ctx, p.OrgID)
	if err != nil {
		return nil, fmt.Errorf("votes: %w", err)
	}
	for _, v := range votes {
		if v.SessionID == sessionID && v.RecruiterID == p.RecruiterID {
			return &v, nil
		}
	}
	return nil, nil
}

// Vote records the caller's own verdict on one of the org's finished
// sessions, replacing any they recorded before.
func (s *Service) Vote(ctx context.Context, p *Principal, sessionID string, in VoteInput) (*Vote, error) {
	if !slices.Contains(decisions, in.Decision) {
		return nil, fieldErr("decision", "must be one of %s", strings.Join(decisions, ", "))
	}
	for d := range in.Dimensions {
		if !slices.Contains(rubric.CoreDimensions, d) && !slices.Contains(rubric.AdvancedDimensions, d) {
			return nil, fieldErr("dimensions."+clip(d), "is not a rubric dimension")
		}
	}
	if err := text("note", in.Note, MaxDescriptionBytes, false); err != nil {
		return nil, err
	}
	sess, err := s.OrgSession(ctx, p, sessionID)
	if err != nil {
		return nil, err
	}
	if sess.Status != interview.StatusFinished {
		return nil, fmt.Errorf("%w: the interview has not finished", ErrConflict)
	}
	v := &Vote{SessionID: sess.ID, OrgID: p.OrgID, RecruiterID: p.RecruiterID, Decision: in.Decision,
		Dimensions: in.Dimensions, Note: in.Note, CreatedAt: s.now()}
	if err := s.cfg.Store.PutVote(ctx, v); err != nil {
		return nil, fmt.Errorf("store vote: %w", err)
	}
	return v, nil
}

// Calibration compares the org's votes with the rubric's scorecards.
func (s *Service) Calibration(ctx context.Context, p *Principal) (*Agreement, error) {
	votes, err := s.cfg.Store.Votes(ctx, p.OrgID)
	if err != nil {
		return nil, fmt.Errorf("calibration: %w", err)
	}
	var pairs []Pair
	cards := map[string]*interview.Scorecard{}
	for _, v := range votes {
		sc, ok := cards[v.SessionID]
		if !ok {
			sc, err = s.cfg.Sessions.Scorecard(ctx, v.SessionID)
			if errors.Is(err, interview.ErrNotFound) {
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("calibration: scorecard of %s: %w", v.SessionID, err)
			}
			cards[v.SessionID] = sc
		}
		pr := Pair{Vote: v, Rubric: sc.Decision, RubricDimensions: map[string]bool{}}
		for _, d := range sc.Dimensions {
			pr.RubricDimensions[d.ID] = d.Pass
		}
		pairs = append(pairs, pr)
	}
	return Agree(pairs), nil
}

// Scorecard returns the scorecard of one of the org's finished sessions.
func (s *Service) Scorecard(ctx context.Context, p *Principal, sessionID string) (*interview.Scorecard, error) {
	sess, err := s.OrgSession(ctx, p, sessionID)
	if err != nil {
		return nil, err
	}
	if sess.Status != interview.StatusFinished {
		return nil, fmt.Errorf("%w: the interview has not finished", ErrConflict)
	}
	sc, err := s.cfg.Sessions.Scorecard(ctx, sessionID)
	if errors.Is(err, interview.ErrNotFound) {
		return nil, ErrNotFound
	}
	return sc, err
}

// DeleteOwnSession deletes a practice session at its candidate's request.
// A recruiter's interview is the org's to delete.
func (s *Service) DeleteOwnSession(ctx context.Context, sess *interview.Session) error {
	if sess.Org != "" {
		return ErrForbidden
	}
	return s.deleteSession(ctx, sess.ID)
}

// StartFromSet starts an interview on the latest version of one of the
// org's sets, without an invite.
func (s *Service) StartFromSet(ctx context.Context, p *Principal, setID, level, candidate string) (*interview.Session, string, error) {
	qs, err := s.cfg.Store.QuestionSet(ctx, p.OrgID, setID, 0)
	if errors.Is(err, ErrNotFound) {
		return nil, "", fieldErr("question_set_id", "no question set %q in this organisation", clip(setID))
	}
	if err != nil {
		return nil, "", fmt.Errorf("start from set: %w", err)
	}
	if level == "" {
		level = rubric.DefaultLevel
	}
	if !slices.Contains(knowledge.Levels, level) {
		return nil, "", fieldErr("level", "%q is not one of L4, L5, L6, L7", clip(level))
	}
	if err := text("candidate", candidate, 200, false); err != nil {
		return nil, "", err
	}
	return s.start(ctx, qs, p.OrgID, level, candidate)
}

// start begins an interview on qs.
func (s *Service) start(ctx context.Context, qs *QuestionSet, org, level, candidate string) (*interview.Session, string, error) {
	questions := qs.QuestionsFor(level)
	if len(questions) == 0 {
		return nil, "", fmt.Errorf("%w: question set %s has no question for level %s", ErrConflict, qs.ID, level)
	}
	sess, token, err := s.cfg.Starter.Start(ctx, interview.StartRequest{
		Questions: questions, QuestionSetID: qs.ID, QuestionSetVersion: qs.Version, Level: level,
		NumQuestions: len(questions), ProbesPerQuestion: qs.ProbesPerQuestion, ProbeOrder: qs.ProbeOrder(),
		Org: org, Candidate: candidate, TimeLimitMinutes: qs.TimeLimitMinutes,
	})
	if err != nil {
		return nil, "", fmt.Errorf("start interview on %s: %w", qs.ID, err)
	}
	return sess, token, nil
}

// ExemplarPrefix starts the id of every private exemplar of a set.
func ExemplarPrefix(setID string) string { return setID + "-ex" }

// AddRecruiter adds a recruiter to the caller's org (admins only) with a
// generated password, returned to be shown once.
func (s *Service) AddRecruiter(ctx context.Context, p *Principal, email, role string) (*Recruiter, string, error) {
	if p.Role != RoleAdmin {
		return nil, "", ErrForbidden
	}
	addr, err := normaliseEmail(email)
	if err != nil {
		return nil, "", err
	}
	if role == "" {
		role = RoleRecruiter
	}
	if role != RoleAdmin && role != RoleRecruiter {
		return nil, "", fieldErr("role", "must be %q or %q", RoleAdmin, RoleRecruiter)
	}
	password := NewPassword()
	hash, err := hashPassword(password, s.cfg.PasswordCost)
	if err != nil {
		return nil, "", err
	}
	r := &Recruiter{ID: "rec_" + newID(), OrgID: p.OrgID, Email: addr, PasswordHash: hash, Role: role, CreatedAt: s.now()}
	if err := s.cfg.Store.CreateRecruiter(ctx, r); err != nil {
		if errors.Is(err, ErrConflict) {
			return nil, "", fieldErr("email", "is taken")
		}
		return nil, "", fmt.Errorf("add recruiter: %w", err)
	}
	s.log.Info("recruiter added", slog.String("recruiter", r.ID), slog.String("org", r.OrgID))
	return r, password, nil
}

// Recruiters lists the caller's org's recruiters.
func (s *Service) Recruiters(ctx context.Context, p *Principal) ([]Recruiter, error) {
	return s.cfg.Store.Recruiters(ctx, p.OrgID)
}
