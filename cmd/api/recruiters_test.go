package main

import (
	"regexp"
	"strings"
	"testing"

	"barraiser/internal/store/postgres/pgtest"
)

// TestOrgAndTokenCommands: "api org create" makes an org whose admin can
// mint a token, and "api token revoke" stops it; passwords are generated
// and shown once, or read from stdin and never echoed.
func TestOrgAndTokenCommands(t *testing.T) {
	url := pgtest.URL(t)
	vars := map[string]string{"DATABASE_URL": url}
	exec := func(stdin string, args ...string) (int, string, string) {
		var out, errOut strings.Builder
		code := run(t.Context(), args, env(vars), strings.NewReader(stdin), &out, &errOut)
		return code, out.String(), errOut.String()
	}

	code, out, errOut := exec("", "org", "create", "-name", "Acme", "-admin-email", "lead@acme.example")
	if code != exitOK || !regexp.MustCompile(`(?m)^password \S{20,}$`).MatchString(out) {
		t.Fatalf("org create: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, _ = exec("a password from stdin\n", "org", "create", "-name", "Beta", "-admin-email", "lead@beta.example", "-password-stdin")
	if code != exitOK || strings.Contains(out, "password") {
		t.Errorf("org create -password-stdin: exit %d, stdout %q", code, out)
	}
	if code, _, errOut := exec("", "org", "create", "-name", "Again", "-admin-email", "lead@acme.example"); code != exitFailure || !strings.Contains(errOut, "conflict") {
		t.Errorf("a taken email: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := exec("short\n", "org", "create", "-name", "X", "-admin-email", "x@x.example", "-password-stdin"); code != exitFailure || !strings.Contains(errOut, "password") {
		t.Errorf("a short password: exit %d, stderr %q", code, errOut)
	}

	code, out, errOut = exec("", "token", "mint", "-email", "lead@acme.example", "-name", "ci")
	m := regexp.MustCompile(`(?m)^token (brt_\S+)$`).FindStringSubmatch(out)
	if code != exitOK || m == nil {
		t.Fatalf("token mint: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if code, out, errOut := exec("", "token", "revoke", m[1]); code != exitOK || out != "revoked\n" {
		t.Errorf("token revoke: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if code, _, _ := exec("", "token", "revoke", "tok_nosuch"); code != exitFailure {
		t.Errorf("revoking an unknown token: exit %d", code)
	}
	for _, args := range [][]string{{"org"}, {"org", "create"}, {"token"}, {"token", "mint"}, {"token", "revoke"}} {
		if code, _, _ := exec("", args...); code != exitUsage {
			t.Errorf("api %s: exit %d, want %d", strings.Join(args, " "), code, exitUsage)
		}
	}
}
