package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"barraiser/internal/knowledge"
	"barraiser/internal/retrieval"
	"barraiser/internal/store/postgres"
)

// vectorbench measures the PostgreSQL vector store at a realistic scale:
// it loads N synthetic exemplars under an embedder name of its own, builds
// the HNSW index, times Q searches with and without a filter, scores
// their recall@k against exact search computed here, and removes
// everything it stored.

// vectorbenchEmbedder is the scratch namespace; no real embedder has this
// name. Rows left by an interrupted run are removed by the next one.
const vectorbenchEmbedder = "vectorbench"

// Targets the report checks on the unfiltered searches.
const (
	benchTargetP99    = 10 * time.Millisecond
	benchTargetRecall = 0.95
)

type benchConfig struct {
	n, q, k, dims, clusters, efSearch int
	seed                              uint64
	buildWorkers                      int
	maintenanceWorkMem                string
	keep                              bool
}

func runVectorbench(ctx context.Context, cfg config, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("vectorbench", flag.ContinueOnError)
	cfg.bindDatabaseFlag(fs, "PostgreSQL `URL` to benchmark (its schema is migrated; the bench's rows are removed at the end)")
	bc := benchConfig{dims: retrieval.LocalDimensions}
	fs.IntVar(&bc.n, "n", 100_000, "`number` of synthetic exemplars to load")
	fs.IntVar(&bc.q, "q", 500, "`number` of queries of each kind (unfiltered, filtered)")
	fs.IntVar(&bc.k, "k", 10, "neighbours per query (recall@k)")
	fs.IntVar(&bc.efSearch, "ef-search", postgres.DefaultEfSearch, "hnsw.ef_search: HNSW candidate list size (higher: better recall, slower)")
	fs.IntVar(&bc.clusters, "clusters", 300, "`number` of centroids the vectors cluster around")
	seed := fs.Uint64("seed", 1, "pseudo-random `seed`: the same seed gives the same vectors and queries")
	fs.StringVar(&bc.maintenanceWorkMem, "maintenance-work-mem", postgres.DefaultMaintenanceWorkMem, "maintenance_work_mem for the index build")
	fs.IntVar(&bc.buildWorkers, "build-workers", -1, "max_parallel_maintenance_workers for the index build; -1 keeps the server's")
	fs.BoolVar(&bc.keep, "keep", false, "keep the rows and index afterwards (embedder \""+vectorbenchEmbedder+"\")")
	cfg.bindLogFlags(fs)
	if code, ok := parseFlags(fs, "vectorbench [FLAGS]", 0, args, stdout, stderr); !ok {
		return code
	}
	bc.seed = *seed
	switch {
	case cfg.DatabaseURL == "":
		fmt.Fprintf(stderr, "api vectorbench: %s\n", noDatabase)
		return exitUsage
	case bc.n < 1 || bc.q < 1 || bc.k < 1 || bc.clusters < 1:
		fmt.Fprintln(stderr, "api vectorbench: -n, -q, -k and -clusters must be at least 1")
		return exitUsage
	case bc.efSearch < 1 || bc.efSearch > 1000:
		fmt.Fprintln(stderr, "api vectorbench: -ef-search must be between 1 and 1000")
		return exitUsage
	}
	logger, err := cfg.logger(stderr)
	if err != nil {
		fmt.Fprintf(stderr, "api vectorbench: %v\n", err)
		return exitUsage
	}
	if err := vectorbench(ctx, cfg.DatabaseURL, bc, logger, stdout); err != nil {
		fmt.Fprintf(stderr, "api vectorbench: %v\n", err)
		return exitFailure
	}
	return exitOK
}

