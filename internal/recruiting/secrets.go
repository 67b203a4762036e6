package recruiting

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/crypto/bcrypt"
)

// Prefixes of the secrets this package hands out, so a leaked one is
// recognisable and a bearer token can be told from a session token.
const (
	TokenPrefix  = "brt_" // API token
	InvitePrefix = "bri_" // invite code
)

// Password limits. bcrypt reads at most 72 bytes, so longer passwords are
// refused rather than silently truncated.
const (
	MinPasswordBytes = 12
	MaxPasswordBytes = 72
)

// newSecret is 128 random bits in base32 with a prefix.
func newSecret(prefix string) string { return prefix + rand.Text() }

// newID is a random identifier.
func newID() string { return strings.ToLower(rand.Text()) }

// HashSecret is the hex SHA-256 of a high-entropy secret (token, cookie,
// invite code): enough to look it up without storing it, since a secret
// of 128 random bits cannot be guessed from its hash.
func HashSecret(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// IsAPIToken reports whether s looks like an API token (as opposed to an
// interview session token).
func IsAPIToken(s string) bool { return strings.HasPrefix(s, TokenPrefix) }

// NewPassword generates a password for a new account.
func NewPassword() string { return rand.Text() }

func checkPassword(pw string) error {
	switch {
	case len(pw) < MinPasswordBytes:
		return fieldErr("password", "must be at least %d bytes", MinPasswordBytes)
	case len(pw) > MaxPasswordBytes:
		return fieldErr("password", "must be at most %d bytes", MaxPasswordBytes)
	}
	return nil
}

func hashPassword(pw string, cost int) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(pw), cost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(h), nil
}

// dummyHash is compared against when the email is unknown, so a login
// takes as long whether or not the account exists.
// It is made on first use, not at start-up.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("barraiser-no-such-account"), bcrypt.DefaultCost)
	return h
})

func passwordMatches(hash, pw string) (bool, error) {
	err := bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw))
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, bcrypt.ErrMismatchedHashAndPassword):
		return false, nil
	}
	return false, fmt.Errorf("compare password: %w", err)
}
