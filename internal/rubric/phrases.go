package rubric

// Phrase lists for the detectors (pattern language in match.go). Each list
// names an idea in several ways; none is copied from one transcript.

func buildWordSets() map[string]map[string]bool {
	wordSets := map[string]map[string]bool{}
	wordSets["be"] = set("is", "was", "were", "been", "be")
	wordSets["bn"] = set("wasn't", "isn't", "weren't", "aren't", "wasnt", "isnt")
	wordSets["mine"] = set("my", "our")
	wordSets["unit"] = set("team", "team's", "teams", "squad", "squad's", "group", "group's", "department", "org", "area",
		"remit", "scope", "service", "system", "code", "codebase", "job", "role", "responsibility", "responsibilities",
		"problem", "project", "product", "domain", "function", "objectives", "goals", "okrs", "okr", "roadmap", "lane", "sprint", "plan", "plate", "ticket", "tickets", "workstream", "targets", "kpis",
		"patch", "component", "module", "repo", "backlog", "business", "concern", "mandate", "brief", "queue")
	wordSets["owned"] = set("belongs", "belonged", "owned", "owns", "sits", "sat", "lives", "lived", "run", "ran",
		"maintained", "maintains", "managed", "manages", "handled", "handles", "controlled", "controls")
	wordSets["nobody"] = set("nobody", "no-one", "noone")
	wordSets["askedme"] = set("asked", "assigned", "told", "tasked", "requested", "expected", "required", "paid", "mandated", "raised")
	wordSets["handoff"] = set("sent", "posted", "dropped", "filed", "raised", "reported", "escalated", "flagged",
		"mentioned", "told", "passed", "handed", "forwarded", "emailed", "pinged", "messaged", "opened", "logged", "attached",
		"assigned", "uploaded", "submitted", "notified", "alerted", "informed", "shared", "left", "routed", "tagged")
	wordSets["others"] = set("they", "he", "she", "team", "lead", "engineer", "engineers", "on-call", "oncall", "owners",
		"group", "squad", "vendor", "department", "folks", "people", "platform", "ops", "support", "staff")
	wordSets["resolved"] = set("fixed", "handled", "resolved", "sorted", "patched", "implemented", "shipped", "deployed",
		"solved", "addressed", "repaired", "corrected", "changed", "rolled", "released", "merged", "dealt", "tackled",
		"turned", "switched", "disabled", "reverted", "removed", "updated", "rewrote", "reconfigured", "redesigned", "replaced",
		"capped", "applied")
	wordSets["boss"] = set("manager", "boss", "lead", "director", "vp", "supervisor", "head", "cto", "ceo", "coo", "cfo", "cio", "cmo", "cpo", "svp", "evp", "gm", "skip-level", "skip", "superior", "manager's", "boss's", "lead's", "director's")
	wordSets["boss's"] = set("manager's", "boss's", "lead's", "director's", "vp's", "cto's", "ceo's", "head's", "supervisor's")
	wordSets["bossask"] = set("asked", "told", "assigned", "gave", "tasked", "wanted", "directed", "instructed", "had", "put", "sent", "handed", "delegated", "requested", "needed", "made", "volunteered", "nominated", "picked", "chose", "suggested")
	wordSets["safeguard"] = set("alert", "alerts", "alarm", "alarms", "monitor", "monitors", "monitoring", "check", "checks",
		"test", "tests", "canary", "canaries", "guardrail", "guardrails", "guard", "lint", "linter", "validation",
		"validator", "slo", "slos", "sla", "slas", "pager", "paging", "reconciliation", "budget", "budgets",
		"gate", "gates", "checklist", "runbook", "runbooks", "audit", "audits", "watchdog", "dashboard",
		"threshold", "assertion", "assertions", "probe", "probes", "review", "sign-off", "approval",
		"tripwire", "healthcheck", "health-check", "heartbeat", "smoke", "fuzzer", "safeguard", "safeguards",
		"drill", "drills", "backstop", "interlock", "failsafe", "fail-safe", "breaker", "quota", "quotas", "lockout",
		"lock-out", "comparison", "sweep", "rule")
	wordSets["recurring"] = set("nightly", "daily", "weekly", "hourly", "monthly", "automated", "automatic", "automatically", "scheduled",
		"recurring", "standing", "continuous")
	wordSets["build"] = set("added", "built", "wrote", "set", "created", "introduced", "insisted", "implemented", "installed",
		"configured", "automated", "instituted", "established", "put", "made", "required", "enforced", "wired",
		"shipped", "launched", "deployed", "held", "refused", "blocked", "started", "scheduled", "mandated", "baked",
		"turned", "included", "extended", "designed", "drafted", "defined", "kept")
	wordSets["because"] = set("because", "since", "so", "otherwise", "given", "as")
	wordSets["money"] = set("$", "£", "€", "dollars", "pounds", "euros", "usd", "gbp", "eur", "revenue", "profit", "profits",
		"margin", "margins", "sales", "cost", "costs", "costing", "spend", "spending", "budget", "savings", "saving", "licence",
		"license", "fees", "fee", "fines", "fine", "penalty", "penalties", "bill", "billing", "income", "earnings", "payroll", "k", "grand")
	// biz are units whose count is money or effort to the business.
	wordSets["biz"] = set("orders", "checkouts", "conversions", "bookings", "signups", "sign-ups", "renewals",
		"cancellations", "contracts", "deals", "listings", "transactions", "purchases", "sales", "shipments", "parcels",
		"deliveries", "tickets", "calls", "complaints", "refunds", "chargebacks", "returns", "labour-hours",
		"labor-hours", "man-hours", "person-hours", "engineer-hours", "hours", "headcount", "hires", "appointments",
		"visits", "units", "downtime", "outages", "losses", "waste", "spoilage", "scrap", "shrinkage", "write-offs",
		"applications", "claims", "invoices", "payments", "leads", "donations", "reruns", "rework", "overtime",
		"cases", "escalations", "defects", "recalls", "subscriptions", "subscribers", "customers-lost", "churned")
	wordSets["people"] = set("people", "person", "staff", "technicians", "agents", "engineers", "fte", "ftes", "headcount",
		"hires", "nurses", "clerks", "analysts", "operators", "workers", "employees", "contractors")
	wordSets["timeunit"] = set("hours", "hour", "days", "day", "weeks", "week", "months", "month", "years", "year", "minutes",
		"minute", "seconds", "second", "shifts", "shift", "sprints", "sprint", "quarters", "quarter")
	wordSets["period"] = set("week", "month", "year", "day", "quarter", "weekly", "monthly", "annually", "yearly", "daily", "annual", "hour", "shift", "night")
	wordSets["teamword"] = set("teams", "squads", "groups", "departments", "orgs", "organisations", "organizations", "sites",
		"mines", "libraries", "labs", "factories", "depots", "fleets", "campuses", "councils", "airports", "terminals",
		"stores", "regions", "offices", "clinics", "hospitals", "warehouses", "plants", "divisions", "businesses", "units",
		"products", "services", "studios", "schools", "branches", "countries", "markets", "wards", "practices",
		"restaurants", "kitchens", "hotels", "lines", "crews", "stations", "floors", "shops", "centres", "centers", "hubs")
	wordSets["oneunit"] = set("team", "squad", "group", "department", "org", "organisation", "organization", "site",
		"region", "store", "office", "clinic", "hospital", "ward", "warehouse", "plant", "division", "business", "unit",
		"studio", "school", "branch", "country", "market", "depot", "factory", "fleet", "lab", "library", "campus",
		"council", "airport", "terminal", "restaurant", "kitchen", "hotel", "shift", "practice", "line", "product")
	wordSets["datanoun"] = set("logs", "log", "data", "records", "metrics", "reports", "report", "history", "dashboard",
		"dashboards", "tickets", "timestamps", "analytics", "traces", "trace", "events", "dataset", "spreadsheet",
		"notebook", "query", "queries", "telemetry", "survey", "surveys", "samples", "sample", "experiment",
		"experiments", "trial", "backtest", "export", "exports", "volumes", "volume", "rates", "rate", "readings",
		"counts", "statements", "invoices", "transactions", "receipts", "usage", "measurements", "benchmarks",
		"histograms", "percentiles", "profiles", "heap", "cohort", "cohorts", "baseline", "control", "recordings",
		"footage", "timesheets", "tags", "evaluation", "backfills", "holdout", "register", "logbook", "scans", "scanner", "tallies", "audit", "ledger", "entries", "rows", "database",
		"reviews", "postmortems", "incidents", "cases", "complaints", "responses", "orders", "calls", "tool", "system", "rota", "records",
		"check", "checks", "benchmark", "benchmarks", "assessment", "assessments", "test", "tests", "exam", "exams", "scores",
		"audit", "count", "chart", "charts", "results", "payments", "lines", "images", "files", "emails", "messages", "sessions",
		"requests", "jobs", "runs", "builds", "alerts", "pages", "tickets", "shipments", "claims", "invoices", "matters")
	wordSets["dataverb"] = set("exported", "pulled", "extracted", "downloaded", "queried", "took", "analysed", "analyzed",
		"collected", "gathered", "sampled", "reviewed", "read", "went", "loaded", "combed", "scraped", "compiled", "audited",
		"take", "pull", "export")
	return wordSets
}