func vectorbench(ctx context.Context, url string, bc benchConfig, logger *slog.Logger, out io.Writer) (err error) {
	s, err := postgres.Open(ctx, url, logger,
		postgres.WithEfSearch(bc.efSearch),
		postgres.WithIndexBuild(bc.maintenanceWorkMem, bc.buildWorkers))
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := s.DropEmbedder(ctx, vectorbenchEmbedder); err != nil {
		return err
	}
	if !bc.keep {
		defer func() {
			// Clean up even when interrupted.
			cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
			defer cancel()
			if _, derr := s.DropEmbedder(cctx, vectorbenchEmbedder); derr != nil && err == nil {
				err = derr
			}
		}()
	}

	data := newBenchData(bc)
	fmt.Fprintf(out, "vectorbench: %d vectors x %d dims around %d centroids; %d queries each kind, k=%d, ef_search=%d\n",
		bc.n, bc.dims, bc.clusters, bc.q, bc.k, bc.efSearch)

	start := time.Now()
	if _, err := s.Load(ctx, vectorbenchEmbedder, bc.dims, data.items); err != nil {
		return err
	}
	load := time.Since(start)
	fmt.Fprintf(out, "load:        %s (%.0f rows/s; COPY, upsert, VACUUM ANALYZE)\n", round(load), float64(bc.n)/load.Seconds())

	start = time.Now()
	if err := s.BuildIndex(ctx, vectorbenchEmbedder, bc.dims); err != nil {
		return err
	}
	build := time.Since(start)
	size, err := s.IndexSize(ctx, vectorbenchEmbedder)
	if err != nil {
		return err
	}
	workers := "server default"
	if bc.buildWorkers >= 0 {
		workers = fmt.Sprint(bc.buildWorkers)
	}
	fmt.Fprintf(out, "index build: %s (HNSW m=16 ef_construction=64, %.0f MB, and the filter index; maintenance_work_mem=%s, parallel workers=%s)\n",
		round(build), float64(size)/(1<<20), bc.maintenanceWorkMem, workers)

	// Warm up: connections, plans, and the index pages in the server's
	// cache, as on a server that has been running.
	for _, q := range data.warmup {
		if _, err := s.Search(ctx, vectorbenchEmbedder, q.vec, bc.k, q.filter); err != nil {
			return err
		}
	}

	kinds := []struct {
		name    string
		queries []benchQuery
	}{
		{"unfiltered", data.unfiltered},
		{"filtered", data.filtered},
	}
	var unfilteredP99 time.Duration
	var unfilteredRecall float64
	for _, kind := range kinds {
		lat := make([]time.Duration, len(kind.queries))
		got := make([][]string, len(kind.queries))
		for i, q := range kind.queries {
			t0 := time.Now()
			ms, err := s.Search(ctx, vectorbenchEmbedder, q.vec, bc.k, q.filter)
			lat[i] = time.Since(t0)
			if err != nil {
				return err
			}
			for _, m := range ms {
				got[i] = append(got[i], m.ID)
			}
		}
		recall, short := data.recall(ctx, kind.queries, got, bc.k)
		slices.Sort(lat)
		p50, p95, p99 := percentile(lat, 50), percentile(lat, 95), percentile(lat, 99)
		note := ""
		if kind.name == "filtered" {
			note = " (dimension = one of " + fmt.Sprint(len(benchDimensions)) + ", about " +
				fmt.Sprintf("%.0f%%", 100/float64(len(benchDimensions))) + " of rows each)"
		}
		if short > 0 {
			note += fmt.Sprintf("; %d queries returned fewer than k", short)
		}
		fmt.Fprintf(out, "%-12s p50=%s p95=%s p99=%s recall@%d=%.3f%s\n",
			kind.name+":", round(p50), round(p95), round(p99), bc.k, recall, note)
		if kind.name == "unfiltered" {
			unfilteredP99, unfilteredRecall = p99, recall
		}
	}
	verdict := func(ok bool) string {
		if ok {
			return "met"
		}
		return "MISSED"
	}
	fmt.Fprintf(out, "targets (unfiltered): p99 <= %s %s; recall@%d >= %.2f %s\n",
		benchTargetP99, verdict(unfilteredP99 <= benchTargetP99), bc.k, benchTargetRecall, verdict(unfilteredRecall >= benchTargetRecall))
	return ctx.Err()
}

