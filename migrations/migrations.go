// Package migrations holds barraiser's PostgreSQL schema as SQL files, run
// in order by goose (internal/store/postgres runs them on start-up and
// "api migrate" runs them on demand). A file is never edited once
// released: a change to the schema is a new, higher-numbered file.
package migrations

import "embed"

// FS holds every migration, NNNN_name.sql, with goose's "-- +goose Up" and
// "-- +goose Down" annotations.
//
//go:embed *.sql
var FS embed.FS
