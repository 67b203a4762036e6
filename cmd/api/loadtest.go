package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gorilla/websocket"

	"barraiser/internal/interview"
	"barraiser/internal/knowledge"
)

// "api loadtest" drives simulated candidates through live interviews
// against a barraiser server on this host and prints what it measured.
// By default it starts the server in-process, wired exactly as serve
// wires it but with the fake LLM (fakellm.go) as its OpenAI-compatible
// endpoint, so the real streaming interviewer is under load.
//
// Each candidate starts a session (one question, probes=answers), opens
// its websocket, reads the first question, waits for every other
// candidate to get that far (-hold), then answers -answers times, each
// answer 80-150 words and tagged with a project codename unique to it,
// waiting for the interviewer's probe after each, and finally sends end
// and waits for the scorecard.

// Limits of the simulated candidates.
const (
	// ltReplyTimeout bounds every wait for an interviewer message: the
	// interviewer's own RequestTimeout (30s) plus the scripted fallback.
	ltReplyTimeout = time.Minute
	// ltKeepAlive is how often an idle candidate pings, so that a long
	// hold does not pass the server's PongWait.
	ltKeepAlive = 20 * time.Second
	// ltWriteWait bounds every client write; ltCloseWait the close
	// handshake at the end.
	ltWriteWait = 10 * time.Second
	ltCloseWait = 2 * time.Second
	// ltShutdown bounds stopping the in-process servers.
	ltShutdown = 10 * time.Second
)

// Error kinds, as printed.
const (
	ltErrHTTP       = "http"             // POST /api/v1/sessions failed
	ltErrDial       = "dial"             // the websocket did not open
	ltErrFrame      = "error_frame"      // the server sent an error frame
	ltErrClosed     = "unexpected_close" // the connection ended mid-interview
	ltErrTimeout    = "timeout"          // no interviewer message in time, or -timeout passed
	ltErrProtocol   = "protocol"         // a frame that makes no sense here
	ltErrNotStarted = "not_started"      // -timeout or a signal came before the session's turn
)

var ltErrorKinds = []string{ltErrHTTP, ltErrDial, ltErrFrame, ltErrClosed, ltErrTimeout, ltErrProtocol, ltErrNotStarted}

// noticeFallback is the notice the engine sends when the scripted
// interviewer takes a turn from the LLM.
const noticeFallback = "interviewer_fallback"

type loadOptions struct {
	target, fake      string
	sessions, answers int
	ramp, think       time.Duration
	ttft, timeout     time.Duration
	tps               float64
	hold              bool
	logLevel          string
	cpuProfile        string
	memProfile        string
	progress          io.Writer // a line a second, when set
}

func runLoadtest(ctx context.Context, cfg config, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	var o loadOptions
	fs.StringVar(&o.target, "target", "", "base `URL` of a running barraiser on this host (loopback only); empty starts one in-process")
	fs.StringVar(&o.fake, "fake", "", "with -target: base `URL` of the \"api fakellm\" the target uses as its LLM, for the overheads")
	fs.IntVar(&o.sessions, "sessions", 2000, "`number` of simulated candidates")
	fs.IntVar(&o.answers, "answers", 2, fmt.Sprintf("answers per session (1-%d); each is probed, then the candidate ends the interview", interview.MaxProbes))
	fs.DurationVar(&o.ramp, "ramp", 10*time.Second, "time over which the sessions start")
	fs.DurationVar(&o.ttft, "ttft", fakeDefaultTTFT, "in-process fake LLM: time to first token")
	fs.Float64Var(&o.tps, "tps", fakeDefaultTPS, "in-process fake LLM: chunks (tokens) per second; 0 sends them at once")
	fs.DurationVar(&o.think, "think", time.Second, "a candidate's pause before each answer (jittered by ±50%)")
	fs.DurationVar(&o.timeout, "timeout", 5*time.Minute, "give up after this long")
	fs.BoolVar(&o.hold, "hold", true, "hold every candidate after the first question until all have connected, so all interviews are live at once;\nthen each goes on at its offset in the ramp")
	fs.StringVar(&o.logLevel, "log-level", "warn", "in-process server's log `level`")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the run (server included, in-process) to `file`")
	fs.StringVar(&o.memProfile, "memprofile", "", "write a heap profile (in use, after a GC) at the hold, every session live and idle, to `file`;\nin-process only, and it includes the load client's side of each session")
	progress := fs.Bool("progress", false, "print a progress line a second on stderr")
	if code, ok := parseFlags(fs, "loadtest [FLAGS]", 0, args, stdout, stderr); !ok {
		return code
	}
	if *progress {
		o.progress = stderr
	}
	if err := o.check(); err != nil {
		fmt.Fprintf(stderr, "api loadtest: %v\n", err)
		return exitUsage
	}

	files := ltRaiseFileLimit(o)
	if !files.ok {
		fmt.Fprintf(stderr, "api loadtest: %s\n", files)
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()

	var env *ltEnv
	var err error
	if o.target == "" {
		env, err = ltStartInProcess(ctx, cfg, o, stderr)
	} else {
		env, err = ltRemoteEnv(o)
	}
	if err != nil {
		fmt.Fprintf(stderr, "api loadtest: %v\n", err)
		return exitFailure
	}
	defer env.close()

	if o.cpuProfile != "" {
		stop, err := ltStartCPUProfile(o.cpuProfile)
		if err != nil {
			fmt.Fprintf(stderr, "api loadtest: %v\n", err)
			return exitFailure
		}
		defer stop()
	}
	lt := newLoadtest(o, env)
	rep := lt.run(ctx)
	rep.files = files
	rep.print(stdout)
	if lt.memProfileErr != nil {
		fmt.Fprintf(stderr, "api loadtest: %v\n", lt.memProfileErr)
	}
	if !rep.passed() {
		return exitFailure
	}
	return exitOK
}

// ltWriteHeapProfile writes the in-use heap (as of the last GC) to file.
func ltWriteHeapProfile(file string) error {
	f, err := os.Create(file)
	if err != nil {
		return fmt.Errorf("heap profile: %w", err)
	}
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		f.Close()
		return fmt.Errorf("heap profile: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("heap profile: %w", err)
	}
	return nil
}

// ltStartCPUProfile profiles the process into file until stop is called.
func ltStartCPUProfile(file string) (stop func(), err error) {
	f, err := os.Create(file)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

func (o loadOptions) check() error {
	switch {
	case o.sessions < 1:
		return errors.New("-sessions must be at least 1")
	case o.answers < 1 || o.answers > interview.MaxProbes:
		return fmt.Errorf("-answers must be between 1 and %d", interview.MaxProbes)
	case o.ramp < 0 || o.think < 0 || o.ttft < 0 || o.tps < 0:
		return errors.New("-ramp, -think, -ttft and -tps must not be negative")
	case o.timeout <= 0:
		return errors.New("-timeout must be positive")
	case o.fake != "" && o.target == "":
		return errors.New("-fake goes with -target; without -target the fake LLM runs in-process")
	case o.memProfile != "" && o.target != "":
		return errors.New("-memprofile profiles the in-process server; it does not go with -target")
	case o.memProfile != "" && !o.hold:
		return errors.New("-memprofile is written at the hold; it needs -hold")
	}
	if o.target != "" {
		if _, err := checkLoopbackURL(o.target); err != nil {
			return fmt.Errorf("-target: %w", err)
		}
	}
	if o.fake != "" {
		if _, err := checkLoopbackURL(o.fake); err != nil {
			return fmt.Errorf("-fake: %w", err)
		}
	}
	return nil
}

// checkLoopbackURL accepts an http(s) or ws(s) URL whose host is
// localhost or a loopback address; this tool loads nothing else.
func checkLoopbackURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%q is not a URL", raw)
	}
	switch u.Scheme {
	case "http", "https", "ws", "wss":
	default:
		return nil, fmt.Errorf("%q is not an http(s) URL", raw)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("%q has no host", raw)
	}
	if !isLoopbackHost(u.Hostname()) {
		return nil, fmt.Errorf("host %q is not loopback: api loadtest only targets 127.0.0.1, ::1 or localhost", u.Hostname())
	}
	return u, nil
}