func percentile(sorted []time.Duration, p int) time.Duration {
	i := (len(sorted)*p+99)/100 - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func round(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}

// benchDimensions are the values of the dimension field: the rubric's
// dimensions and red flags, as in the real pack.
var benchDimensions = append(append([]string{}, knowledge.Dimensions...), knowledge.RedFlags...)

type benchQuery struct {
	vec    []float32
	filter retrieval.Filter
}

type benchData struct {
	items                        []retrieval.Item
	warmup, unfiltered, filtered []benchQuery
}

// newBenchData makes the exemplars and queries, deterministically from
// the seed. Vectors are unit vectors scattered around random unit
// centroids, each cluster with its own spread, and most exemplars of a
// cluster share its dimension, as exemplars of one dimension tend to sound
// alike. Queries are drawn the same way (new points, not stored ones);
// filtered queries ask for a random dimension, often not the one of the
// cluster they fall in, which is the hard case for a filtered graph search.
func newBenchData(bc benchConfig) benchData {
	r := rand.New(rand.NewPCG(bc.seed, 0x7665_6374_6f72))
	type cluster struct {
		centroid  []float32
		spread    float32
		dimension string
	}
	clusters := make([]cluster, bc.clusters)
	for i := range clusters {
		clusters[i] = cluster{
			centroid:  unitVector(r, bc.dims),
			spread:    0.6 + 0.6*r.Float32(), // cosine to the centroid between about 0.64 and 0.86
			dimension: benchDimensions[r.IntN(len(benchDimensions))],
		}
	}
	point := func() ([]float32, cluster) {
		c := clusters[r.IntN(len(clusters))]
		noise := unitVector(r, bc.dims)
		v := make([]float32, bc.dims)
		for j := range v {
			v[j] = c.centroid[j] + c.spread*noise[j]
		}
		normalize(v)
		return v, c
	}
	words := strings.Fields("I we the team customer metric launch outage fixed measured owned escalated shipped " +
		"reduced latency by percent because data showed after review rollback weekly dashboard alarm")

	var d benchData
	d.items = make([]retrieval.Item, bc.n)
	for i := range d.items {
		v, c := point()
		dim := c.dimension
		if r.IntN(10) < 3 {
			dim = benchDimensions[r.IntN(len(benchDimensions))]
		}
		var text strings.Builder
		for range 24 + r.IntN(24) {
			text.WriteString(words[r.IntN(len(words))])
			text.WriteByte(' ')
		}
		label := retrieval.LabelWeak
		if r.IntN(2) == 0 {
			label = retrieval.LabelStrong
		}
		d.items[i] = retrieval.Item{
			Exemplar: retrieval.Exemplar{
				ID:        fmt.Sprintf("vb-%07d", i),
				Principle: knowledge.PrincipleNames[r.IntN(len(knowledge.PrincipleNames))],
				Dimension: dim,
				Label:     label,
				Level:     knowledge.Levels[r.IntN(len(knowledge.Levels))],
				Text:      strings.TrimSpace(text.String()),
				Source:    "vectorbench",
			},
			Hash:   fmt.Sprintf("vb-%d-%d", bc.seed, i),
			Vector: v,
		}
	}
	queries := func(n int, filtered bool) []benchQuery {
		qs := make([]benchQuery, n)
		for i := range qs {
			v, _ := point()
			qs[i].vec = v
			if filtered {
				qs[i].filter.Dimension = benchDimensions[r.IntN(len(benchDimensions))]
			}
		}
		return qs
	}
	d.warmup = append(queries(min(50, bc.q), false), queries(min(50, bc.q), true)...)
	d.unfiltered = queries(bc.q, false)
	d.filtered = queries(bc.q, true)
	return d
}

// recall is the mean recall@k of got against exact search over the items,
// and how many queries got fewer than k matches. The exact search runs on
// every CPU; vectors are unit length, so cosine similarity is the dot
// product.
func (d benchData) recall(ctx context.Context, qs []benchQuery, got [][]string, k int) (float64, int) {
	sum := make([]float64, len(qs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				want := d.exact(qs[i], k)
				hits := 0
				for _, id := range got[i] {
					if slices.Contains(want, id) {
						hits++
					}
				}
				if len(want) > 0 {
					sum[i] = float64(hits) / float64(len(want))
				} else {
					sum[i] = 1
				}
			}
		})
	}
	for i := range qs {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	var total float64
	short := 0
	for i := range qs {
		total += sum[i]
		if len(got[i]) < k {
			short++
		}
	}
	return total / float64(len(qs)), short
}

// exact returns the ids of the k items passing q's filter nearest to q.
func (d benchData) exact(q benchQuery, k int) []string {
	type scored struct {
		i   int
		sim float32
	}
	top := make([]scored, 0, k+1)
	for i := range d.items {
		it := &d.items[i]
		if q.filter.Dimension != "" && it.Dimension != q.filter.Dimension {
			continue
		}
		sim := retrieval.Dot(q.vec, it.Vector)
		if len(top) == k && sim <= top[k-1].sim {
			continue
		}
		j, _ := slices.BinarySearchFunc(top, sim, func(s scored, sim float32) int {
			if s.sim > sim {
				return -1
			}
			return 1
		})
		top = slices.Insert(top, j, scored{i, sim})
		if len(top) > k {
			top = top[:k]
		}
	}
	ids := make([]string, len(top))
	for i, s := range top {
		ids[i] = d.items[s.i].ID
	}
	return ids
}

func unitVector(r *rand.Rand, dims int) []float32 {
	v := make([]float32, dims)
	for i := range v {
		v[i] = float32(r.NormFloat64())
	}
	normalize(v)
	return v
}

func normalize(v []float32) {
	var ss float64
	for _, x := range v {
		ss += float64(x) * float64(x)
	}
	n := float32(math.Sqrt(ss))
	for i := range v {
		v[i] /= n
	}
}
