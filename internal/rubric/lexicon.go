package rubric

// Word lists the detectors share. They name ideas, not any one story: a
// verb list says what counts as a concrete step, a noun list what counts as
// a safeguard, and so on.

var concreteVerbs = newWordSet(
	// investigating and analysing
	"analysed", "analyzed", "audited", "benchmarked", "bucketed", "calculated", "categorised", "categorized",
	"charted", "compared", "correlated", "counted", "debugged", "diagnosed", "dug", "exported", "extracted",
	"graphed", "grouped", "inspected", "instrumented", "interviewed", "joined", "labelled", "labeled",
	"mapped", "matched", "measured", "modelled", "modeled", "plotted", "profiled", "pulled", "queried",
	"reconciled", "replayed", "reproduced", "researched", "reviewed", "sampled", "scanned", "segmented",
	"simulated", "surveyed", "tagged", "tested", "timed", "traced", "tracked", "triaged", "validated",
	"verified", "confirmed", "shadowed", "loaded", "backtested", "isolated", "bisected", "logged", "checked", "double-checked", "re-checked", "rechecked",
	"quantified", "estimated", "forecast", "forecasted", "modelled", "read", "studied", "walked",
	"lined", "broke", "identified", "pinpointed", "narrowed", "ruled", "dissected", "parsed", "scraped",
	"collected", "gathered", "recorded", "photographed", "observed", "audited", "cross-checked", "spot-checked",
	// changing and building
	"added", "automated", "built", "capped", "changed", "cleaned", "configured", "consolidated", "converted",
	"created", "cut", "decoupled", "deleted", "deployed", "designed", "drafted", "documented", "downsampled",
	"eliminated", "enabled", "enforced", "extended", "implemented", "indexed", "installed", "integrated",
	"introduced", "launched", "merged", "migrated", "moved", "optimised", "optimized", "packaged",
	"parallelised", "parallelized", "partitioned", "patched", "piloted", "prototyped", "published", "rebuilt",
	"redesigned", "refactored", "removed", "renamed", "reordered", "replaced", "rerouted", "restructured",
	"retuned", "reverted", "rewrote", "rolled", "scheduled", "scripted", "shipped", "simplified", "split",
	"standardised", "standardized", "swapped", "switched", "throttled", "trained", "tuned", "turned",
	"upgraded", "wrote", "released", "staged", "negotiated", "scoped", "prioritised", "prioritized",
	"cancelled", "canceled", "coded", "committed", "paired", "presented", "ran", "organised", "organized",
	"hired", "recruited", "booked", "borrowed", "printed", "sized", "trimmed", "listed", "defined", "outlined",
	"compiled", "drew", "set", "put", "opened", "closed", "filed", "raised", "escalated", "sent", "emailed",
	"posted", "called", "phoned", "met", "sat", "shut", "stopped", "paused", "blocked", "held", "refused",
	"rejected", "declined", "postponed", "delayed", "insisted", "decided", "chose", "picked", "pushed",
	"proposed", "pitched", "wired", "hooked", "embedded", "reran", "re-ran", "retrained", "relabelled",
	"relabeled", "repaired", "replumbed", "resized", "reconfigured", "rewired", "cleared", "flushed",
	"purged", "archived", "restored", "recovered", "rebalanced", "resharded", "sharded", "cached",
	"batched", "deduplicated", "normalised", "normalized", "encrypted", "signed", "rotated", "renewed",
	"calibrated", "assembled", "soldered", "machined", "welded", "inspected", "packed", "shelved",
	"relocated", "rearranged", "rostered", "rota'd", "translated", "taught", "ran", "demoed", "trialled",
	"trialed", "canaried", "gated", "flagged", "toggled", "provisioned", "decommissioned", "terminated",
	"resolved", "fixed", "applied", "enrolled", "sketched", "wireframed", "storyboarded", "costed",
	"budgeted", "invoiced", "refunded", "credited", "contacted", "visited", "toured", "replaced", "written", "rewritten",
	"recommended", "curtailed", "halted", "suspended", "disabled", "quarantined", "diverted", "reallocated",
	"rescheduled", "reassigned", "redeployed", "froze", "idled", "grounded", "recalled", "evacuated",
	"re-slotted", "reslotted", "slotted", "relabelled", "relabeled", "re-labelled", "reorganised", "reorganized",
	"resequenced", "re-sequenced", "redrew", "re-rostered", "rerostered", "retagged", "scan-checked",
)