// ltFileLimit is what ltRaiseFileLimit found.
type ltFileLimit struct {
	cur, max, was, need uint64
	err                 error
	ok                  bool
}

func (f ltFileLimit) String() string {
	s := fmt.Sprintf("limit=%d hard=%d needed~%d", f.cur, f.max, f.need)
	if f.was != f.cur {
		s += fmt.Sprintf(" (raised from %d)", f.was)
	}
	switch {
	case f.err != nil:
		s += " could not raise: " + f.err.Error()
	case !f.ok:
		s += " TOO LOW: raise the hard limit (ulimit -Hn) or run fewer sessions"
	}
	return s
}

// ltRaiseFileLimit raises the soft open-file limit to the hard one. Every
// interview needs a websocket (two descriptors in-process, one per side)
// and, while the interviewer speaks, a stream to the fake LLM (two more).
func ltRaiseFileLimit(o loadOptions) ltFileLimit {
	var f ltFileLimit
	f.need = uint64(o.sessions) + 64
	if o.target == "" {
		f.need = 4*uint64(o.sessions) + 64
	}
	var r syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &r); err != nil {
		f.err = err
		return f
	}
	f.cur, f.max, f.was = r.Cur, r.Max, r.Cur
	if r.Cur < r.Max {
		r.Cur = r.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &r); err != nil {
			f.err = err
		} else {
			f.cur = r.Max
		}
	}
	f.ok = f.cur >= f.need
	return f
}

// ltEnv is the server under load and what can be learnt about it.
type ltEnv struct {
	base      string        // http://HOST:PORT of the server
	describe  string        // for the report
	inProcess bool          // server, fake and client share this process
	fake      *fakeEndpoint // the in-process fake, or nil
	fakeURL   string        // the remote fake, or ""
	live      func() int    // the server's open interview websockets, nil if unknown
	client    *http.Client
	close     func()
}

// ltStartInProcess starts the fake LLM and the server, on loopback ports
// the system picks. The server is buildApp's, served as serve serves it.
func ltStartInProcess(ctx context.Context, cfg config, o loadOptions, stderr io.Writer) (*ltEnv, error) {
	var lc net.ListenConfig
	fake := newFakeEndpoint(o.ttft, o.tps)
	fln, err := lc.Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("fake LLM: listen: %w", err)
	}
	fakeSrv := fake.newServer()
	go func() { _ = fakeSrv.Serve(fln) }()

	cfg.OpenAIBaseURL = "http://" + fln.Addr().String() + "/v1"
	cfg.OpenAIModel = fakeModel
	cfg.OpenAIKey = "" // never send a real key, even to loopback
	// Every simulated candidate comes from loopback: a per-address limit
	// would measure the limiter, not the server.
	cfg.RateLimitIP = 0
	cfg.LogLevel = o.logLevel
	logger, err := cfg.logger(stderr)
	if err != nil {
		_ = fakeSrv.Close()
		return nil, err
	}
	a, err := buildApp(ctx, cfg, logger)
	if err != nil {
		_ = fakeSrv.Close()
		return nil, fmt.Errorf("build the server: %w", err)
	}
	srv := &http.Server{
		Handler:           a.api.Handler(),
		ReadHeaderTimeout: readHeaderTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	srv.RegisterOnShutdown(func() { _ = a.api.Close() })
	ln, err := lc.Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		a.close()
		_ = fakeSrv.Close()
		return nil, fmt.Errorf("listen: %w", err)
	}
	go func() { _ = srv.Serve(ln) }()
	store := "memory"
	if cfg.DatabaseURL != "" {
		store = "postgres"
	}
	env := &ltEnv{
		base:      "http://" + ln.Addr().String(),
		describe:  fmt.Sprintf("in-process %s (store %s, interviewer openai:%s)", ln.Addr(), store, fakeModel),
		inProcess: true,
		fake:      fake,
		live:      a.api.LiveConnections,
		client:    ltHTTPClient(o),
	}
	env.close = func() {
		sctx, cancel := context.WithTimeout(context.Background(), ltShutdown)
		defer cancel()
		if srv.Shutdown(sctx) != nil {
			_ = srv.Close()
		}
		a.close()
		if fakeSrv.Shutdown(sctx) != nil {
			_ = fakeSrv.Close()
		}
		env.client.CloseIdleConnections()
	}
	return env, nil
}

