package web

import (
	"html/template"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"testing"
)

// Everything a page loads comes from this FS: no other origin, and every
// local reference resolves.
func TestPagesAreSelfContained(t *testing.T) {
	ref := regexp.MustCompile(`(?:href|src)="([^"#]+)"`)
	imp := regexp.MustCompile(`(?m)^import\s[^'"\n]*['"]([^'"\n]+)['"]`)
	external := regexp.MustCompile(`(?i)(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}|@import|url\(\s*['"]?(?:https?:|//)`)
	err := fs.WalkDir(FS, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(FS, name)
		if err != nil {
			return err
		}
		text := string(b)
		if path.Ext(name) == ".html" {
			// A page as served: with the shared pieces (pages/*.tmpl) in.
			t, err := template.ParseFS(FS, name, "pages/*.tmpl")
			if err != nil {
				return err
			}
			var out strings.Builder
			if err := t.ExecuteTemplate(&out, path.Base(name), nil); err != nil {
				return err
			}
			text = out.String()
		}
		if name != "static/img/icon.svg" { // the SVG namespace is a name, not a load
			for _, m := range external.FindAllString(text, -1) {
				if !strings.Contains(m, "www.w3.org") {
					t.Errorf("%s refers to another origin: %q", name, m)
				}
			}
		}
		switch path.Ext(name) {
		case ".html":
			for _, m := range ref.FindAllStringSubmatch(text, -1) {
				u := m[1]
				if !strings.HasPrefix(u, "/static/") {
					continue // page links such as "/"
				}
				if _, err := fs.Stat(FS, strings.TrimPrefix(u, "/")); err != nil {
					t.Errorf("%s loads %s, which is not embedded", name, u)
				}
			}
			if !strings.Contains(text, `<html lang="en">`) || strings.Contains(text, "<script>") || strings.Contains(text, " style=") {
				t.Errorf("%s: want html[lang] and no inline script or style (the CSP forbids them)", name)
			}
		case ".js":
			for _, m := range imp.FindAllStringSubmatch(text, -1) {
				target := path.Join(path.Dir(name), m[1])
				if _, err := fs.Stat(FS, target); err != nil {
					t.Errorf("%s imports %s, which is not embedded", name, m[1])
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