// vagueVerbs describe activity without saying what was done.
var vagueVerbs = newWordSet(
	"helped", "supported", "handled", "worked", "looked", "dealt", "sorted", "tried", "encouraged", "led",
	"listened", "advised", "pitched", "focused", "facilitated", "drove", "owned", "aligned", "leveraged",
	"championed", "spearheaded", "oversaw", "partnered", "collaborated", "engaged", "empowered", "motivated",
	"guided", "addressed", "tackled", "handled", "managed", "ensured", "improved", "enhanced", "streamlined",
	"delivered", "executed", "contributed", "participated", "assisted", "coached", "mentored", "nurtured",
	"checked-in", "touched", "did", "was", "were", "had", "felt", "thought", "believed", "wanted", "liked",
	"needed", "knew", "hoped", "noticed", "realised", "realized", "heard", "saw", "became", "seemed",
	"appeared", "happened", "involved", "stayed", "remained", "learned", "learnt", "enjoyed", "cared",
	"thrived", "went", "kept", "evangelised", "evangelized", "influenced", "unblocked", "rallied", "inspired",
	"socialised", "socialized", "advocated", "pushed", "brought",
)

// vagueObjects make an otherwise specific verb vague: "made some changes",
// "fixed it", "gave her feedback".
var vagueObjects = newWordSet(
	"it", "things", "thing", "stuff", "some", "something", "everything", "anything", "whatever",
	"feedback", "advice", "support", "guidance", "help", "opportunities", "confidence", "sure", "better",
	"improvements", "changes", "tweaks", "bits", "pieces", "ideas", "suggestions", "stuff", "role",
	"model", "loop", "best", "what", "there", "momentum", "alignment", "buy-in", "vision", "consensus",
	"traction", "excitement", "awareness", "relationships", "culture", "visibility", "energy", "people",
	"stakeholders", "leadership", "ownership", "impact", "value", "results", "outcomes", "synergies",
	"issues", "issue", "problems", "friction", "complexity", "flow", "experience", "approach",
	"responsibility", "accountability", "relationship", "relationships", "narrative", "story", "vision", "strategy",
)

// statesAndPerceptions are past-tense forms that are not actions.
var nonActions = newWordSet(
	"was", "were", "had", "felt", "thought", "believed", "seemed", "wanted", "liked", "loved", "needed",
	"knew", "hoped", "wished", "meant", "appeared", "sounded", "remained", "stayed", "happened",
	"noticed", "realised", "realized", "heard", "saw", "became", "assumed", "expected", "joined",
	"learned", "learnt", "enjoyed", "cared", "spotted", "understood", "guessed", "wondered", "imagined",
	"worried", "doubted", "suspected", "agreed", "disagreed", "preferred", "used", "supposed", "mentioned",
	"said",
)

// Numbers and results.
var changeVerbs = newWordSet(
	"went", "dropped", "fell", "rose", "grew", "climbed", "increased", "decreased", "declined", "improved",
	"reduced", "cut", "shrank", "shrunk", "jumped", "moved", "came", "sank", "slid", "slipped", "lifted",
	"raised", "lowered", "doubled", "halved", "tripled", "quadrupled", "saved", "recovered", "freed",
	"eliminated", "removed", "plummeted", "soared", "spiked", "surged", "tumbled", "recouped", "reclaimed",
	"gained", "boosted", "trimmed", "shortened", "sped", "accelerated", "shaved", "gone", "fallen", "risen", "grown", "dropping", "falling", "rising",
	"going", "settled", "stabilised", "stabilized", "returned",
	"averaged", "halving", "doubling",
)
