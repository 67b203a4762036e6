# syntax=docker/dockerfile:1

# Build: a static binary of the API server (./cmd/api).
FROM golang:1.26-bookworm AS build
WORKDIR /src
ENV CGO_ENABLED=0
# Module downloads first, so they stay cached while only the code changes.
COPY go.mod go.sum* ./
RUN go mod download
COPY . .
RUN go build -trimpath -ldflags="-s -w" -o /out/api ./cmd/api

# Run: a slim Debian base with CA certificates (for OpenAI-compatible
# endpoints over TLS) and a non-root user.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --no-create-home barraiser
COPY --from=build /out/api /usr/local/bin/api
ENV LISTEN_ADDR=:8080
EXPOSE 8080
USER barraiser
HEALTHCHECK --interval=10s --timeout=3s CMD ["api", "healthcheck"]
ENTRYPOINT ["api", "serve"]
