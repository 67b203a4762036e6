// Package prompts holds the text/template files that the language-model
// interviewer (internal/llm/openai) renders into chat messages: the system
// prompt that sets the bar-raiser persona and its hard rules, and one user
// prompt per kind of turn (question, probe, wrap-up). They are parsed once
// at start-up, so a broken template stops the service from starting.
package prompts

import "embed"

// FS holds every template, *.tmpl. Each file defines a template named after
// the file (system.tmpl, question.tmpl, probe.tmpl, wrapup.tmpl); shared
// pieces live in common.tmpl as {{define}} blocks.
//
//go:embed *.tmpl
var FS embed.FS