// ltRemoteEnv loads a server that runs elsewhere on this host.
func ltRemoteEnv(o loadOptions) (*ltEnv, error) {
	env := &ltEnv{
		base:     strings.TrimSuffix(o.target, "/"),
		describe: strings.TrimSuffix(o.target, "/"),
		fakeURL:  strings.TrimSuffix(o.fake, "/"),
		client:   ltHTTPClient(o),
	}
	env.close = env.client.CloseIdleConnections
	return env, nil
}

func ltHTTPClient(o loadOptions) *http.Client {
	conns := min(o.sessions, 512)
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			Proxy:               nil, // loopback only, never through a proxy
			DialContext:         (&net.Dialer{Timeout: 10 * time.Second}).DialContext,
			MaxIdleConns:        conns,
			MaxIdleConnsPerHost: conns,
			IdleConnTimeout:     30 * time.Second,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// ltSample is one look at the server's resources.
type ltSample struct {
	heap, rss  uint64 // bytes; 0 when unknown
	goroutines int
	live       int     // the server's open interview websockets; -1 when unknown
	cpu        float64 // CPU seconds used so far; peak: the most in one second
	machine    float64 // CPU seconds the whole host used so far (every process); peak as cpu
	others     float64 // peak only: the most other processes used in one second
	ok         bool
}

// sample reads the server's heap in use, RSS and goroutines: from the
// runtime in-process (after a GC when gc is set), else from /metrics.
func (e *ltEnv) sample(ctx context.Context, gc bool) ltSample {
	s := e.sampleServer(ctx, gc)
	s.machine = ltHostCPU()
	return s
}

func (e *ltEnv) sampleServer(ctx context.Context, gc bool) ltSample {
	if e.inProcess {
		if gc {
			runtime.GC()
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ltSample{heap: ms.HeapInuse, rss: ltSelfRSS(), goroutines: runtime.NumGoroutine(), live: e.live(), cpu: ltSelfCPU(), ok: true}
	}
	m, err := e.scrape(ctx)
	if err != nil {
		return ltSample{live: -1}
	}
	s := ltSample{heap: uint64(m["go_memstats_heap_inuse_bytes"]), rss: uint64(m["process_resident_memory_bytes"]),
		goroutines: int(m["go_goroutines"]), live: -1, cpu: m["process_cpu_seconds_total"], ok: true}
	if v, ok := m["barraiser_live_sessions"]; ok {
		s.live = int(v)
	}
	return s
}

// scrape reads the unlabelled samples of the target's /metrics.
func (e *ltEnv) scrape(ctx context.Context) (map[string]float64, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.base+"/metrics", nil)
	if err != nil {
		return nil, err
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("/metrics: %s", resp.Status)
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' || strings.Contains(line, "{") {
			continue
		}
		name, value, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		if v, err := strconv.ParseFloat(strings.TrimSpace(value), 64); err == nil {
			out[name] = v
		}
	}
	return out, sc.Err()
}

// ltSelfCPU is the CPU time (user and system) this process has used, in
// seconds.
func ltSelfCPU() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// ltHostCPU is the CPU time every process on the host has used, in
// seconds, from /proc/stat; 0 when unknown.
func ltHostCPU() float64 {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 8 || f[0] != "cpu" {
		return 0
	}
	var busy float64
	for i, v := range f[1:] {
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return 0
		}
		if i == 3 || i == 4 || i >= 8 { // idle, iowait; guest time is already in user
			continue
		}
		busy += n
	}
	return busy / 100 // USER_HZ is 100 on Linux
}

// ltSelfRSS is this process's resident set size, 0 when unknown (not
// Linux).
func ltSelfRSS() uint64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	pages, err := strconv.ParseUint(f[1], 10, 64)
	if err != nil {
		return 0
	}
	return pages * uint64(os.Getpagesize())
}

// fakeLog returns the fake LLM's request log, when there is a fake to ask.
func (e *ltEnv) fakeLog(ctx context.Context) (*fakeLog, error) {
	if e.fake != nil {
		e.fake.waitIdle(ctx, 2*time.Second)
		l := e.fake.snapshot()
		return &l, nil
	}
	if e.fakeURL == "" {
		return nil, errors.New("unavailable with -target unless -fake names the fake LLM the target uses")
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.fakeURL+fakeRequestsPath, nil)
	if err != nil {
		return nil, err
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fake LLM log: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fake LLM log: %s %s", fakeRequestsPath, resp.Status)
	}
	var l fakeLog
	if err := json.NewDecoder(resp.Body).Decode(&l); err != nil {
		return nil, fmt.Errorf("fake LLM log: %w", err)
	}
	return &l, nil
}

// loadtest is one run.
type loadtest struct {
	o       loadOptions
	env     *ltEnv
	dialer  *websocket.Dialer
	tagBase int
	seed    uint64
	results []ltSession

	live, peakLive atomic.Int64
	arrived        atomic.Int64 // candidates at the hold, or never getting there
	released       chan struct{}
	barrier        ltSample
	barrierLive    int64
	barrierAt      time.Duration
	memProfileErr  error // from writing -memprofile at the hold
	start          time.Time
}

// ltSession is what one candidate saw.
type ltSession struct {
	started, completed bool
	failure            string         // the error kind that ended it
	errorFrames        map[string]int // by code
	notices            map[string]int // by code
	open               ltTurn         // POST → first question
	turns              []ltTurn       // one per answer
	early              bool           // the interview wrapped up before every answer was sent
}

// ltTurn is one answer and the interviewer's reply. Times are Unix
// nanoseconds, comparable with the fake LLM's.
type ltTurn struct {
	tag      string
	kind     string // the reply's kind: probe, question or wrapup
	sent     int64
	first    int64   // the first token frame
	done     int64   // the whole message
	tokens   []int64 // every token frame's arrival
	fallback bool
}

func newLoadtest(o loadOptions, env *ltEnv) *loadtest {
	seed := rand.Uint64()
	span := ltCodenames - o.sessions*o.answers
	return &loadtest{
		o:   o,
		env: env,
		dialer: &websocket.Dialer{
			Proxy:            nil,
			HandshakeTimeout: 10 * time.Second,
			ReadBufferSize:   2048,
			WriteBufferSize:  2048,
			WriteBufferPool:  &sync.Pool{},
		},
		tagBase:  int(seed % uint64(max(span, 1))),
		seed:     seed,
		results:  make([]ltSession, o.sessions),
		released: make(chan struct{}),
	}
}

