package prompts

import (
	"testing"
	"text/template"
)

// The interviewer needs these templates; it also renders them at start-up
// (internal/llm/openai), so this only checks they are embedded and parse.
func TestTemplatesParse(t *testing.T) {
	tmpl, err := template.ParseFS(FS, "*.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"system.tmpl", "question.tmpl", "probe.tmpl", "wrapup.tmpl", "context", "history"} {
		if tmpl.Lookup(name) == nil {
			t.Errorf("template %s is missing", name)
		}
	}
}
