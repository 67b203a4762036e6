//go:build race

package retrieval

// raceEnabled reports whether the race detector is on; the long,
// single-goroutine leave-one-out measurement is skipped under it.
const raceEnabled = true