// run drives every candidate and gathers the report.
func (lt *loadtest) run(ctx context.Context) *ltReport {
	rep := &ltReport{o: lt.o, env: lt.env}
	rep.baseline = lt.env.sample(ctx, true)
	if !lt.o.hold {
		close(lt.released)
	}
	lt.start = time.Now()
	mon := lt.monitor(ctx)
	var wg sync.WaitGroup
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for i := range lt.o.sessions {
		due := lt.start.Add(lt.offset(i))
		if d := time.Until(due); d > 0 {
			timer.Reset(d)
			select {
			case <-timer.C:
			case <-ctx.Done():
				timer.Stop()
			}
		}
		if ctx.Err() != nil {
			for j := i; j < lt.o.sessions; j++ {
				lt.results[j].failure = ltErrNotStarted
				lt.arrive()
			}
			break
		}
		wg.Go(func() { lt.candidate(ctx, i) })
	}
	wg.Wait()
	rep.duration = time.Since(lt.start)
	peak := mon()
	rep.end = lt.env.sample(ctx, false)

	rep.sessions = lt.results
	rep.peakLive = lt.peakLive.Load()
	peak.heap, peak.rss = max(peak.heap, lt.barrier.heap), max(peak.rss, lt.barrier.rss)
	peak.goroutines = max(peak.goroutines, lt.barrier.goroutines)
	rep.peak = peak
	rep.barrier, rep.barrierLive, rep.barrierAt = lt.barrier, lt.barrierLive, lt.barrierAt
	rep.fake, rep.fakeErr = lt.env.fakeLog(ctx)
	return rep
}

// offset is when candidate i starts, from the start of the ramp.
func (lt *loadtest) offset(i int) time.Duration {
	return time.Duration(int64(lt.o.ramp) * int64(i) / int64(lt.o.sessions))
}

// monitor samples peaks until the returned stop is called.
func (lt *loadtest) monitor(ctx context.Context) func() ltSample {
	done := make(chan struct{})
	out := make(chan ltSample, 1)
	go func() {
		var peak, last ltSample
		var lastAt time.Time
		fast := time.NewTicker(100 * time.Millisecond)
		defer fast.Stop()
		for n := 0; ; n++ {
			if lt.env.inProcess {
				peak.goroutines = max(peak.goroutines, runtime.NumGoroutine())
			}
			if n%10 == 0 { // every second: memory and CPU (and goroutines, remotely)
				s := lt.env.sample(ctx, false)
				now := time.Now()
				if s.ok {
					peak.ok = true
					peak.heap, peak.rss = max(peak.heap, s.heap), max(peak.rss, s.rss)
					peak.goroutines = max(peak.goroutines, s.goroutines)
					peak.live = max(peak.live, s.live)
					cpu, machine := 0.0, 0.0
					if last.ok {
						secs := now.Sub(lastAt).Seconds()
						cpu = (s.cpu - last.cpu) / secs
						machine = (s.machine - last.machine) / secs
						peak.cpu = max(peak.cpu, cpu)
						peak.machine = max(peak.machine, machine)
						if lt.env.inProcess {
							peak.others = max(peak.others, machine-cpu)
						}
					}
					if lt.o.progress != nil {
						streams := "?"
						if lt.env.fake != nil {
							streams = strconv.FormatInt(lt.env.fake.inflight.Load(), 10)
						}
						fmt.Fprintf(lt.o.progress, "loadtest: t=%s live=%d held=%d streams=%s cpu=%.2f host_cpu=%.2f heap=%s goroutines=%d\n",
							time.Since(lt.start).Round(time.Second), lt.live.Load(), lt.arrived.Load(), streams, cpu, machine, ltMiB(s.heap), s.goroutines)
					}
					last, lastAt = s, now
				}
			}
			select {
			case <-done:
				out <- peak
				return
			case <-fast.C:
			}
		}
	}()
	return func() ltSample { close(done); return <-out }
}

// arrive counts a candidate at the hold (or one that will never get
// there); the last one measures the server with every session live and
// idle, then releases them all.
func (lt *loadtest) arrive() {
	if lt.arrived.Add(1) != int64(lt.o.sessions) || !lt.o.hold {
		return
	}
	lt.barrierLive = lt.live.Load()
	lt.barrier = lt.env.sample(context.Background(), true)
	lt.barrierAt = time.Since(lt.start)
	if lt.o.memProfile != "" {
		lt.memProfileErr = ltWriteHeapProfile(lt.o.memProfile)
	}
	close(lt.released)
}

func (lt *loadtest) connected() {
	n := lt.live.Add(1)
	for {
		p := lt.peakLive.Load()
		if n <= p || lt.peakLive.CompareAndSwap(p, n) {
			return
		}
	}
}

// ltError ends a candidate's interview.
type ltError struct {
	kind string
	err  error
}

func (e *ltError) Error() string { return e.kind + ": " + e.err.Error() }

func ltFail(kind string, err error) error { return &ltError{kind: kind, err: err} }

// candidate runs one simulated interview.
func (lt *loadtest) candidate(ctx context.Context, i int) {
	s := &lt.results[i]
	held := false
	defer func() {
		if !held {
			lt.arrive()
		}
	}()
	err := lt.interview(ctx, i, s, &held)
	if err == nil {
		s.completed = true
		return
	}
	var le *ltError
	switch {
	case errors.As(err, &le):
		s.failure = le.kind
	default:
		s.failure = ltErrProtocol
	}
}

// ltStarted is the part of POST /api/v1/sessions's answer a candidate uses.
type ltStarted struct {
	ID    string `json:"id"`
	Token string `json:"token"`
	WSURL string `json:"ws_url"`
}