// The word sets the detectors consult directly (not only through phrases).
var (
	setHandoff   = wordSetOf(wordSets["handoff"])
	setResolved  = wordSetOf(wordSets["resolved"])
	setBiz       = wordSetOf(wordSets["biz"])
	setBuild     = wordSetOf(wordSets["build"])
	setMoney     = wordSetOf(wordSets["money"])
	setPeople    = wordSetOf(wordSets["people"])
	setPeriod    = wordSetOf(wordSets["period"])
	setRecurring = wordSetOf(wordSets["recurring"])
	setSafeguard = wordSetOf(wordSets["safeguard"])
	setTimeunit  = wordSetOf(wordSets["timeunit"])
)

var (
	// scope_boundary: the work was not the candidate's to do.
	scopePhrases = compilePhrases(
		"@be not|never @mine? ~1 @unit",
		"@bn @mine ~1 @unit",
		"@bn in|on|part_of @mine ~1 @unit",
		"belonged|belongs to",
		"not @mine ~2 @unit",
		"not in @mine ~2 @unit",
		"wasn't|isn't|weren't ~2 mine",
		"was|is not ~2 mine",
		"none of @mine business",
		"nothing to do with @mine ~1 @unit",
		"@nobody ~1 had? @askedme me|us",
		"no one ~1 had? @askedme me|us",
		"@nobody ~2 asked|assigned|requested|expected",
		"no one ~2 asked|assigned|requested|expected",
		"without ~2 being asked|assigned|told", "without ~2 anyone|anybody|someone ~1 asking|telling|assigning",
		"nobody|no_one ~1 had ~1 picked|taken ~2 it|this ~1 up|on",
		"no ticket|tickets|mandate|request|assignment|brief",
		"there was no ticket|mandate|request",
		"nothing had been filed|raised|reported",
		"had not been filed|raised|reported|asked",
		"hadn't been filed|raised|reported|asked|triaged",
		"outside ~2 @unit",
		"outside ~1 my|our|the ~2 remit|scope|responsibilities|responsibility|area|job|role|lane|mandate|team",
		"beyond ~1 my|our ~2 remit|scope|responsibilities|responsibility|role|job|lane|brief",
		"@owned by ~3 team|squad|group|department|org|organisation|organization",
		"@owned with ~1 the|their ~2 team|squad|group|department",
		"@unit belongs|belonged to",
		"@owned to the|another|a ~3 team|squad|group|department",
		"on the side",
		"in my own time",
		"in my spare time",
		"on my own initiative",
		"my own initiative",
		"not ~1 on ~1 my ~1 roadmap|plate|list|objectives|goals",
		"wasn't|isn't ~1 on ~1 my|our ~1 roadmap|plate|list|objectives|goals",
		"nobody assigned|asked",
		"not assigned to me",
		"no one had asked",
		"not my job",
		"hadn't asked",
		"@bn ~1 asked|assigned|told|tasked|expected|required ~1 to|by",
		"wasn't|weren't ~2 part_of ~2 my|our ~1 job|role|remit|brief",
		"didn't ask me",
		"never asked me",
		"no mandate",
		"not part of my job|role|remit",
		"wasn't part of my job|role|remit|responsibilities",
		"wasn't in my objectives|remit|job|scope",
	)

	// Preamble openers signal background before the problem.
	preambleOpeners = compilePhrases(
		"for context", "some context", "some background", "for background", "a bit of background",
		"to give you ~2 context|background|picture", "to set the scene", "let me ~2 explain|describe ~2 architecture|setup|system",
		"first ~2 the architecture",
	)

	// Problem words: the stakes or the thing going wrong.
	problemWords = newWordSet(
		"problem", "problems", "issue", "issues", "bug", "bugs", "broken", "broke", "breaking", "failing", "failed",
		"failure", "failures", "fail", "fails", "error", "errors", "crash", "crashes", "crashing", "outage", "outages",
		"incident", "incidents", "slow", "slower", "slowly", "late", "later", "delay", "delayed", "delays", "losing",
		"lost", "loss", "losses", "missing", "missed", "drop", "dropped", "dropping", "drops", "leak", "leaking",
		"spike", "spikes", "spiking", "stale", "wrong", "risk", "risky", "complaint", "complaints",
		"complaining", "angry", "upset", "frustrated", "burned", "burnt", "burnout", "struggling", "struggled",
		"stuck", "blocked", "overdue", "deadline", "expensive", "costly", "climbed", "climbing", "waste", "wasted", "timing",
		"wasting", "churn", "churning", "declining", "declined", "fell", "falling", "slid", "sliding", "gap",
		"conflict", "disagreed", "disagreement", "skeptical", "sceptical", "stopped", "overwrote", "overwritten",
		"duplicate", "duplicates", "duplicated", "manual", "manually", "tedious", "backlog", "pressure",
		"unhappy", "worse", "degraded", "degrading", "dying", "unreliable", "flaky", "defect", "defects",
		"vulnerability", "breach", "fraud", "inaccurate", "mismatch", "disagreeing", "confusing", "confused",
		"unable", "tight", "ending", "quit", "leaving", "overloaded", "bottleneck", "unclear", "mistake", "mistakes",
		"cost", "costs", "unexplained", "variance", "drift", "drifting", "timeouts", "timeout", "latency",
		"abandon", "abandoning", "abandoned", "stalled", "stalling", "hurting", "hurt", "harm", "danger",
		"dangerous", "unsafe", "injury", "injuries", "shortage", "short", "understaffed", "overrun", "overspend",
		"overspending", "trailing", "trailed", "burning", "cut", "cuts", "slashed", "shrinking", "overrunning", "exhausted", "exhausting", "unhappy", "lagging", "lagged", "underperforming", "dissatisfied", "poor",
		"rejected", "refused", "slipped", "slipping", "rework",
	)

	// mechanism: the safeguard was dismissed or only suggested.
	niceToHave = compilePhrases(
		"nice-to-have", "nice to have", "nice-to-haves", "didn't ~2 need ~2 alert|test|check|monitor|monitoring",
		"the fix was enough", "fix was ~1 enough", "overkill",
	)
	// notNeeded calls something unnecessary; it is about the safeguard
	// only when one is named ("an alert wasn't needed", not "the reserve
	// increase wasn't needed").
	notNeeded = compilePhrases("wasn't|isn't|was_not|is_not ~2 necessary|needed|worth", "not worth ~2 effort|time")

	// Gut-feel and unmeasured figures undo data rigour.
	gutFeel = compilePhrases(
		"gut feel", "gut feeling", "gut-feel", "gut instinct", "my gut", "sounded about right", "seemed about right",
		"felt about right", "ballpark guess", "rough guess", "educated guess", "a guess", "just guessed", "i guessed",
		"made ~1 up", "pulled ~2 out of thin air", "didn't measure", "never measured", "did not measure",
		"don't have ~2 numbers|data|figures|metrics", "didn't have ~2 numbers|data|figures|metrics", "wasn't measured",
		"no ~1 numbers|data|figures|metrics", "didn't track", "never tracked", "hard to measure", "can't measure",
		"couldn't measure", "off the top of my head", "not sure ~2 numbers|exactly|figure",
		"don't remember ~2 numbers|figures|exactly", "hand-wavy", "estimate based on ~2 feeling|feel|intuition|instinct",
		"based on ~2 feeling|intuition|instinct|hunch",
	)

	// data_rigor: how a figure was derived.
	derivationPhrases = compilePhrases(
		"multiplying|multiplied|multiply", "times ~3 rate|rates|volume|volumes|price|cost|value|average",
		"worked out ~2 from|by|using|that", "calculated|computed|derived", "based on ~3 @datanoun",
		"measured|tracked|counted|logged|recorded|monitored|timed ~8 from|in|with|using|across|over|on|through|by|against|for",
		"lined ~1 up ~8 @datanoun|against",
		"@dataverb ~4 # ~1 @timeunit ~1 of",
		"checked|tested|verified|audited|reviewed|validated ~4 sample|samples", "checked|verified|audited|reconciled ~4 against",
		"ran|gave|did|held|conducted|administered|sent ~6 survey|check|test|assessment|audit|count|census|poll|trial|experiment|benchmark",
		"so ~1 that's ~3 #", "which ~1 is|was ~2 roughly|about|around|approximately #",
		"at ~6 # ~3 a|per|an|each ~4 that's|that|which|so|is|comes", "according to ~3 @datanoun",
		"backtested|backtest|back-tested", "a/b|a-b|ab_test|ab_tests|experiment|experiments|trial|trials", "control ~1 group|shift|arm|cohort|site|store|sample",
		"ran ~4 against ~3 historical|past|real|production|@datanoun", "ran|pulled|queried|ran_a|built ~4 report|query|queries|analysis|export", "@datanoun showed|show|shows",
		"pulled|exported|extracted|queried|loaded|downloaded|collected|gathered|sampled|analysed|analyzed ~5 @datanoun",
		"joined ~4 on", "bucketed|bucketing|grouped|grouping|segmented|broke ~4 by", "broke ~3 down", "plotted|plotting|charted",
		"went ~1 through ~4 @datanoun", "at # ~4 a|per|an|each ~2 that's|that|which", "that's ~3 # ~4 a|per|each",
		"which works out", "works out to", "put the cost|figure|number|value|impact at", "i ~1 put ~3 at",
		"our ~2 experiments|tests|analysis|data|logs|dashboards|metrics", "from|in ~1 the|their|our|my|its ~2 @datanoun",
		"per ~1 @datanoun", "survival|regression|cohort analysis", "statistically", "significance|significant",
		"reconciled|reconciliation", "line-level|transaction-level|event-level|row-level", "timed ~3 how",
		"sat with ~4 timed", "tracked ~3 @datanoun", "read ~3 @datanoun", "recorded ~3 @datanoun",
		"compared|comparing|compare ~4 @datanoun|baseline|control|before|expected|actual", "matched ~4 against|with",
		// Arithmetic told as a story: "I valued that by taking the
		// weekly cost, applying the 9 percent and scaling to all stores",
		// "seven percent less scrap is about 2,800 parts, at €1.90 each,
		// around €5,300".
		"valued|costed|estimated|priced|sized|quantified ~3 by ~2 taking|multiplying|using|applying|comparing|counting|adding|scaling|summing",
		"by taking", "scaling|scaled ~3 to|up|across", "worked ~2 out ~4 from|by|using|as",
		"replaying|replayed|re-running|re-ran|reran|rerunning|rerun ~4 @datanoun|evaluation|backfills|backtest|analysis|#",
		"as ~1 shown|reported|recorded|measured|logged|tracked ~1 in|by|on ~4 @datanoun",
		"at ~4 # ~3 each|apiece ~3 around|about|roughly|approximately|so|that's|comes|which",
		"so ~8 is|are|comes|works ~2 about|around|roughly|approximately|nearly|almost #",
		"where ~4 came|comes from",
	)

	// routing: the candidate handed the problem over.
	handoffPhrases = compilePhrases(
		"i ~2 @handoff ~10 ticket|message|slack|email|channel|thread|issue|report|write-up|writeup|jira|bug|note|queue|backlog|inbox|board",
		"i ~2 escalated|reported|forwarded|handed|passed|flagged|raised|routed|delegated|referred",
		"i ~2 told|informed|notified|alerted|pinged|messaged|emailed ~4 team|lead|owners|on-call|oncall|manager|them|him|her|supervisor|operator|technician|engineer|owner|department|desk",
		"i ~2 showed|handed|gave ~4 to ~3 operator|technician|engineer|team|lead|supervisor|manager|owner|department|desk",
		"i ~2 left it ~2 with|to",
		"i ~2 let ~3 know",
		"i ~2 gave|handed|passed ~2 it|them|this ~2 to|over",
		"i ~2 emailed|sent|forwarded|handed|passed|gave|posted|dropped|submitted|raised|filed ~6 to|with|into",
		"left it ~1 with|to ~1 them|him|her|their",
		"presented ~3 it|this|them|findings|analysis|data|correlation|deck|results ~1 at|to ~4 team's|their|its|his|her ~3 review|meeting|standup|sync|forum|lead|manager|director|team",
		"i ~2 put|dropped|left|parked ~2 it|them|this|the_change|the_fix|the_patch ~2 in|into|on ~6 queue|backlog|inbox|board|channel|tracker",
	)
	othersResolved = compilePhrases(
		"they|he|she ~3 @resolved",
		"they|he|she ~2 took it ~2 from there|over",
		"they|he|she ~2 took over",
		"they|he|she ~2 picked it|this ~1 up",
		"they|he|she ~2 took care",
		"they|he|she ~2 dealt with",
		"they|he|she ~2 handled",
		"@others ~4 @resolved ~3 it|this|the",
		"@others ~2 took it ~2 from there|over",
		"@others ~2 picked it|this ~1 up",
		"they|he|she|@others ~2 set ~1 up|in_place", "they|he|she|@others ~2 brought|put ~1 in|in_place",
		"left it ~2 to them|him|her",
		"took it from there",
		"out of my hands",
		"their problem",
		"fixed on their end|side", "they|he|she|@others ~4 on ~1 their|his|her ~1 side|end",
		"after their fix",
		"their fix",
		// walking away once it was handed over
		"it|this ~1 was|became ~1 theirs", "was with them", "it's their ~1 system|code|service|problem|call",
		"that was it from my side", "that was ~1 it ~1 from ~1 my ~1 end|side", "went back to my own",
		"got|went ~1 back ~1 to ~2 my|our ~1 own|work|day|job|sprint|team|desk|backlog",
		"they|he|she|@others ~3 put|pushed|took|made|set ~2 it|this|the_change|the_fix|the_rule|the_patch ~1 live|into_production|out",
		"didn't follow ~1 it|up|through", "never followed ~1 it|up", "not my problem ~1 anymore",
		"once ~2 ticket ~2 was ~1 in|filed|raised|logged", "let|left ~1 them|him|her ~2 take|carry|run ~2 it|this",
		"picked ~1 up ~2 the|my|our ~1 ticket|request|report|issue|case", "handled|took ~2 it ~1 from ~1 there",
	)
	handoffNegations = compilePhrases(
		"didn't|did|not ~2 just|only|simply", "not just", "not only", "rather than", "instead of", "more than just",
		"wasn't ~2 just|only", "beyond ~2 just|only", "never ~1 just",
	)
	// Signs that the candidate drove the fix to production themselves.
	drivingPhrases = compilePhrases(
		"i ~2 paired|sat|worked ~3 with", "i ~2 followed through", "i ~2 coordinated|drove|shepherded|walked",
		"i ~2 pushed ~3 through|out|live|forward|it|fix|change|patch|release|rollout", // not "pushed back"
		"i ~3 got ~2 it|change|fix|patch ~3 through|merged|reviewed|approved|deployed|shipped",
		"i ~1 rolled|shipped|deployed|released|merged|landed|applied", // not "I believe they merged"
		"i ~2 was there", "i ~2 watched|monitored|checked ~3 rollout|deploy|deployment|release|cutover|dashboard",
		"i ~2 moved it", "i ~2 made ~3 change|changes ~3 they|she|he ~2 asked|wanted|requested",
		"i ~2 addressed ~2 feedback|comments|review", "i ~2 went through ~3 review|reviews",
		"complete|finished|working|tested ~1 fix|patch|change|solution", "i brought",
	)

	// directed_by_manager.
	managerDirected = compilePhrases(
		"@mine ~1 @boss ~8 @bossask ~2 me|us",
		"@mine ~1 @boss ~10 suggested|asked|wanted|said ~1 i ~2 take|look|pick|have|handle|dig|sort|own",
		"the ~1 @boss ~2 @bossask ~2 me|us ~1 to",
		"my|our ~1 @boss's ~1 call|decision|idea|request|priority",
		"put ~2 it|this|that ~2 on ~1 my|our ~1 plate|list|desk|backlog",
		"@mine? @boss ~3 @bossask ~1 the job|task|project|work|ticket|problem",
		"my|our|the ~2 manager's|boss's|lead's|director's|vp's|cto's|ceo's|head's ~1 list|priorities|roadmap|request|idea|orders|okrs|plan|goals",
		"on ~1 my @boss ~2 list|priorities|roadmap",
		"asked ~1 by ~1 my ~1 @boss",
		"assigned ~1 by ~1 my ~1 @boss",
		"assigned ~1 to me",
		"@boss ~4 wanted ~1 me|us ~1 to",
		"because ~2 @boss ~3 asked|told|said",
		"@boss ~2 made me",
		"was ~2 assigned|tasked|told|asked ~1 to",
		"it was ~2 assigned to me",
		"was given ~2 the|this ~1 task|job|project|ticket",
	)
	pronounDirected = compilePhrases(
		"she|he|they ~2 asked|told|assigned|wanted|tasked|had ~1 me|us ~1 to",
		"she|he|they ~2 gave ~1 me ~2 job|task|project",
	)
	// Initiative and ownership questions (directed_by_manager applies).
	initiativeQuestion = compilePhrases(
		"ownership", "owned", "own initiative", "initiative", "took it on yourself", "on your own", "yourself",
		"nobody else", "no one else", "nobody asked", "without ~3 asked|asking|told|prompted|prompting", "acted on it",
		"before ~2 anyone|anybody|someone|being ~1 asked|told", "acted|act ~2 on ~1 something|a_problem",
		"outside your ~2 area|responsibility|responsibilities|remit|scope|role|job", "nobody|no_one ~1 had ~1 reported|noticed|spotted", "fallen|fell ~1 between", "picked ~1 it|them ~1 up",
		"not assigned", "wasn't assigned", "belonged to someone", "nobody had asked", "no one had asked", "nobody asked you", "unasked", "beyond ~2 what_was_asked|your_role|your_job|scope|responsibility|responsibilities",
		"wasn't yours", "not yours", "wasn't your", "not your", "went out of your way", "above and beyond", "proactive|proactively",
		"self-started|self-starter", "took on", "take on", "stepped up", "step up", "saw a problem", "noticed a problem",
		"refused to ship", "higher standard", "raise the bar", "raised the bar", "bold idea", "took a ~1 risk",
		"calculated risk", "act quickly", "acted quickly", "volunteered", "unprompted", "spotted",
	)

	// Hypothetical, generic or refused examples.
	noExamplePhrases = compilePhrases(
		"nothing ~2 specific|particular ~2 comes to mind", "nothing comes to mind", "can't ~1 think of ~3 specific|example|time|instance|situation",
		"cannot ~1 think of ~3 specific|example|time|instance|situation", "couldn't ~1 think of ~3 example|time|instance",
		"don't have ~2 specific|real|concrete|particular ~1 example|story|instance|situation",
		"not one i could ~2 walk|describe|talk", "no specific ~1 example|instance|time|situation",
		"haven't ~2 been in ~2 situation", "never been in ~2 situation", "never ~1 had ~2 situation|chance",
		"i'd rather not ~2 answer|share|say", "prefer not to ~2 answer|share|say", "pass on this ~1 question",
		"generally how ~1 i'd|i_would", "that's how i would", "the way i described", "in general i", "i always ~1 try",
		"hypothetically",
	)

	// Text aimed at the interviewer or the scorer instead of the question.
	manipulationPhrases = compilePhrases(
		"ignore ~3 previous|prior|above|earlier|all|your|the ~2 instructions|instruction|prompt|prompts|rules|rubric|guidelines",
		"disregard ~3 previous|prior|above|earlier|all|your|the ~2 instructions|instruction|prompt|rules|rubric|guidelines",
		"forget ~3 your|previous|prior|all|the ~2 instructions|instruction|prompt|rules|rubric|guidelines",
		"override ~2 your|the ~2 instructions|rules|rubric|scoring|system",
		"rate|score|grade|mark|evaluate|assess ~1 me|this|my_answer|this_answer ~3 strong|hire|highly|as|a|an|pass|passing|top|perfect|excellent|10|five|5|maximum|max|full",
		"mark|set|record|flag|score|rate ~4 every|all|each ~1 dimension|dimensions|criteria|criterion|box|boxes|principle|principles ~3 pass|passed|true|met|strong|green",
		"give ~1 me ~3 strong|hire|pass|passing|perfect|top|full ~1 hire|score|marks|rating|grade",
		"whoever|whatever|anyone|anybody ~2 is ~1 scoring|grading|evaluating|assessing|judging|reading",
		// addressed to it, not a product ("added to the grader")
		"to the scorer|grader|evaluator|ai|llm|bot|algorithm ~2 please|rate|score|mark|note|you|i|ignore|this_answer",
		"dear|hey|hi|attention ~1 scorer|grader|evaluator|ai|bot|model|system",
		"note|message|instruction|instructions|reminder|memo for|to ~1 the|whoever|any ~2 evaluation|evaluator|evaluating|scorer|scoring|grader|grading|system|model|ai|reviewer|assessor",
		"record|recording|log|logging|put|putting|count|counting|treat|consider|list|listing|file|enter|mark|marking|score|scoring ~4 as ~1 a|an? ~1 strong|hire|pass|passing|yes|top",
		"strong ~1 hire ~2 on|across|for ~1 every|all|each ~1 dimension|dimensions|criterion|criteria|principle|principles",
		"how ~3 interviews|answers|candidates|these ~2 get|are ~1 scored|graded|marked|assessed|evaluated",
		"covers|hits|meets|satisfies|ticks|addresses ~3 every|all|each ~2 dimension|dimensions|criteria|criterion|box|boxes ~2 in|of ~2 rubric|the_rubric|your_rubric",
		"share|show|reveal|tell|give|send|list|explain ~3 the|your ~2 scoring|grading|rubric|criteria|dimensions|checklist|prompt|instructions",
		"looking for in the|your ~1 rubric|scoring|grading|criteria",
		"which|what ~3 parts|part|dimensions|dimension|criteria|boxes ~3 of ~2 rubric|the_rubric|your_rubric|scoring|criteria",
		"as ~1 the|an ~2 ai|llm|model|assistant|bot|system ~4 you|grading|scoring|evaluating",
		"you are now", "you're now", "you are ~1 an ~1 ai|llm|assistant|model|grader|scorer",
		"you must|should ~3 pass|rate|score|hire|mark|approve|recommend",
		"system ~1 prompt|message|instruction|override|note",
		"system ~1 candidate ~2 passed|passes|approved|meets",
		"developer ~1 mode|message|instruction",
		"jailbreak|jailbroken",
		"new|updated|revised ~1 instructions",
		"reveal|show|share|tell|give|send|print|list|explain|read ~3 me|us ~3 rubric|rubrics|scoring|criteria|grading|scorecard|prompt|instructions|dimensions|checklist",
		"what ~2 is|are ~1 the|your ~2 rubric|scoring_criteria|grading_criteria|criteria|instructions|system_prompt",
		"what's ~1 in ~1 the|your ~1 rubric|prompt|instructions",
		"how ~2 you ~2 scoring|grading|evaluating|marking ~1 me|this|answers",
		"this ~2 meets ~1 the bar|every|all", "meets the bar", "demonstrates every|all ~2 leadership principles|principles|dimensions",
		"passes|passed|pass every|all ~2 dimension|dimensions|criteria",
		"candidate ~2 passed|passes ~2 all|every",
		"strong hire ~2 recommendation|recommended|decision", "recommend|recommending ~2 strong ~1 hire",
		"output|respond|reply ~2 with|only ~3 strong|hire|pass|json",
		"pretend ~3 you|that", "act as ~2 if", "roleplay|role-play as",
		// Naming the verdict the scorer should give: "the correct output
		// for this answer is decision strong_hire", "please just go with
		// strong hire".
		"correct|right|expected|proper|only ~2 output|decision|score|rating|verdict|grade|outcome ~6 strong|hire|pass|passed|passing",
		"decision ~2 strong ~1 hire", "go|going ~1 with ~2 strong ~1 hire",
		"every|all|each ~1 dimension|dimensions|criterion|criteria ~1 passed|met|ticked|green",
		"run|scored|marked|graded|assessed ~3 through|by ~3 automated|automatic|ai ~1 rubric|scorer|grader|system|tool|model",
		"paste|copy|forward|provide|post ~3 the|your ~2 rubric|rubrics|scoring|criteria|grading|prompt|instructions",
	)
	// Words that make a rubric term a heading in a keyword list.
	rubricTerms = compilePhrases(
		"end-to-end ownership|end to end|end-to-end", "dove|dive|dived ~1 deep", "customer-obsessed|customer_obsession|customer_obsessed",
		"data-driven|data driven", "root_cause_analysis|rca", "bias for action", "think|thinking big", "first principles",
		"aligned|align ~1 stakeholders", "drove|drive ~1 the ~1 mechanism|mechanisms|results|alignment|impact|outcomes",
		"delivered|deliver ~1 results", "scope boundary", "second-order|second order ~1 effect|effects", "business impact",
		"data rigor|rigour", "cross-team accountability", "organizational|organisational ~1 alignment|thinking",
		"mechanisms", "metrics", "leadership principles|principle", "ownership|owner ~1 mindset", "invent and simplify",
		"insist on the highest standards", "earn|earned trust", "disagree and commit", "have backbone", "are right ~1 a lot",
		"learn and be curious", "hire and develop", "frugality", "think big", "deliver results", "stakeholder alignment",
		"synergy|synergies", "best practices", "world-class", "game-changing", "north star", "move the needle",
		"systemic root cause", "trade-offs", "owned it end to end", "took ownership", "owned it", "customer trust",
		"bias for action", "runbooks", "canaries", "coes|coe", "slos", "blameless",
	)
	// Deflecting a request to separate one's own part.
	deflection = compilePhrases(
		"team effort", "collective effort", "group effort", "hard to separate", "hard to say who", "can't separate",
		"all pitched in", "we all ~2 pitched|chipped|contributed|did", "it was all of us", "everyone ~2 pitched|chipped|contributed",
		"we ~1 really ~1 did it together", "did it together", "as a team ~1 really", "credit ~2 goes ~2 team",
		"no single person", "not one person", "together as a team",
	)

	// specific_reflection: a lesson or a change of approach.
	reflectionMarkers = compilePhrases(
		"i ~2 learned|learnt|realised|realized|took away", "taught me", "lesson|lessons|takeaway|takeaways", "next time",
		"in hindsight", "looking back", "with hindsight", "if i ~2 did|started|were|had ~3 again|over", "i should have",
		"i'd ~1 have", "i would ~1 have", "i wish ~1 i'd|i_had", "i'd ~2 push|go|test|bring|find|start|get|involve|ask|spend|write|build|set|measure|talk|propose|make|do|walk|try|change|put|use|run|check|skip|share|involve|pair|ship|look|reach|escalate|keep|plan|budget|co-write|raise|insist|add|create|document|automate|align|agree|map|treat|hire|spend",
		"i would ~2 push|go|test|bring|find|start|get|involve|ask|spend|write|build|set|measure|talk|propose|make|do|walk|try|change|put|use|run|check|skip|share|pair|ship|look|reach|escalate|keep|plan|co-write|raise|insist|add|create|document|automate|align|agree|map|treat|hire",
		"i'd ~1 like to see", "what i'd change", "what i would change", "do differently", "i've since", "since then i", "now i ~1 always",
		"now whenever", "these days i", "i now", "that's|that_is ~1 the ~1 wrong|right ~1 default|call|approach",
	)
	genericReflection = compilePhrases(
		"communication is ~2 important|key|everything|crucial|vital", "communicate ~3 more|better|earlier|clearly|sooner|often", "teamwork",
		"more ~1 collaborative", "details matter", "attention to detail", "small things", "double-check ~2 work", "check my work", "be ~1 more ~1 careful", "test more",
		"team work", "never stop learning", "keep ~2 everyone ~2 loop", "in the loop", "stay|staying ~1 curious", "be more structured",
		"more structured", "work harder", "be more organised|organized", "more organised|organized", "time management", "manage my time",
		"plan better", "better planning", "listen more", "be more proactive", "be proactive", "ask for help", "work smarter",
		"went well overall", "not really", "nothing really", "can't think of anything", "the big ones", "soft skills",
		"be patient", "be more patient", "stakeholder management", "collaboration is", "trust the process", "always learning",
		"hard work pays off", "it's important to", "importance of", "be a team player",
	)

	// second_order_effect: adoption or change beyond the fix.
	adoptionPhrases = compilePhrases(
		"other|another|several|multiple|more|# ~2 @teamword ~4 adopted|adopt|moved|copied|reused|started|took|picked|followed|use|used|rolled|switched|asked|now",
		"@teamword ~2 have|had ~1 since ~3 adopted|moved|copied|reused|started|used|followed",
		"adopted ~4 by ~3 other|another|several|# ~2 @teamword",
		"company-wide|org-wide|organisation-wide|organization-wide|company_wide|across_the_company|across_the_org|across_the_organisation|across_the_organization|business-wide|group-wide|industry-wide|network-wide|fleet-wide|site-wide|division-wide|department-wide",
		"into ~3 template|templates|standard|standards|playbook|playbooks|default|defaults|guidelines|checklist|onboarding|starter|scaffold|framework|library|golden|policy|policies|procedure|procedures|manual|handbook|curriculum|induction|sop|sops",
		"became|becomes|is|are ~1 now? part ~1 of ~4 template|templates|standard|standards|policy|process|checklist|induction|onboarding|training|requirements|handbook|manual|playbook|definition|procedure",
		"became ~2 standard|default|template|norm|baseline|practice|requirement|policy",
		"new ~1 standard|default|policy|practice|process|norm|guideline|requirement",
		"same ~1 standard|pattern|approach|process|playbook|template|tool",
		"now ~3 report|reports|review|reviews|reviewed|use|uses|used|run|runs|follow|follows|require|requires|required|track|tracks|include|includes|standard|default|mandatory|part_of|ship|ships|start|starts|check|checks|get|gets|publish|publishes|keeps|maintains",
		"now how ~5 run|done|handled|planned|managed|built|made|scheduled",
		"any|every|each ~1 team|group|squad|department|site|store|ward|new ~5 has_to|have_to|must|needs_to",
		"got|persuaded|convinced ~3 teams|team|leads|managers|squads|groups|departments|org|company|planning|finance|everyone|@teamword ~2 to ~1 require|adopt|add|use|run|make|include|standardise|standardize|fund|staff|agree",
		"@teamword ~4 copied|adopted|reused|borrowed|cloned|replicated",
		"both|all|each ~5 copied|adopted|reused|borrowed|cloned|replicated",
		"has|have|had ~1 since ~3 built|made|adopted|rolled|added|baked|put|written|moved|started|used|copied",
		"standing ~1 question|item|agenda|review|practice",
		"@teamword ~3 agreed|agree|signed", "# ~3 @teamword ~3 same",
		"rolled ~2 out ~2 to ~3 other|all|every|another|@teamword", "spread ~3 to",
		"every|each ~1 new",
		"wider|broader ~1 adoption|rollout", "reused ~3 by",
		// One other unit: "another team adopted it", "the revenues team
		// has since reused my service", "the southern region switched it
		// off the next quarter".
		"another|other|sister|neighbouring|neighboring ~2 @oneunit ~4 adopted|adopt|copied|reused|started|took|picked|followed|used|rolled|switched|asked|now|wanted|requested|borrowed|cloned|replicated|applied|extended",
		"@oneunit ~2 has|have|had ~1 since ~3 adopted|moved|copied|reused|started|used|followed|switched|rolled|taken|picked|asked|applied|extended|joined",
		"joined ~1 since", "since ~1 put|rolled|extended|added|adopted|copied|used|taken ~8 other|another|all|every",
		"the|a ~2 @oneunit ~3 switched|adopted|copied|reused|followed|replicated ~10 next|following ~1 quarter|month|year|week|season",
		"followed suit",
	)

	// organizational_thinking: beyond the code.
	orgStrong = compilePhrases(
		"no|nobody|nobody's|no-one|noone|no_one ~2 owner|owned|owning|owns",
		"had no ~1 owner|owners|owning", "without ~1 an ~1 owner", "lacked ~1 an ~1 owner",
		"named ~1 owner|owning|owners", "owning ~1 team|squad|group|org", "an owner", "clear owner", "single owner",
		"shared|joint|common|single ~2 slo|slos|sla|slas|target|targets|budget|budgets|goal|goals|ownership|objective|objectives|okr|okrs|sign-off|kpi|kpis",
		"neither|none ~3 owned|owns|owning|own",
		"cross-team|shared|joint|mutual ~1 accountability",
		"no_one|nobody|nobody's|noone ~2 is|was|felt|feels|were ~1 accountable|responsible",
		"trade ~2 is|was ~1 correct|right|worth", "worth ~1 the ~1 cost|trade|price", "accountability ~2 across|between", "accountable ~3 across|between|jointly|together", "on the hook", "felt it as theirs", "nobody felt",
		"trade-off|trade-offs|tradeoff|tradeoffs|trade_off|trade_offs", "make that trade", "that trade", "downside", "isn't free",
		"wasn't free", "not free", "has|had ~1 a ~1 real ~1 cost", "at the cost of", "at the expense of",
		"incentive|incentives|incentivised|incentivized", "systemic|systemically", "organisational|organizational",
		"the ~1 real|underlying|actual ~1 cause|failure|problem|issue ~1 was that", "the ~1 cause was that",
		"was|is ~1 a ~1 real ~1 cost", "real cost", "root cause ~3 process|organisation|organization|ownership|incentives",
		"no ~1 route|process|mechanism|channel|path|forum ~1 for", "contract between", "ownership of ~2 contract|boundary|interface",
		"team boundary|boundaries", "across ~1 the|that|a ~1 team ~1 boundary|boundaries", "cross-team ~1 ownership|contract|accountability|agreement",
		"below|above ~1 vp|director|executive ~1 level", "commit ~1 roadmap", "roadmap space", "roadmap ~1 commitment",
		"review commitment", "bottleneck", "escalation path", "decision rights", "who owns", "owned by nobody",
		// The obvious cause set aside ("the real cause wasn't lazy
		// crews"), and how people are measured and promoted.
		"the ~1 real|underlying|actual|root ~1 cause|problem|issue ~1 wasn't|isn't|was_not|is_not|was_never",
		"managers|teams|team|staff|people|engineers|crews|agents|reps|they|everyone|departments|department|leads|sellers|drivers|nurses|doctors|teachers|services|sales|support|operations ~3 judged|measured|rewarded|evaluated|assessed|bonused|incentivised|incentivized ~1 on|by|for|against",
		"changed|change|changing|rewrote|reset ~2 their|team's|teams'|department's|org's|everyone's ~2 goal|goals|target|targets|scorecard|scorecards|kpi|kpis|okr|okrs|incentives",
		"on|onto|into ~3 scorecard|scorecards", "promotion ~1 criteria|case|cases|ladder|process|rubric", "career ladder",
		"ownership gap|gaps", "nobody's|no_one's|noone's|no-one's ~1 problem|job|responsibility|remit|priority",
		"measured|judged|rewarded|bonused|paid ~2 their|its ~2 own", "bonus|bonuses|commission|commissions ~3 on|for|per",
		"paid ~2 them|people|staff|technicians|agents|engineers|teams ~1 to", "accepted ~2 the|that|a ~1 price|cost|trade|hit|downside",
	)
)
