// Package web holds the candidate-facing pages, embedded in the binary.
//
// Layout (no build step: plain HTML, CSS and ES modules):
//
//	pages/         one HTML document per page; httpapi/pages.go maps routes to them and
//	               renders each once at start-up with html/template, so a page pulls
//	               in the pieces every page shares from pages/partials.tmpl (the head,
//	               the site and console headers)
//	static/css/    base.css (design tokens, layout, header, forms, buttons) shared by
//	               every page, then one stylesheet per page
//	static/js/     ES modules: api.js (fetch + JSON errors), dom.js (element helpers),
//	               store.js (sessionStorage), labels.js (rubric names), live.js (the
//	               reconnecting interview socket), and one entry module per page
//	static/js/console/  the recruiter console (pages/console*.html): capi.js (the
//	               recruiter API with the CSRF header), shell.js (login check, header,
//	               live region), fields.js (server field errors shown inline), a module
//	               per page; the console's scorecard view reuses ../scorecard.js
//
// Every file is served from this FS under /static/; pages load nothing from
// any other origin (the server's Content-Security-Policy forbids it). A new
// area (for example a recruiter console) adds its pages here, its routes in
// httpapi/routes.go, and reuses base.css, api.js and dom.js.
package web

import "embed"

// FS holds pages/ and static/.
//
//go:embed pages static
var FS embed.FS
