// Package openai adapts any OpenAI-compatible endpoint (OpenAI, Ollama,
// vLLM, the llama.cpp server) to barraiser through
// github.com/sashabaranov/go-openai.
//
// Interviewer implements interview.Interviewer with a chat model: it
// renders the embedded prompt templates (package prompts) for each turn,
// streams the reply through an output guard that releases only checked
// text and refuses verdicts, rubric leaks and broken character, retries
// transient failures before the first token, and fails fast behind a
// circuit breaker. Whenever it fails it returns an error and the engine's
// scripted interviewer takes the turn. The chat code lives in chat*.go;
// the package also holds the OpenAI embedder that internal/retrieval uses.
package openai
