package httpapi_test

import (
	"testing"

	"barraiser/internal/httpapi"
)

// FuzzRecruiterBodies: no body sent to a recruiter route, however
// malformed, makes the server fail (5xx) or answer without the JSON error
// body.
func FuzzRecruiterBodies(f *testing.F) {
	h, _, token := memRecruiters(f, httpapi.Limits{LoginBurst: 1 << 30})
	routes := []struct{ method, path string }{
		{"POST", "/api/v1/question-sets"},
		{"POST", "/api/v1/invites"},
		{"POST", "/api/v1/invites/redeem"},
		{"POST", "/api/v1/auth/login"},
		{"PUT", "/api/v1/org/retention"},
		{"POST", "/api/v1/recruiters"},
		{"POST", "/api/v1/sessions"},
	}
	for i := range routes {
		f.Add(uint8(i), []byte(setJSON))
		f.Add(uint8(i), []byte(`{"code":"bri_x","email":"a@b.c","password":"p","question_set_id":"qs_1","retention_days":-1}`))
		f.Add(uint8(i), []byte(`[1,2,3]`))
		f.Add(uint8(i), []byte("{\"name\":\"\xff\"}"))
	}
	f.Fuzz(func(t *testing.T, route uint8, body []byte) {
		r := routes[int(route)%len(routes)]
		rec := call(t, h, r.method, r.path, token, string(body))
		if rec.Code >= 500 {
			t.Fatalf("%s %s: %d %s", r.method, r.path, rec.Code, rec.Body)
		}
	})
}
