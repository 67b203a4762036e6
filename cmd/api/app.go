package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"barraiser/internal/httpapi"
	"barraiser/internal/interview"
	"barraiser/internal/knowledge"
	"barraiser/internal/llm/openai"
	"barraiser/internal/llm/scripted"
	"barraiser/internal/metrics"
	"barraiser/internal/recruiting"
	"barraiser/internal/retrieval"
	"barraiser/internal/store/memory"
	"barraiser/prompts"
	"barraiser/web"
)

// llmIdleConns is how many idle connections to the LLM endpoint are kept.
const llmIdleConns = 512

// syncTimeout bounds embedding and storing the knowledge pack at start-up.
const syncTimeout = 2 * time.Minute

// app is everything serve runs, wired from the configuration.
type app struct {
	api        *httpapi.Server
	interviews *interview.Engine
	recruiting *recruiting.Service
	search     *retrieval.Service
	close      func()
}

// buildApp wires the server: the knowledge pack, the stores (PostgreSQL
// when DATABASE_URL is set, memory otherwise), retrieval with the
// configured embedder, the interviewer (an OpenAI-compatible model when
// configured, with the scripted bar raiser as fallback; the scripted one
// alone otherwise), the interview engine, metrics and the HTTP API.
func buildApp(ctx context.Context, cfg config, logger *slog.Logger) (*app, error) {
	pack, err := knowledge.Load()
	if err != nil {
		return nil, fmt.Errorf("knowledge pack: %w", err)
	}
	db, err := openDatabase(ctx, cfg, logger)
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			db.Close()
		}
	}()

	var vectors retrieval.VectorStore = memory.NewVectorStore()
	memSessions := memory.NewSessions()
	var sessions interview.Store = memSessions
	var recStore recruiting.Store = memory.NewRecruiting()
	var recSessions recruiting.SessionStore = memSessions
	store := "memory"
	if db.Vectors != nil {
		vectors, store = db.Vectors, "postgres"
	}
	if db.Sessions != nil {
		sessions = db.Sessions
	}
	if db.Recruiting != nil {
		recStore, recSessions = db.Recruiting, db.RecruitingSessions
	}
	logger.Info("vector store: " + store)

	var live func() int // set once the API exists
	m := metrics.New(func() int {
		if live == nil {
			return 0
		}
		return live()
	})

	emb, err := newEmbedder(cfg, pack, logger)
	if err != nil {
		return nil, err
	}
	search := retrieval.New(emb, vectors, logger.With(slog.String("component", "retrieval")))
	// The vector store holds the shared pack and every org's private
	// exemplars (from their question sets): Sync keeps exactly those.
	orgExemplars, err := recruiting.NewService(recruiting.Config{Store: recStore, Sessions: recSessions}).AllOrgExemplars(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the organisations' exemplars: %w", err)
	}
	sctx, cancel := context.WithTimeout(ctx, syncTimeout)
	_, err = search.Sync(sctx, append(retrieval.ExemplarsFromPack(pack), orgRetrievalExemplars(orgExemplars)...)) // logs what it did
	cancel()
	if err != nil {
		return nil, fmt.Errorf("load the exemplar pack into the vector store: %w", err)
	}

	fallback := scripted.New()
	var iv interview.Interviewer = fallback
	if cfg.usesLLM() {
		model := cfg.OpenAIModel
		if model == "" && cfg.OpenAIBaseURL == "" {
			model = defaultChatModel
		}
		if model == "" {
			return nil, errors.New("OPENAI_BASE_URL is set but OPENAI_MODEL is not: name the model the endpoint serves")
		}
		// Many interviews stream at once: keep enough idle connections to
		// the endpoint that a turn rarely opens a new one (Go's default
		// keeps two per host).
		transport := http.DefaultTransport.(*http.Transport).Clone()
		transport.MaxIdleConns, transport.MaxIdleConnsPerHost = llmIdleConns, llmIdleConns
		chat, err := openai.NewInterviewer(openai.Config{APIKey: cfg.OpenAIKey, BaseURL: cfg.OpenAIBaseURL, Model: model, Observer: m,
			RequestTimeout: cfg.OpenAITimeout, IdleTimeout: cfg.OpenAIIdleTimeout, HTTPClient: &http.Client{Transport: transport}},
			prompts.FS, logger.With(slog.String("component", "llm")))
		if err != nil {
			return nil, fmt.Errorf("interviewer: %w", err)
		}
		iv = chat
	}
	logger.Info("interviewer ready", slog.String("interviewer", iv.Name()))

	engine := interview.NewEngine(interview.Config{
		Store: sessions, Interviewer: iv, Fallback: fallback, Retriever: search, Pack: pack,
		Logger: logger.With(slog.String("component", "interview")), Observer: m,
	})
	recruiters := recruiting.NewService(recruiting.Config{
		Store: recStore, Sessions: recSessions, Starter: engine, Exemplars: orgIndex{search},
		Logger: logger.With(slog.String("component", "recruiting")),
	})
	checks := append(db.Checks, httpapi.Check{Name: "retrieval", Func: search.Ping})
	api := httpapi.New(httpapi.Config{
		Logger: logger, Checks: checks, Interviews: engine, AllowedOrigins: cfg.AllowedOrigins,
		Exemplars: search, Metrics: m.Handler(), Live: httpapi.LiveConfig{OnError: m.SocketError},
		Recruiting: recruiters, InsecureCookies: cfg.InsecureCookies,
		Limits: httpapi.Limits{PerIP: cfg.RateLimitIP, PerToken: cfg.RateLimitToken},
		Pages:  web.FS, Catalog: catalog(pack),
	})
	live = api.LiveConnections
	ok = true
	return &app{api: api, interviews: engine, recruiting: recruiters, search: search, close: func() { api.Close(); db.Close() }}, nil
}

