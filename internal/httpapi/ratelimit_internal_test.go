package httpapi

import (
	"strconv"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// TestLimiterTable: each key has its own bucket; a refused request costs
// nothing; the wait says when the next token comes; the table never holds
// more keys than its bound.
func TestLimiterTable(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tab := newLimiterTable(rate.Every(time.Second), 2)
	for i, want := range []time.Duration{0, 0, time.Second, time.Second} {
		if got := tab.take("a", now); got != want {
			t.Errorf("take %d: wait %v, want %v", i, got, want)
		}
	}
	if got := tab.take("b", now); got != 0 {
		t.Errorf("another key waits %v", got)
	}
	if got := tab.take("a", now.Add(time.Second)); got != 0 {
		t.Errorf("a second later: wait %v, want none", got)
	}

	tab = newLimiterTable(rate.Every(time.Second), 1)
	tab.maxKeys = 10
	for i := range 100 {
		tab.take(strconv.Itoa(i), now)
		if len(tab.m) > tab.maxKeys {
			t.Fatalf("after %d keys the table holds %d, more than %d", i+1, len(tab.m), tab.maxKeys)
		}
	}
}
