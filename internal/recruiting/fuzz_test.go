package recruiting_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"barraiser/internal/recruiting"
)

// FuzzQuestionSetInput: whatever JSON a recruiter sends, Validate never
// panics, a refusal names a field, and an accepted input is a fixed point
// (validating it again changes nothing).
func FuzzQuestionSetInput(f *testing.F) {
	valid, _ := json.Marshal(validInput())
	f.Add(valid)
	f.Add([]byte(`{"name":"x","questions":[{"principle":"Ownership","text":"t","levels":["L9"]}]}`))
	f.Add([]byte(`{"name":"x","questions":[],"dimensions":["mechanism","mechanism"]}`))
	f.Add([]byte(`{"name":"\u0000","questions_per_interview":-1,"exemplars":[{"label":"weak"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var in recruiting.QuestionSetInput
		if json.Unmarshal(b, &in) != nil {
			return
		}
		out, err := in.Validate()
		if err != nil {
			var fe *recruiting.FieldError
			if !errors.As(err, &fe) || fe.Field == "" || fe.Reason == "" {
				t.Fatalf("Validate refused without naming a field: %v", err)
			}
			return
		}
		again, err := out.Validate()
		if err != nil || !reflect.DeepEqual(again, out) {
			t.Fatalf("an accepted input is not a fixed point: %v\n%+v\n%+v", err, out, again)
		}
	})
}
