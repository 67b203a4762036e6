package rubric

import (
	"os"
	"testing"
)

// BenchmarkScore scores a typical four-turn transcript (the founding
// walkthrough's strong answer with three follow-ups, about 600 words).
func BenchmarkScore(b *testing.B) {
	data, err := os.ReadFile("testdata/bench/typical.json")
	if err != nil {
		b.Fatal(err)
	}
	t, err := ParseTranscript(data)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Score(t); err != nil {
			b.Fatal(err)
		}
	}
}
