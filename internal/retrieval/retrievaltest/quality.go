package retrievaltest

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"barraiser/internal/knowledge"
	"barraiser/internal/retrieval"
)

// QualityK is the cut-off of the quality check: a snippet is a hit when
// one of its top QualityK matches has its dimension and label.
const QualityK = 3

// DefaultMinRecall is the recall@QualityK the local embedder must reach.
const DefaultMinRecall = 0.9

// Snippet is a short candidate answer labelled with the rubric dimension
// (or red flag) and label it exemplifies.
type Snippet struct {
	ID        string `json:"id"`
	Dimension string `json:"dimension"`
	Label     string `json:"label"`
	Text      string `json:"text"`
}

//go:embed testdata/quality.json
var qualityJSON []byte

// Snippets returns the quality check's snippets: candidate speech written
// for this check, not taken from the knowledge pack, covering every
// dimension and red flag with both labels.
func Snippets() ([]Snippet, error) {
	var f struct {
		Snippets []Snippet `json:"snippets"`
	}
	if err := json.Unmarshal(qualityJSON, &f); err != nil {
		return nil, fmt.Errorf("retrievaltest: quality snippets: %w", err)
	}
	return f.Snippets, nil
}

// QualityReport is the outcome of MeasureQuality.
type QualityReport struct {
	Snippets int
	Hits     int
	Misses   []QualityMiss
}

// Recall is Hits/Snippets.
func (r QualityReport) Recall() float64 {
	if r.Snippets == 0 {
		return 0
	}
	return float64(r.Hits) / float64(r.Snippets)
}

// QualityMiss is a snippet none of whose top matches had its dimension and
// label.
type QualityMiss struct {
	Snippet Snippet
	Top     []retrieval.Match
}

func (m QualityMiss) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s/%s): %q\n", m.Snippet.ID, m.Snippet.Dimension, m.Snippet.Label, m.Snippet.Text)
	for _, t := range m.Top {
		fmt.Fprintf(&b, "    %.3f %s/%s %s\n", t.Score, t.Dimension, t.Label, t.ID)
	}
	return b.String()
}

// MeasureQuality searches svc for every snippet and counts those with a
// match of the same dimension and label among the top QualityK. svc must
// already hold the exemplars (see Service.Sync).
func MeasureQuality(ctx context.Context, svc *retrieval.Service, snippets []Snippet) (QualityReport, error) {
	r := QualityReport{Snippets: len(snippets)}
	for _, sn := range snippets {
		ms, err := svc.Search(ctx, retrieval.Query{Text: sn.Text, K: QualityK})
		if err != nil {
			return r, fmt.Errorf("snippet %s: %w", sn.ID, err)
		}
		hit := false
		for _, m := range ms {
			if m.Dimension == sn.Dimension && m.Label == sn.Label {
				hit = true
				break
			}
		}
		if hit {
			r.Hits++
		} else {
			r.Misses = append(r.Misses, QualityMiss{Snippet: sn, Top: ms})
		}
	}
	return r, nil
}

// RunQualityCheck syncs the shipped knowledge pack into store with the
// local embedder and fails t unless recall@QualityK over Snippets is at
// least minRecall (DefaultMinRecall is what the local embedder promises).
// It logs the recall and every miss with its top matches. Any
// VectorStore can be checked this way; an approximate index (HNSW) should
// reach the same recall as exact search on a pack this small.
func RunQualityCheck(t *testing.T, store retrieval.VectorStore, minRecall float64) QualityReport {
	t.Helper()
	ctx := t.Context()
	pack, err := knowledge.Load()
	if err != nil {
		t.Fatalf("load knowledge pack: %v", err)
	}
	exemplars := retrieval.ExemplarsFromPack(pack)
	emb := retrieval.NewLocalEmbedder(exemplars)
	svc := retrieval.New(emb, store, nil)
	if _, err := svc.Sync(ctx, exemplars); err != nil {
		t.Fatalf("sync pack: %v", err)
	}
	snippets, err := Snippets()
	if err != nil {
		t.Fatal(err)
	}
	r, err := MeasureQuality(ctx, svc, snippets)
	if err != nil {
		t.Fatalf("measure quality: %v", err)
	}
	t.Logf("recall@%d = %.3f (%d/%d) with %s", QualityK, r.Recall(), r.Hits, r.Snippets, emb.Name())
	for _, m := range r.Misses {
		t.Logf("miss: %s", m)
	}
	if r.Recall() < minRecall {
		t.Errorf("recall@%d = %.3f, want at least %.2f", QualityK, r.Recall(), minRecall)
	}
	return r
}