// newEmbedder builds the configured embedder: the local deterministic one
// (over the pack's own texts) or an OpenAI-compatible embeddings model.
func newEmbedder(cfg config, pack *knowledge.Pack, logger *slog.Logger) (retrieval.Embedder, error) {
	switch cfg.Embedder {
	case "local":
		return retrieval.NewLocalEmbedder(retrieval.ExemplarsFromPack(pack)), nil
	case "openai":
		emb, err := openai.NewEmbedder(openai.EmbedderConfig{
			APIKey: cfg.OpenAIKey, BaseURL: cfg.OpenAIBaseURL, Model: cfg.EmbeddingModel, Dimensions: cfg.EmbeddingDimensions,
		})
		if err != nil {
			return nil, fmt.Errorf("embedder: %w", err)
		}
		logger.Info("embedder: openai", slog.String("name", emb.Name()))
		return emb, nil
	}
	return nil, fmt.Errorf("EMBEDDER %q: want local or openai", cfg.Embedder)
}

// orgIndex keeps the organisations' private exemplars in the vector
// store, under ids prefixed by their question set's id, so only that
// org's interviews retrieve them.
type orgIndex struct{ search *retrieval.Service }

func (x orgIndex) PutOrgExemplars(ctx context.Context, orgID, setID string, ex []recruiting.OrgExemplar) error {
	return x.search.PutGroup(ctx, recruiting.ExemplarPrefix(setID), orgRetrievalExemplars(map[string][]recruiting.OrgExemplar{orgID: ex}))
}

// orgRetrievalExemplars converts org → exemplars for the vector store.
func orgRetrievalExemplars(byOrg map[string][]recruiting.OrgExemplar) []retrieval.Exemplar {
	var out []retrieval.Exemplar
	for org, ex := range byOrg {
		for _, e := range ex {
			out = append(out, retrieval.Exemplar{ID: e.ID, Principle: e.Principle, Dimension: e.Dimension, Label: e.Label,
				Text: e.Text, Source: "question set", Org: org})
		}
	}
	return out
}

// catalog lists the pack's principles and levels for the practice page.
func catalog(pack *knowledge.Pack) httpapi.Catalog {
	c := httpapi.Catalog{Levels: knowledge.Levels}
	for _, p := range pack.Principles {
		c.Principles = append(c.Principles, httpapi.Principle{Name: p.Name, Description: p.Description})
	}
	return c
}
