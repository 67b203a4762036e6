package pgtest

import (
	"regexp"
	"testing"
)

func TestWithDatabase(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u:p@127.0.0.1:5432/barraiser?sslmode=disable": "postgres://u:p@127.0.0.1:5432/x_1?sslmode=disable",
		"postgresql://u:p%40w@h/db":                               "postgresql://u:p%40w@h/x_1",
		"postgres://h":                                            "postgres://h/x_1",
		"host=h user=u dbname=barraiser":                          "host=h user=u dbname=barraiser dbname=x_1",
	} {
		if got := withDatabase(in, "x_1"); got != want {
			t.Errorf("withDatabase(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDatabaseName(t *testing.T) {
	a, b := databaseName(), databaseName()
	if a == b {
		t.Errorf("two names alike: %s", a)
	}
	if !regexp.MustCompile(`^barraiser_test_pgtest_[0-9a-f]{12}$`).MatchString(a) || len(a) > 63 {
		t.Errorf("name %q", a)
	}
}