func (lt *loadtest) interview(ctx context.Context, i int, s *ltSession, held *bool) error {
	rng := rand.New(rand.NewPCG(lt.seed, uint64(i)))
	s.open.sent = time.Now().UnixNano()
	started, err := lt.startSession(ctx, i, rng)
	if err != nil {
		return ltFail(ltErrHTTP, err)
	}
	s.started = true
	if _, err := checkLoopbackURL(started.WSURL); err != nil {
		return ltFail(ltErrProtocol, fmt.Errorf("ws_url: %w", err))
	}
	conn, resp, err := lt.dialer.DialContext(ctx, started.WSURL, http.Header{"Authorization": {"Bearer " + started.Token}})
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	if err != nil {
		return ltFail(ltErrDial, err)
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()
	defer conn.Close()
	lt.connected()
	defer lt.live.Add(-1)
	c := &ltConn{ctx: ctx, conn: conn, s: s}

	// The greeting and first question.
	kind, err := c.reply(&s.open)
	if err != nil {
		return err
	}
	if kind != interview.KindQuestion {
		return ltFail(ltErrProtocol, fmt.Errorf("the interview opened with a %s", kind))
	}
	*held = true
	lt.arrive()
	if err := c.pause(0, lt.released); err != nil {
		return err
	}
	if lt.o.hold {
		// Keep the ramp's stagger: released together, the candidates
		// would all answer within one think time.
		if err := c.pause(lt.offset(i), nil); err != nil {
			return err
		}
	}

	style := ltStyles[i%len(ltStyles)]
	for k := range lt.o.answers {
		think := time.Duration(float64(lt.o.think) * (0.5 + rng.Float64()))
		if err := c.pause(think, nil); err != nil {
			return err
		}
		t := ltTurn{tag: ltCodename(lt.tagBase + i*lt.o.answers + k)}
		text := ltAnswer(rng, style, t.tag, k)
		id := fmt.Sprintf("lt-%x-%d-%d", lt.seed&0xffffff, i, k)
		if err := c.send(&t.sent, map[string]string{"type": "answer", "text": text, "id": id}); err != nil {
			return err
		}
		kind, err := c.reply(&t)
		s.turns = append(s.turns, t)
		if err != nil {
			return err
		}
		if kind == interview.KindWrapUp {
			s.early = k+1 < lt.o.answers
			return c.finish()
		}
	}
	if err := c.send(nil, map[string]string{"type": "end"}); err != nil {
		return err
	}
	var wrap ltTurn
	kind, err = c.reply(&wrap)
	if err != nil {
		return err
	}
	if kind != interview.KindWrapUp {
		return ltFail(ltErrProtocol, fmt.Errorf("end was answered with a %s", kind))
	}
	return c.finish()
}

func (lt *loadtest) startSession(ctx context.Context, i int, rng *rand.Rand) (*ltStarted, error) {
	body, _ := json.Marshal(map[string]any{
		"principles": []string{knowledge.PrincipleNames[rng.IntN(len(knowledge.PrincipleNames))]},
		"level":      knowledge.Levels[rng.IntN(len(knowledge.Levels))],
		"questions":  1,
		"probes":     lt.o.answers,
		"candidate":  fmt.Sprintf("loadtest-%d", i),
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, lt.env.base+"/api/v1/sessions", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := lt.env.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusCreated {
		return nil, fmt.Errorf("POST /api/v1/sessions: %s: %s", resp.Status, bytes.TrimSpace(b))
	}
	var out ltStarted
	if err := json.Unmarshal(b, &out); err != nil || out.WSURL == "" || out.Token == "" {
		return nil, fmt.Errorf("POST /api/v1/sessions: unexpected answer %.200q", b)
	}
	return &out, nil
}

// ltConn is a candidate's side of the websocket: one goroutine reads and
// writes.
type ltConn struct {
	ctx  context.Context
	conn *websocket.Conn
	s    *ltSession
	buf  bytes.Buffer
}

// ltFrame is any server frame; which fields count depends on Type.
type ltFrame struct {
	Type string `json:"type"`
	Code string `json:"code"`
}

var ltTokenPrefix = []byte(`{"type":"token"`)

// next reads one frame and when it arrived.
func (c *ltConn) next(deadline time.Time) (ltFrame, int64, error) {
	_ = c.conn.SetReadDeadline(deadline)
	_, r, err := c.conn.NextReader()
	if err == nil {
		c.buf.Reset()
		_, err = c.buf.ReadFrom(r)
	}
	at := time.Now().UnixNano()
	if err != nil {
		return ltFrame{}, at, c.broken(err)
	}
	b := c.buf.Bytes()
	if bytes.HasPrefix(b, ltTokenPrefix) { // most frames: skip the decoding
		return ltFrame{Type: "token"}, at, nil
	}
	var f ltFrame
	if err := json.Unmarshal(b, &f); err != nil {
		return f, at, ltFail(ltErrProtocol, fmt.Errorf("frame %.100q: %w", b, err))
	}
	return f, at, nil
}

// broken classifies a failed read or write.
func (c *ltConn) broken(err error) error {
	var ne net.Error
	switch {
	case c.ctx.Err() != nil && errors.Is(c.ctx.Err(), context.DeadlineExceeded):
		return ltFail(ltErrTimeout, fmt.Errorf("-timeout passed: %w", err))
	case c.ctx.Err() != nil:
		return ltFail(ltErrClosed, fmt.Errorf("interrupted: %w", err))
	case errors.As(err, &ne) && ne.Timeout():
		return ltFail(ltErrTimeout, err)
	}
	return ltFail(ltErrClosed, err)
}

// reply reads until the interviewer's next message, noting in t when its
// tokens and the message arrived, and returns its kind.
func (c *ltConn) reply(t *ltTurn) (string, error) {
	deadline := time.Now().Add(ltReplyTimeout)
	for {
		f, at, err := c.next(deadline)
		if err != nil {
			return "", err
		}
		switch f.Type {
		case "token":
			if t.first == 0 {
				t.first = at
			}
			t.tokens = append(t.tokens, at)
		case interview.KindQuestion, interview.KindProbe, interview.KindWrapUp:
			t.done, t.kind = at, f.Type
			return f.Type, nil
		case "notice":
			c.note(f.Code)
			if f.Code == noticeFallback {
				t.fallback = true
			}
		case "error":
			return "", c.errorFrame(f.Code)
		case "scorecard":
			return "", ltFail(ltErrProtocol, errors.New("a scorecard before the wrap-up"))
		case "session", "ack", "pong", "resumed":
		default: // a frame type newer than this tool: counted, not fatal
			c.note("frame:" + f.Type)
		}
	}
}

func (c *ltConn) note(code string) {
	if c.s.notices == nil {
		c.s.notices = map[string]int{}
	}
	c.s.notices[code]++
}

// errorFrame counts an error frame; the interview cannot go on after it
// (the answer it refused will get no reply).
func (c *ltConn) errorFrame(code string) error {
	if c.s.errorFrames == nil {
		c.s.errorFrames = map[string]int{}
	}
	c.s.errorFrames[code]++
	return ltFail(ltErrFrame, fmt.Errorf("error frame %q", code))
}

// finish waits for the scorecard after the wrap-up and closes the
// connection cleanly.
func (c *ltConn) finish() error {
	deadline := time.Now().Add(ltReplyTimeout)
	for {
		f, _, err := c.next(deadline)
		if err != nil {
			return err
		}
		switch f.Type {
		case "scorecard":
			_ = c.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, "done"),
				time.Now().Add(ltCloseWait))
			_ = c.conn.SetReadDeadline(time.Now().Add(ltCloseWait))
			for {
				if _, _, err := c.conn.NextReader(); err != nil {
					return nil // the server's close frame, or gone: either way done
				}
			}
		case "error":
			return c.errorFrame(f.Code)
		case "notice":
			c.note(f.Code)
		}
	}
}

// send writes a frame; sent, when given, receives the time just before
// the write.
func (c *ltConn) send(sent *int64, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_ = c.conn.SetWriteDeadline(time.Now().Add(ltWriteWait))
	if sent != nil {
		*sent = time.Now().UnixNano()
	}
	if err := c.conn.WriteMessage(websocket.TextMessage, b); err != nil {
		return c.broken(err)
	}
	return nil
}

var ltPing = []byte(`{"type":"ping"}`)

// pause waits for d, or until until is closed when it is not nil, pinging
// every ltKeepAlive so the server does not give the idle client up. The
// pongs are read, and skipped, with the next reply.
func (c *ltConn) pause(d time.Duration, until <-chan struct{}) error {
	end := time.Now().Add(d)
	t := time.NewTimer(time.Hour)
	defer t.Stop()
	for {
		wait := ltKeepAlive
		if until == nil {
			left := time.Until(end)
			if left <= 0 {
				return nil
			}
			wait = min(wait, left)
		}
		t.Reset(wait)
		select {
		case <-until:
			return nil
		case <-c.ctx.Done():
			return c.broken(c.ctx.Err())
		case <-t.C:
		}
		if until != nil || time.Until(end) > 0 {
			_ = c.conn.SetWriteDeadline(time.Now().Add(ltWriteWait))
			if err := c.conn.WriteMessage(websocket.TextMessage, ltPing); err != nil {
				return c.broken(err)
			}
		}
	}
}

// Project codenames tag answers: five consonant-vowel syllables,
// "Kalomireda", unique per answer within a run and unlikely to repeat one
// an earlier run left in a long-running fake's log.
const (
	ltConsonants = "bdfgklmnprstvz"
	ltVowels     = "aeiou"
	ltSyllables  = len(ltConsonants) * len(ltVowels)
	ltCodenames  = ltSyllables * ltSyllables * ltSyllables * ltSyllables * ltSyllables
)

func ltCodename(n int) string {
	n %= ltCodenames
	b := make([]byte, 0, 10)
	for range 5 {
		s := n % ltSyllables
		n /= ltSyllables
		b = append(b, ltConsonants[s/len(ltVowels)], ltVowels[s%len(ltVowels)])
	}
	b[0] -= 'a' - 'A'
	return string(b)
}

// Answer styles: how the simulated candidates talk.
const (
	ltStyleWe       = "we"        // the team did everything
	ltStyleNoNumber = "no-number" // first person, but no figures
	ltStyleStrong   = "strong"    // first person, figures, a mechanism
	ltStyleVague    = "vague"     // generalities, little of a real example
)

var ltStyles = []string{ltStyleWe, ltStyleNoNumber, ltStyleStrong, ltStyleVague}

var (
	ltOpeners = []string{
		"On Project %s, the checkout service started timing out every evening at peak load and customers were abandoning their carts.",
		"On Project %s, our nightly billing export kept failing and nobody clearly owned it.",
		"On Project %s, the mobile release was blocked because crash reports had doubled after a library upgrade.",
		"On Project %s, I found that the search index was silently dropping updates for some of our sellers.",
		"On Project %s, the onboarding flow had a step that confused new customers and support tickets kept piling up.",
	}
	ltFollowOpeners = []string{
		"On Project %s, to go back to what happened next,",
		"On Project %s, to be more specific about that part,",
		"On Project %s, picking up where I left off,",
	}
	ltSentences = map[string][]string{
		ltStyleWe: {
			"We got together as a team and looked at the dashboards for a while.",
			"We agreed that the retry logic was probably the problem, so we changed it.",
			"We talked to the other team and we decided together to roll back the change.",
			"We then worked through the backlog together and we shipped a fix.",
			"After that we kept an eye on it and things got a lot better.",
			"We also wrote a short document so that we would remember what we learned.",
			"We had a retrospective and we all felt good about how we handled it.",
		},
		ltStyleNoNumber: {
			"I pulled the logs for the failing requests and traced them to a connection pool that was far too small.",
			"I wrote the fix, added tests around the edge case and walked the owning team through the change.",
			"I asked the on-call engineer for access to the traces because I wanted to see the failures myself.",
			"When the other team pushed back on the timeline, I offered to pair with them and took the riskiest part myself.",
			"I added an alert so that the same failure would page someone instead of waiting for customers to notice.",
			"Looking back, I would involve the support team much earlier, because they had seen the pattern before we did.",
			"Nobody had asked me to take it on, so I told my manager once the fix was already in review.",
		},
		ltStyleStrong: {
			"I measured the error rate from the logs over two weeks and it was sitting at 4.2% of requests during peak hours.",
			"I rewrote the retry logic myself, added a circuit breaker and put it behind a flag so I could roll it out to 5% of traffic first.",
			"After the rollout the error rate dropped from 4.2% to 0.3% within six days, and abandoned carts fell by about 12%.",
			"I added an alert on the error budget and a CI check that fails the build if the pool settings regress.",
			"Two other teams adopted the same check within a month, which saved roughly 30 hours of on-call time per quarter.",
			"It sat between two teams and nobody owned it, so I took it on and told my manager once the fix was in review.",
			"If I did it again, I would add the load test before the launch rather than after the first incident.",
		},
		ltStyleVague: {
			"Usually in situations like this I would try to understand the problem first and then talk to the stakeholders.",
			"In general I think it is important to keep high standards and to communicate clearly with everyone involved.",
			"I always try to make sure that the team is aligned and that everyone knows what the priorities are.",
			"Things like this happen quite often, and the key is to stay calm and keep the customer in mind.",
			"I tend to look at the data when I can and make a decision based on what it shows.",
			"Overall it worked out fine and people were happy with the result in the end.",
			"I would say the main lesson is that communication matters more than anything else.",
		},
	}
)

// ltAnswer writes an 80-150 word answer in style, opening with the
// answer's codename.
func ltAnswer(rng *rand.Rand, style, tag string, k int) string {
	var b strings.Builder
	if k == 0 {
		fmt.Fprintf(&b, ltOpeners[rng.IntN(len(ltOpeners))], tag)
	} else {
		fmt.Fprintf(&b, ltFollowOpeners[rng.IntN(len(ltFollowOpeners))], tag)
	}
	words := len(strings.Fields(b.String()))
	pool := slices.Clone(ltSentences[style])
	rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	// Candidates borrow a sentence from another style now and then; one
	// who gives no figures never does.
	if style != ltStyleNoNumber {
		other := ltSentences[ltStyles[rng.IntN(len(ltStyles))]]
		pool = append(pool, other[rng.IntN(len(other))])
	}
	for _, s := range pool {
		n := len(strings.Fields(s))
		if words >= 80 && (words+n > 150 || rng.IntN(3) == 0) {
			break
		}
		if words+n > 150 {
			continue
		}
		b.WriteByte(' ')
		b.WriteString(s)
		words += n
	}
	return b.String()
}

// ltReport is what a run measured.
type ltReport struct {
	o        loadOptions
	env      *ltEnv
	files    ltFileLimit
	sessions []ltSession
	duration time.Duration

	peakLive    int64
	baseline    ltSample
	barrier     ltSample
	barrierLive int64
	barrierAt   time.Duration
	peak        ltSample
	end         ltSample

	fake    *fakeLog
	fakeErr error
}

// ltStats summarises durations.
type ltStats struct {
	n                  int
	p50, p95, p99, max time.Duration
}

func newLtStats(ds []time.Duration) ltStats {
	if len(ds) == 0 {
		return ltStats{}
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	at := func(p int) time.Duration {
		i := (len(ds)*p+99)/100 - 1 // nearest rank
		return ds[max(0, min(i, len(ds)-1))]
	}
	return ltStats{n: len(ds), p50: at(50), p95: at(95), p99: at(99), max: ds[len(ds)-1]}
}

func (s ltStats) String() string {
	if s.n == 0 {
		return "n=0"
	}
	return fmt.Sprintf("n=%d p50=%s p95=%s p99=%s max=%s", s.n, ltMS(s.p50), ltMS(s.p95), ltMS(s.p99), ltMS(s.max))
}

func ltMS(d time.Duration) string { return fmt.Sprintf("%.3fms", float64(d)/float64(time.Millisecond)) }

func ltMiB(b uint64) string { return fmt.Sprintf("%.1fMiB", float64(b)/(1<<20)) }

func ltKiB(b float64) string { return fmt.Sprintf("%.1fKiB", b/(1<<10)) }

// ltOverheads are the figures that need the fake LLM's log.
type ltOverheads struct {
	turn, relay         []time.Duration
	matched, unmatched  int // replies whose token frames could be paired with the fake's chunks
	untagged, fallbacks int
}

func (r *ltReport) ltOverheads() ltOverheads {
	var o ltOverheads
	if r.fake == nil {
		return o
	}
	for _, s := range r.sessions {
		for _, t := range s.turns {
			if t.done == 0 {
				continue
			}
			// The last request for the tag that came after the answer: a
			// retried request is logged again, and the last attempt
			// answered.
			var rec *fakeRecord
			for _, c := range r.fake.Records[t.tag] {
				if c.Arrived >= t.sent {
					rec = c
				}
			}
			if rec == nil {
				o.untagged++
				continue
			}
			o.turn = append(o.turn, time.Duration(rec.Arrived-t.sent))
			if t.fallback {
				o.fallbacks++
				continue
			}
			if rec.Aborted || len(rec.Sent) != len(t.tokens) {
				o.unmatched++
				continue
			}
			o.matched++
			for k, at := range t.tokens {
				o.relay = append(o.relay, time.Duration(at-rec.Sent[k]))
			}
		}
	}
	return o
}

// passed: every session completed, nothing failed, no turn fell back.
func (r *ltReport) passed() bool {
	for _, s := range r.sessions {
		if !s.completed || len(s.errorFrames) > 0 || s.notices[noticeFallback] > 0 {
			return false
		}
	}
	return true
}

// ltReportKeys are the report's line keys, in order; scripts may rely on
// them.
var ltReportKeys = []string{
	"target", "fake_llm", "config", "open_files", "sessions", "answers", "errors", "error_frames", "notices",
	"llm_requests", "turn_overhead", "relay_overhead", "answer_to_first_token", "answer_to_message",
	"start_to_question", "cpu", "goroutines", "memory", "memory_per_session", "duration", "result",
}

func (r *ltReport) print(w io.Writer) {
	o := r.o
	line := func(key, format string, args ...any) {
		fmt.Fprintf(w, "%-22s %s\n", key+":", fmt.Sprintf(format, args...))
	}

	line("target", "%s", r.env.describe)
	switch {
	case r.env.fake != nil:
		line("fake_llm", "in-process ttft=%s tps=%g", o.ttft, o.tps)
	case r.fake != nil:
		line("fake_llm", "%s ttft=%s tps=%g", r.env.fakeURL, r.fake.TTFT, r.fake.TPS)
	case r.env.fakeURL != "":
		line("fake_llm", "%s (log unavailable: %v)", r.env.fakeURL, r.fakeErr)
	default:
		line("fake_llm", "unknown (the target's LLM is not known to this run)")
	}
	line("config", "sessions=%d answers=%d ramp=%s think=%s hold=%t timeout=%s", o.sessions, o.answers, o.ramp, o.think, o.hold, o.timeout)
	line("open_files", "%s", r.files)

	var started, completed, early, sent, replied int
	kinds := map[string]int{}
	failures := map[string]int{}
	frames := map[string]int{}
	notices := map[string]int{}
	var firstTok, message, open []time.Duration
	for _, s := range r.sessions {
		if s.started {
			started++
		}
		if s.completed {
			completed++
		}
		if s.early {
			early++
		}
		if s.failure != "" {
			failures[s.failure]++
		}
		for c, n := range s.errorFrames {
			frames[c] += n
		}
		for c, n := range s.notices {
			notices[c] += n
		}
		if s.open.done != 0 {
			open = append(open, time.Duration(s.open.done-s.open.sent))
		}
		for _, t := range s.turns {
			sent++
			if t.done != 0 {
				replied++
				kinds[t.kind]++
				message = append(message, time.Duration(t.done-t.sent))
			}
			if t.first != 0 {
				firstTok = append(firstTok, time.Duration(t.first-t.sent))
			}
		}
	}
	line("sessions", "planned=%d started=%d completed=%d failed=%d peak_live=%d", o.sessions, started, completed, o.sessions-completed, r.peakLive)
	line("answers", "sent=%d replied=%d probes=%d questions=%d wrapups=%d ended_early=%d", sent, replied,
		kinds[interview.KindProbe], kinds[interview.KindQuestion], kinds[interview.KindWrapUp], early)
	total := 0
	parts := make([]string, 0, len(ltErrorKinds))
	for _, k := range ltErrorKinds {
		total += failures[k]
		parts = append(parts, fmt.Sprintf("%s=%d", k, failures[k]))
	}
	line("errors", "total=%d %s", total, strings.Join(parts, " "))
	line("error_frames", "%s", ltCounts(frames))
	other := 0
	for c, n := range notices {
		if c != noticeFallback {
			other += n
		}
	}
	line("notices", "fallback=%d other=%d%s", notices[noticeFallback], other, ltOptional(ltCounts(notices)))

	if r.fake != nil {
		st := r.fake.Stats
		since := ""
		if r.env.fake == nil {
			since = " (since the fake started)"
		}
		line("llm_requests", "total=%d question=%d probe=%d wrapup=%d tagged=%d aborted=%d rejected=%d peak_streams=%d conns=%d%s",
			st.Requests, st.ByKind["question"], st.ByKind["probe"], st.ByKind["wrapup"], st.Tagged, st.Aborted, st.Rejected, st.PeakStreams, st.Conns, since)
	} else {
		line("llm_requests", "unavailable: %v", r.fakeErr)
	}
	ov := r.ltOverheads()
	if r.fake != nil {
		line("turn_overhead", "%s (answer written -> fake LLM has the request)", newLtStats(ov.turn))
		line("relay_overhead", "%s (fake LLM flushed a chunk -> its token frame read; replies matched=%d unmatched=%d fallback=%d untagged=%d)",
			newLtStats(ov.relay), ov.matched, ov.unmatched, ov.fallbacks, ov.untagged)
	} else {
		line("turn_overhead", "unavailable: %v", r.fakeErr)
		line("relay_overhead", "unavailable: %v", r.fakeErr)
	}
	line("answer_to_first_token", "%s", newLtStats(firstTok))
	line("answer_to_message", "%s", newLtStats(message))
	line("start_to_question", "%s (POST session -> first question frame)", newLtStats(open))

	scope := "server"
	if r.env.inProcess {
		scope = "process (server + fake LLM + load client)"
	}
	if r.peak.ok || r.barrier.ok {
		secs := r.duration.Seconds()
		cpu := fmt.Sprintf("avg=%.2f peak_1s=%.2f cores of %d (%s)", (r.end.cpu-r.baseline.cpu)/secs, r.peak.cpu, runtime.NumCPU(), scope)
		if r.end.machine > 0 {
			machine := (r.end.machine - r.baseline.machine) / secs
			cpu += fmt.Sprintf("; host avg=%.2f peak_1s=%.2f", machine, r.peak.machine)
			if r.env.inProcess {
				cpu += fmt.Sprintf("; other processes avg=%.2f peak_1s=%.2f", max(0, machine-(r.end.cpu-r.baseline.cpu)/secs), max(0, r.peak.others))
			}
		}
		line("cpu", "%s", cpu)
		line("goroutines", "baseline=%d at_hold=%d peak=%d (%s)", r.baseline.goroutines, r.barrier.goroutines, r.peak.goroutines, scope)
		line("memory", "baseline heap_inuse=%s rss=%s; at_hold heap_inuse=%s rss=%s; peak heap_inuse=%s rss=%s (%s)",
			ltMiB(r.baseline.heap), ltMiB(r.baseline.rss), ltMiB(r.barrier.heap), ltMiB(r.barrier.rss), ltMiB(r.peak.heap), ltMiB(r.peak.rss), scope)
	} else {
		line("cpu", "unavailable (no /metrics on the target)")
		line("goroutines", "unavailable (no /metrics on the target)")
		line("memory", "unavailable (no /metrics on the target)")
	}
	switch {
	case !o.hold:
		line("memory_per_session", "unavailable: needs -hold (all sessions live and idle at once)")
	case !r.barrier.ok || r.barrierLive == 0:
		line("memory_per_session", "unavailable: the hold was not reached")
	default:
		live := r.barrierLive
		serverLive := "unknown"
		if r.barrier.live >= 0 {
			serverLive = strconv.Itoa(r.barrier.live)
		}
		per := func(a, b uint64) string {
			if a == 0 || b == 0 {
				return "unknown"
			}
			return ltKiB((float64(a) - float64(b)) / float64(live))
		}
		note := "server only"
		if r.env.inProcess {
			note = "in-process: includes the load client's side of each session"
		} else {
			note += "; heap is not collected first"
		}
		line("memory_per_session", "heap_inuse=%s rss=%s (at the hold, %d live sessions, server counts %s; %s)",
			per(r.barrier.heap, r.baseline.heap), per(r.barrier.rss, r.baseline.rss), live, serverLive, note)
	}
	line("duration", "total=%s hold_reached=%s", r.duration.Round(time.Millisecond), r.barrierAt.Round(time.Millisecond))
	if r.passed() {
		line("result", "PASS")
	} else {
		line("result", "FAIL")
	}
}

// ltCounts prints a code → count map, sorted; "none" when empty.
func ltCounts(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%d", k, m[k])
	}
	return strings.Join(parts, " ")
}

func ltOptional(s string) string {
	if s == "none" {
		return ""
	}
	return " (" + s + ")"
}
