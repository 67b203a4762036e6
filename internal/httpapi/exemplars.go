package httpapi

import (
	"context"
	"math"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"barraiser/internal/retrieval"
)

// ExemplarSearcher finds the exemplars nearest to a text;
// *retrieval.Service implements it. Search reports a bad query with an
// error wrapping retrieval.ErrInvalidQuery (a *retrieval.QueryError names
// the field).
type ExemplarSearcher interface {
	Search(ctx context.Context, q retrieval.Query) ([]retrieval.Match, error)
}

var errExemplarsOff = errorf(codeUnavailable, "exemplar search is not configured on this server")

// exemplarParams are the query parameters of GET /api/v1/exemplars.
var exemplarParams = []string{"q", "k", "principle", "dimension", "label"}

// exemplarsResponse is the answer of GET /api/v1/exemplars.
type exemplarsResponse struct {
	Exemplars []exemplarJSON `json:"exemplars"`
	K         int            `json:"k"` // the k used: as asked, or the default
}

type exemplarJSON struct {
	ID        string  `json:"id"`
	Principle string  `json:"principle"`
	Dimension string  `json:"dimension"`
	Label     string  `json:"label"`
	Level     string  `json:"level"`
	Text      string  `json:"text"`
	Why       string  `json:"why"`
	Score     float64 `json:"score"` // cosine similarity to q, rounded to 4 places
}

// searchExemplars answers GET /api/v1/exemplars?q=TEXT&k=N with the N
// shared-pack exemplars nearest to TEXT, best first; principle, dimension
// and label narrow the search. k defaults to retrieval.DefaultK when absent;
// an explicit k must be an integer from 1 to retrieval.MaxK (k=0 is an
// error, not the default). Every bad parameter, an over-long q included
// (more than retrieval.MaxQueryBytes), is a 400 invalid_query whose message
// names the parameter. Organisations' private exemplars are never searched
// here.
func (s *Server) searchExemplars(c *gin.Context) {
	if s.exemplars == nil {
		s.fail(c, errExemplarsOff)
		return
	}
	q, err := exemplarQuery(c.Request.URL.RawQuery)
	if err != nil {
		s.fail(c, err)
		return
	}
	ms, err := s.exemplars.Search(c.Request.Context(), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	resp := exemplarsResponse{Exemplars: make([]exemplarJSON, len(ms)), K: q.K}
	for i, m := range ms {
		resp.Exemplars[i] = exemplarJSON{
			ID: m.ID, Principle: m.Principle, Dimension: m.Dimension, Label: m.Label,
			Level: m.Level, Text: m.Text, Why: m.Why, Score: math.Round(m.Score*1e4) / 1e4,
		}
	}
	s.respond(c, http.StatusOK, resp)
}

// exemplarQuery parses the query string. Value checks beyond the shape of
// k are the searcher's (retrieval.Query.Validate).
func exemplarQuery(raw string) (retrieval.Query, error) {
	vals, err := url.ParseQuery(raw)
	if err != nil {
		return retrieval.Query{}, errorf(codeInvalidQuery, "the query string is malformed: %v", err)
	}
	for _, p := range exemplarParams {
		if len(vals[p]) > 1 {
			return retrieval.Query{}, errorf(codeInvalidQuery, "%s is given %d times; give it once", p, len(vals[p]))
		}
	}
	if !vals.Has("q") {
		return retrieval.Query{}, errorf(codeInvalidQuery, "q is required: the text to find exemplars for")
	}
	q := retrieval.Query{
		Text: vals.Get("q"),
		K:    retrieval.DefaultK,
		Filter: retrieval.Filter{
			Principle: vals.Get("principle"),
			Dimension: vals.Get("dimension"),
			Label:     vals.Get("label"),
		},
	}
	if vals.Has("k") {
		raw := vals.Get("k")
		k, err := strconv.Atoi(raw)
		if err != nil {
			if len(raw) > 20 {
				raw = raw[:20] + "…"
			}
			return q, errorf(codeInvalidQuery, "k must be an integer from 1 to %d, got %q", retrieval.MaxK, raw)
		}
		if k < 1 || k > retrieval.MaxK {
			return q, errorf(codeInvalidQuery, "k must be from 1 to %d, got %d", retrieval.MaxK, k)
		}
		q.K = k
	}
	return q, nil
}

// queryParam names a retrieval.QueryError field as the HTTP parameter
// that carries it.
func queryParam(field string) string {
	if field == "text" {
		return "q"
	}
	return field
}
