package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"barraiser/internal/rubric"
)

func runScore(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("score", flag.ContinueOnError)
	if code, ok := parseFlags(fs, "score FILE|-", 1, args, stdout, stderr); !ok {
		return code
	}
	name := fs.Arg(0)

	data, err := readTranscript(name, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "error: %v\n", err)
		return exitUsage
	}
	t, err := rubric.ParseTranscript(data)
	if err != nil {
		return reportInputError(stderr, err)
	}
	card, err := rubric.Score(t)
	if err != nil {
		return reportInputError(stderr, err)
	}
	out, err := json.MarshalIndent(card, "", "  ")
	if err != nil {
		fmt.Fprintf(stderr, "error: encode scorecard: %v\n", err)
		return exitFailure
	}
	if _, err := stdout.Write(append(out, '\n')); err != nil {
		fmt.Fprintf(stderr, "error: write scorecard: %v\n", err)
		return exitFailure
	}
	return exitOK
}

// readTranscript reads the named file, or stdin for "-", stopping one byte
// past the limit so the parser reports an oversize transcript without the
// whole of it being read.
func readTranscript(name string, stdin io.Reader) ([]byte, error) {
	r := stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, fmt.Errorf("cannot read transcript: %w", err)
		}
		defer f.Close()
		r = f
	} else {
		name = "standard input"
	}
	data, err := io.ReadAll(io.LimitReader(r, rubric.MaxTranscriptBytes+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read transcript from %s: %w", name, err)
	}
	return data, nil
}

// reportInputError prints "error: CODE: MESSAGE" for transcript problems
// (exit 2) and anything else as an internal failure (exit 1).
func reportInputError(stderr io.Writer, err error) int {
	if in, ok := errors.AsType[*rubric.InputError](err); ok {
		fmt.Fprintf(stderr, "error: %s: %v\n", in.Code, err)
		return exitUsage
	}
	fmt.Fprintf(stderr, "error: %v\n", err)
	return exitFailure
}

func runEval(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	if code, ok := parseFlags(fs, "eval DIR", 1, args, stdout, stderr); !ok {
		return code
	}
	dir := fs.Arg(0)

	if fi, err := os.Stat(dir); err != nil {
		fmt.Fprintf(stderr, "error: eval directory: %v\n", err)
		return exitUsage
	} else if !fi.IsDir() {
		fmt.Fprintf(stderr, "error: eval directory: %s is not a directory\n", dir)
		return exitUsage
	}
	cases, err := rubric.LoadEvalCases(os.DirFS(dir), ".")
	if err != nil {
		// The errors name files relative to dir; say which dir.
		return reportInputError(stderr, fmt.Errorf("%s: %w", dir, err))
	}
	report := rubric.Evaluate(cases)
	for _, miss := range report.Misses {
		fmt.Fprintln(stdout, miss)
	}
	fmt.Fprintln(stdout, report.Line())
	return exitOK
}
