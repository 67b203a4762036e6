package rubric

import (
	"slices"
	"strings"
)

// Detectors for the twelve dimensions.

// buildVerbs produce a solution: a fix, a change, a new thing.
var buildVerbs = newWordSet(
	"added", "automated", "built", "capped", "changed", "configured", "consolidated", "converted", "created",
	"cut", "decoupled", "deleted", "deployed", "designed", "downsampled", "eliminated", "enabled", "enforced",
	"extended", "implemented", "indexed", "installed", "integrated", "introduced", "launched", "merged",
	"migrated", "moved", "optimised", "optimized", "parallelised", "parallelized", "partitioned", "patched",
	"piloted", "prototyped", "published", "rebuilt", "redesigned", "refactored", "removed", "reordered",
	"replaced", "rerouted", "restructured", "retuned", "reverted", "rewrote", "rolled", "scripted", "shipped",
	"simplified", "split", "standardised", "standardized", "swapped", "switched", "throttled", "trained",
	"tuned", "turned", "upgraded", "wrote", "released", "staged", "fixed", "resolved", "repaired", "retrained",
	"reconfigured", "rewired", "restored", "rebalanced", "resharded", "sharded", "cached", "batched",
	"deduplicated", "drafted", "documented", "set", "put", "organised", "organized", "ran", "cancelled",
	"canceled", "negotiated", "hired", "trained", "taught", "rearranged", "relocated", "provisioned",
	"decommissioned", "terminated", "applied", "gated", "flagged", "translated", "calibrated", "assembled",
	"printed", "booked", "scheduled", "coded", "committed", "defined", "outlined", "reran", "re-ran",
	"recommended", "proposed", "planned", "written", "rewritten",
	"purged", "archived", "cleared", "recovered", "demoed", "trialled", "trialed", "canaried", "toggled",
	"reduced", "lowered", "increased", "shortened", "tightened", "loosened", "widened", "narrowed", "limited",
	"repaired", "sealed", "installed", "rebalanced", "renegotiated", "retired", "merged", "coordinated", "arranged",
	// an operational call that is the fix: "curtailed those twelve to idle"
	"curtailed", "shut", "paused", "halted", "suspended", "disabled", "quarantined", "diverted", "reallocated",
	"rescheduled", "reassigned", "redeployed", "froze", "idled", "grounded", "recalled", "evacuated",
	// rearranging the physical or the recorded
	"re-slotted", "reslotted", "slotted", "updated", "relabelled", "relabeled", "re-labelled", "reorganised",
	"reorganized", "resequenced", "re-sequenced", "redrew", "re-rostered", "rerostered", "retagged",
	// putting right what went wrong for the people affected
	"recalculated", "reissued", "re-issued", "reimbursed", "refunded", "reprocessed", "re-processed", "resent",
	"re-sent", "rebooked", "corrected", "credited", "compensated",
)

// notSolutions are build verbs too general to show a fix of one's own
// ("put the cases together", "set a meeting").
var notSolutions = newWordSet("put", "set", "ran", "booked", "scheduled", "cleared", "printed",
	"reran", "re-ran", "cancelled", "canceled", "defined", "outlined", "documented", "drafted", "applied", "flagged")

var (
	sustainedEffort = compilePhrases(
		"kept ~1 at it", "kept ~2 going", "for ~2 a|# ~1 year|years|months|quarters|weeks", "every|each ~1 week|month|day|sprint|monday|tuesday|wednesday|thursday|friday|morning|evening|night|shift ~3 for",
		"checking in ~1 regularly|weekly|every", "over the next ~2 # ~1 weeks|months|quarters",
		"followed ~1 up|through", "saw it through", "until ~3 done|finished|shipped|live|resolved|fixed",
		"until the end of", "stayed|stuck ~1 with it", "i ~1 spent ~4 @timeunit ~1 building|writing|rewriting|designing|creating|implementing|fixing|developing|coding|migrating|automating|rebuilding",
	)
	notShipped = compilePhrases(
		"never ~2 shipped|launched|released|deployed|merged|finished|completed",
		// the work itself, not "linen sets we paid for were never used"
		"it|this|that|they|tool|fix|change|script|feature|dashboard|report|proposal|prototype|patch|code|app|system|plan|idea|pilot ~3 was|were|got ~1 never ~1 used|adopted|built|implemented|picked|finished",
		"never ~1 got ~1 used|adopted|built|implemented|picked|finished",
		"never ~1 went ~1 live|out|anywhere", "never ~1 went into production", "never made it ~2 production|out|live",
		"stayed|sat|remained|died ~1 on ~1 my|a ~1 branch", "stayed ~1 a ~1 prototype|demo", "didn't|did_not ~1 ship|launch|land|get_shipped|go_live",
		"was|got ~1 shelved|abandoned|scrapped|deprioritised|deprioritized|cancelled|canceled",
		"don't think ~2 anyone|anybody ~2 picked|used|adopted|took", "nobody ~2 picked ~1 it|this ~1 up",
		"no one ~2 picked ~1 it|this ~1 up", "i ~1 moved on", "i was ~1 pulled ~1 onto|off|into",
		"ran out of time", "didn't|never ~1 get ~2 finished|done|merged",
		"got|was|were ~1 moved|pulled|reassigned|switched|put ~1 onto|to|off|on ~2 another|other|a_different|new",
		"i ~1 moved|switched ~1 onto|on_to|to ~2 another|other|a_different|new|the_new",
		"was|were ~1 left ~1 running|sitting|half-done|unfinished|at", "don't know if ~4 ever", "didn't follow ~1 it ~1 up|through",
		"haven't|hasn't|have_not|has_not ~1 followed ~2 it|up|through|since", "never ~1 followed ~1 up|it|through",
		"didn't|never|did_not ~1 go|went|get|got ~1 beyond|further|past",
		"i ~1 moved|switched|transferred ~1 to|onto ~4 programme|program|team|project|role|group|org|department|job",
		"pushed|deferred|postponed|delayed|shelved ~1 into|to|until ~2 next",
		"went|going|moved|switched|reverted ~1 back ~1 to ~3 old|previous|original|paper|manual",
		"still ~2 on ~1 paper|the_old", "still ~2 hasn't|haven't|hadn't|wasn't|isn't ~2 shipped|launched|rolled|released|adopted|live",
	)
	reflectionPrompt = []string{"differently", "learn", "lesson", "take away", "takeaway", "take from", "looking back",
		"hindsight", "reflect", "would you change", "what would you do", "do it again", "do anything different", "change anything"}
)

// situationEnd returns the index (in d.sents) of the first sentence of the
// first answer in which the candidate acts; earlier sentences set the scene.
func (d *doc) situationEnd() int {
	if d.snippet {
		return 0
	}
	for i, s := range d.sents {
		if !s.first {
			return i
		}
		for _, c := range s.clauses {
			if (ownActor(c.subj) || c.subj == subjPassive) && actionClause(c) {
				return i
			}
		}
	}
	return len(d.sents)
}

// results lists the usable sentences past the scene-setting.
func (d *doc) results() []*sentence {
	end := d.situationEnd()
	var out []*sentence
	for _, s := range d.sents[end:] {
		if !d.excluded[s] {
			out = append(out, s)
		}
	}
	return out
}

func (d *doc) firstPerson(a actorCounts, flagged bool) finding {
	var f finding
	defl := false
	var deflected Evidence
	for _, s := range d.sents {
		if has(s.ws, &deflection) && !defl {
			defl = true
			deflected = d.quote(s)
		}
	}
	switch {
	case a.i < 3:
		f.cue = firstOf(a.weQuotes)
		if a.we > a.i {
			f.note = "most actions are told as \"we\"" + firstQuote(a.weQuotes)
		} else if a.passive > a.i {
			f.note = "most of the story is in the passive voice"
		} else {
			f.note = "few actions are told as \"I\" statements"
		}
	case a.we > a.i:
		f.note = "\"we\" actions outnumber \"I\" actions" + firstQuote(a.weQuotes)
		f.cue = firstOf(a.weQuotes)
	case defl && a.i < 2*a.we:
		f.note = "asked for their own part, the candidate credited the team"
		f.cue = &deflected
	case a.iBuilt == 0 && a.weBuilt >= 2:
		f.note = "the key step, the fix itself, is told as \"we\"" + firstQuote(a.weQuotes)
		f.cue = firstOf(a.weQuotes)
	case a.passive > a.i:
		f.note = "most of the story is in the passive voice"
	default:
		f.pass = true
		for _, e := range a.iQuotes {
			f.add(e)
		}
	}
	return f
}

// firstOf returns the first evidence, or nil.
func firstOf(ev []Evidence) *Evidence {
	if len(ev) == 0 {
		return nil
	}
	return &ev[0]
}

func firstQuote(ev []Evidence) string {
	if len(ev) == 0 {
		return ""
	}
	return ", e.g. \"" + ev[0].Quote + "\""
}

func (d *doc) concreteActions(a actorCounts) finding {
	var f finding
	if a.concrete >= 3 {
		f.pass = true
		for _, e := range a.concreteEv {
			f.add(e)
		}
		return f
	}
	f.note = "the steps stay general"
	f.cue = firstOf(a.vagueEv)
	if len(a.vagueEv) > 0 {
		f.note += ", e.g. \"" + a.vagueEv[0].Quote + "\""
	}
	return f
}

func (d *doc) endToEnd(a actorCounts, reportOnly bool) finding {
	var f finding
	var solution []Evidence // a fix, change or plan of their own
	var effort []Evidence   // sustained follow-through ("kept at it for a year")
	var drove []Evidence    // hands-on in getting the change out ("I worked with one engineer on it")
	released := d.released()
	if stopped := d.workStopped(); stopped != nil {
		f.note = "the work stopped before it reached production: \"" + d.quote(stopped).Quote + "\""
		f.cue = ptr(d.quote(stopped))
		return f
	}
	for _, s := range d.usable() {
		ws := s.ws
		if has(ws, &notShipped) {
			continue // an attempt the story moved past
		}
		for _, c := range s.clauses {
			// Once the problem was handed over and others fixed it, "it
			// was resolved" is their fix: only the candidate's own count.
			if solutionClause(c) && (!reportOnly || ownActor(c.subj)) {
				solution = append(solution, d.quoteTokens(s, c.toks))
			}
		}
		if st, _, ok := find(ws, &sustainedEffort); ok && !hypotheticalSentence(s) && !negatedNear(ws, st) {
			effort = append(effort, d.quote(s))
		}
		if has(ws, &drivingPhrases) && !hypotheticalSentence(s) {
			drove = append(drove, d.quote(s))
		}
	}
	if released && !reportOnly {
		// Someone else typed the code, but the candidate drove the change
		// out: diagnosis, data, review and checks up to the release.
		effort = append(effort, drove...)
	}
	if reportOnly && len(solution) == 0 {
		// Chasing a ticket is not carrying the fix.
		f.note = "the candidate reported the problem and others produced the fix"
		return f
	}
	solution = append(solution, effort...)
	if len(solution) == 0 {
		f.note = "no fix, change or plan of the candidate's own is described"
		return f
	}
	f.pass = true
	for _, e := range solution {
		f.add(e)
	}
	return f
}

// releaseVerbs put a change in front of its users.
var releaseVerbs = newWordSet("released", "launched", "shipped", "deployed", "rolled", "merged", "landed", "went", "cut")

// workStopped returns the sentence where the candidate's work stopped
// short of production ("the change stayed on my branch"), or nil. "First
// I tried a shorter checklist, and it still didn't get done" is an attempt
// the story moves past, and "nobody had picked it up, so I did" is where
// it starts: a stop followed by a fix of the candidate's own (told as what
// happened, not as what they would do differently) does not end the work.
func (d *doc) workStopped() *sentence {
	if !d.stop.known {
		d.stop.known, d.stop.at = true, d.findStop()
	}
	return d.stop.at
}

func (d *doc) findStop() *sentence {
	if d.released() {
		return nil
	}
	var stopped *sentence
	for _, s := range d.usable() {
		if has(s.ws, &notShipped) && !hypotheticalSentence(s) && !preventionPrompt(d.prompts[s.turn]) {
			stopped = s
			continue
		}
		if stopped == nil || anyHypothetical(s) || s.turn != stopped.turn && d.reflectionPrompt(s.turn) {
			continue
		}
		for _, c := range s.clauses {
			if solutionClause(c) {
				stopped = nil
				break
			}
		}
	}
	return stopped
}

// preventionPrompt: the interviewer asked what stops the problem coming
// back. What stalled in that answer is the safeguard (judged by
// mechanism), not the fix.
func preventionPrompt(p string) bool { return containsAny(p, preventionWords) }

var preventionWords = []string{"again", "in place", "recur", "prevent", "keep it from", "stop it", "come back", "lasted", "stick"}

// containsAny: the (lower-cased) prompt p holds one of keys.
func containsAny(p string, keys []string) bool {
	for _, k := range keys {
		if strings.Contains(p, k) {
			return true
		}
	}
	return false
}

// released reports a real release of the candidate's (or their team's)
// work: "released to five percent of users", "we rolled it out".
func (d *doc) released() bool {
	if !d.live.known {
		d.live.known, d.live.released = true, d.findRelease()
	}
	return d.live.released
}

func (d *doc) findRelease() bool {
	for _, s := range d.usable() {
		if st, _, ok := find(s.ws, &liveNow); ok && !negatedNear(s.ws, st) && !hypotheticalSentence(s) && !hypotheticalAt(s, s.ws, st) {
			return true
		}
		for _, c := range s.clauses {
			if !actionClause(c) || !(ownActor(c.subj) || c.subj == subjPassive) || !c.verbIn(releaseVerbs) {
				continue
			}
			if v := c.verbNorm(); v == "went" || v == "cut" {
				if !has(words(c.toks), &goLive) {
					continue
				}
			}
			return true
		}
	}
	return false
}

var liveNow = compilePhrases("led|drove|ran|completed|finished|managed|did|coordinated ~2 the ~1 rollout|roll-out|cutover|cut-over|launch|release|migration|deployment",
	"was|went|were|gone|go|goes ~1 live", "in production", "since ~1 rollout|launch|release|cutover", "after ~1 rollout|launch|release|cutover")

var goLive = compilePhrases("went live", "went into production", "went out", "cut over", "cutover")

// deltaIn finds a measured change in a sentence's words: "from 40 to 5",
// "dropped 30 percent", "11 minutes instead of 40", "went to zero". The
// threshold of a rule ("flags any student whose score drops by two
// grades", "alerts if latency rises by 20%") is not a change that
// happened.
func deltaIn(ws []token) (int, int, bool) {
	for from := 0; from < len(ws); {
		st, en, ok := deltaFrom(ws, from)
		if !ok {
			break
		}
		if !ruleCondition(ws, st) {
			return st, en, true
		}
		from = st + 1
	}
	return 0, 0, false
}

// ruleCondition: the words just before i open a rule's condition, or
// make what follows a forecast or a target ("we're forecasting the seat
// count to fall from 2,900 to 1,100").
func ruleCondition(ws []token, i int) bool {
	for j := max(0, i-4); j < i; j++ {
		switch ws[j].norm {
		case "if", "whenever", "whose", "unless":
			return true
		}
	}
	for j := max(1, i-3); j < i; j++ {
		// "to plan on 6% more staffing hours": a plan, not a result
		if ws[j].norm == "on" || ws[j].norm == "for" {
			switch ws[j-1].norm {
			case "plan", "planned", "planning", "budget", "budgeted", "budgeting", "allow", "allowed":
				return true
			}
		}
	}
	for j := max(0, i-8); j < i; j++ {
		switch ws[j].norm {
		case "forecasting", "projecting", "targeting", "aiming", "expecting", "will":
			return true
		case "forecast", "projected", "expected", "predicted":
			// "projected to fall", not "the forecast went from four days"
			if ws[j+1].norm == "to" {
				return true
			}
		}
	}
	return false
}

// unitAfter: the number at j carries a unit of change (a percentage,
// points, money, time) rather than counting things ("fourteen
// departments").
func unitAfter(ws []token, j int) bool {
	if strings.HasSuffix(ws[j].norm, "%") || isCurrencyPrefixed(ws[j].norm) || j+1 == len(ws) {
		return true
	}
	n := &ws[j+1]
	switch n.norm {
	case "percent", "per", "points", "point", "pp", "x", "times", "fold", "k", "m", "million", "thousand", "hundred", "billion", "grand":
		return true
	}
	return setTimeunit.has(n) || setMoney.has(n) || n.isNum
}

// deltaFrom is deltaIn's first candidate at or after word from.
func deltaFrom(ws []token, from int) (int, int, bool) {
	for i := from; i < len(ws); i++ {
		t := ws[i]
		if t.norm == "from" {
			// from X … to Y
			for j := i + 1; j < len(ws) && j <= i+5; j++ {
				if !ws[j].isNum {
					continue
				}
				for k := j + 1; k < len(ws) && k <= j+6; k++ {
					if ws[k].norm != "to" && ws[k].norm != "down" && ws[k].norm != "up" {
						continue
					}
					for m := k + 1; m < len(ws) && m <= k+4; m++ {
						if ws[m].isNum && realQuantity(ws, j) && realQuantity(ws, m) && !clockRange(ws, j, m) {
							return i, m + 1, true
						}
						if n := ws[m].norm; n == "none" || n == "zero" || n == "nothing" || n == "nil" {
							return i, m + 1, true // "from one booking in six to none"
						}
					}
				}
				break
			}
		}
		if changeVerbs.has(&t) {
			direction := false // "to", "by", "from", "down", "up" seen since the verb
			if (t.norm == "going" || t.norm == "went" || t.norm == "gone") && i+1 < len(ws) {
				switch ws[i+1].norm {
				case "over", "above", "past", "beyond", "under", "below":
					continue // "going over six minutes": a threshold crossed, not a change
				}
			}
			for j := i + 1; j < len(ws) && j <= i+5; j++ {
				if ws[j].isNum && realQuantity(ws, j) {
					toFigure := j+2 < len(ws) && ws[j+1].norm == "to" && ws[j+2].isNum // "went 40->5 min"
					if !direction && !toFigure && !unitAfter(ws, j) && !rateAfter(ws, j) {
						break // "moved fourteen departments", "removed about 22,000 addresses": things acted on, not a change
					}
					return i, j + 1, true
				}
				switch ws[j].norm {
				case "to", "by", "from", "down", "up":
					direction = true
				}
				if ws[j].norm == "nothing" || ws[j].norm == "nil" {
					return i, j + 1, true
				}
				if !deltaFillers.has(&ws[j]) {
					break
				}
			}
			// "cut brand-search bids by a third": the figure after "by".
			for j := i + 1; j < len(ws) && j <= i+5; j++ {
				if ws[j].norm == "by" && j+1 < len(ws) && (ws[j+1].isNum || (ws[j+1].norm == "a" && j+2 < len(ws) && ws[j+2].isNum)) {
					return i, j + 2, true
				}
			}
		}
		if t.isNum && realQuantity(ws, i) {
			for j := i + 1; j < len(ws) && j <= i+3; j++ {
				switch ws[j].norm {
				case "fewer", "less", "more":
					if j == i+1 && !unitAfter(ws, i) && !rateAfter(ws, i) {
						continue // "she found two more problems": some extra, not a change
					}
					return i, j + 1, true
				case "faster", "slower", "lower", "higher", "cheaper", "smaller", "bigger", "shorter", "quicker":
					return i, j + 1, true
				}
			}
			for j := i + 1; j < len(ws) && j <= i+16; j++ {
				n := ws[j].norm
				if n == "not" && j > i+8 {
					break // "not" only close to the figure
				}
				if n == "instead" || n == "against" || n == "versus" || n == "vs" || n == "compared" || n == "not" || n == "rather" {
					for k := j + 1; k < len(ws) && k <= j+6; k++ {
						if ws[k].isNum && realQuantity(ws, k) {
							return i, k + 1, true
						}
					}
				}
			}
		}
		switch t.norm {
		case "halved", "doubled", "tripled", "quadrupled":
			return i, i + 1, true
		case "back":
			// "until it was back at 0.2%": returned to its level
			for j := i + 1; j < len(ws) && j <= i+3; j++ {
				if ws[j].isDigit && (ws[j-1].norm == "at" || ws[j-1].norm == "to" || ws[j-1].norm == "under" || ws[j-1].norm == "below") {
					return i, j + 1, true
				}
			}
		case "to":
			// "Misconnects 2.1% to 0.6%": two percentages either side
			if i > 0 && i+1 < len(ws) && percentAfter(ws, i-1) && percentAfter(ws, i+1) && ws[i-1].num != ws[i+1].num {
				return i - 1, i + 2, true
			}
		case "became", "becomes":
			// "Fourteen oil changes a fortnight became five."
			if numberWithinWords(ws, i, 6) && i+1 < len(ws) && (ws[i+1].isNum || i+2 < len(ws) && ws[i+2].isNum && deltaFillers.has(&ws[i+1])) {
				return max(0, i-6), min(len(ws), i+3), true
			}
		case "from":
			// "4.3 out of 5, up from 3.9 the year before"
			if i > 0 && (ws[i-1].norm == "up" || ws[i-1].norm == "down") && i+1 < len(ws) && ws[i+1].isNum && numberWithinWords(ws, i, 8) {
				return i - 1, i + 2, true
			}
		case "up", "down":
			// "orders up 6.1 percent", "down 40%"; not a verb's particle
			// ("set up 12 meetings", "wrote down 30 ideas").
			if i+1 < len(ws) && ws[i+1].isDigit && (i == 0 || !pastForm(ws[i-1].norm) || percentAfter(ws, i+1)) {
				return i, i + 2, true
			}
		case "last", "previous", "previously", "used":
			// "The last time a gateway failed, the gap was two days";
			// "it used to take forty minutes".
			period := i+2 < len(ws) && ws[i+1].isNum && setTimeunit.has(&ws[i+2]) || i+1 < len(ws) && setTimeunit.has(&ws[i+1])
			if !period && ((t.norm == "last" && i+1 < len(ws) && ws[i+1].norm == "time") || t.norm == "previous" || t.norm == "previously" ||
				(t.norm == "used" && i+1 < len(ws) && ws[i+1].norm == "to")) {
				// "the previous two months" names a period, not a baseline.
				for j := i + 3; j < len(ws) && j <= i+14; j++ {
					if ws[j].isNum && realQuantity(ws, j) && ws[j].norm != "one" {
						return i, j + 1, true
					}
				}
			}
		case "before":
			// "Before, we had two or three failures a month; after that,
			// none": a figure, then after it a figure or none.
			// Also "in the three months before, four near-misses; in the
			// six months after, zero".
			if i == 0 || setTimeunit.has(&ws[i-1]) {
				if end, ok := afterFigure(ws, i); ok {
					return i, end, true
				}
			}
			// "38 percent the term before, 91 percent the term after"
			if numberWithin(ws, i, 5) {
				for j := i + 1; j < len(ws) && j <= i+12; j++ {
					if (ws[j].norm == "after" || ws[j].norm == "now" || ws[j].norm == "afterwards") && numberWithin(ws, j, 5) {
						return max(0, i-5), j + 1, true
					}
				}
			}
		}
	}
	return 0, 0, false
}

// clockRange: "from 11 to 12 on Saturdays", "from 10 to 10:45": times of
// day, not a before and after.
func clockRange(ws []token, j, m int) bool {
	hour := func(t token) bool {
		return t.isDigit && (strings.Contains(t.norm, ":") || t.num == float64(int(t.num)) && t.num >= 1 && t.num <= 24)
	}
	if !hour(ws[j]) || !hour(ws[m]) {
		return false
	}
	if strings.Contains(ws[j].norm, ":") || strings.Contains(ws[m].norm, ":") {
		return true
	}
	if m+1 < len(ws) {
		switch ws[m+1].norm {
		case "on", "am", "pm", "a.m", "p.m", "o'clock", "every", "each", "at", "in", "tonight", "today":
			return true
		}
	}
	return false
}

// percentAfter: the number at i is a percentage or points.
func percentAfter(ws []token, i int) bool {
	return strings.HasSuffix(ws[i].norm, "%") ||
		i+1 < len(ws) && (ws[i+1].norm == "percent" || ws[i+1].norm == "per" || ws[i+1].norm == "points" || ws[i+1].norm == "%")
}

// afterFigure: a figure follows word i, and then "after" (or "since",
// "now") with a figure or "none" close behind it.
func afterFigure(ws []token, i int) (int, bool) {
	fig := -1
	for j := i + 1; j < len(ws) && j <= i+10; j++ {
		if ws[j].isNum && realQuantity(ws, j) {
			fig = j
			break
		}
	}
	if fig < 0 {
		return 0, false
	}
	for j := fig + 1; j < len(ws) && j <= fig+12; j++ {
		switch ws[j].norm {
		case "after", "afterwards", "since", "now":
		default:
			continue
		}
		for k := j + 1; k < len(ws) && k <= j+6; k++ {
			switch n := ws[k].norm; {
			case n == "none" || n == "zero" || n == "nothing" || n == "no":
				return k + 1, true
			case ws[k].isNum && realQuantity(ws, k) && !(k+1 < len(ws) && setTimeunit.has(&ws[k+1])):
				return k + 1, true
			}
		}
	}
	return 0, false
}

// numberWithinWords: a real quantity, in digits or words, in the n words
// before i.
func numberWithinWords(ws []token, i, n int) bool {
	for j := max(0, i-n); j < i; j++ {
		if ws[j].isNum && realQuantity(ws, j) {
			return true
		}
	}
	return false
}

// numberWithin: a digit-written number in the n words before i.
func numberWithin(ws []token, i, n int) bool {
	for j := max(0, i-n); j < i; j++ {
		if ws[j].isDigit {
			return true
		}
	}
	return false
}

// deltaFillers may stand between a change verb and its figure ("fell by
// about a third", "went down to 12").
var deltaFillers = newWordSet("by", "to", "from", "down", "up", "about", "roughly", "nearly", "almost", "around",
	"approximately", "just", "only", "over", "under", "below", "above", "than", "some", "a", "an", "another",
	"further", "the", "its", "it", "them", "this", "that", "all", "way", "back", "off", "out", "less", "more",
	"fewer", "at", "least", "most", "well", "barely", "close", "another", "full", "whole", "extra",
	// the letters of "R$520", "US$3m", "A$40k"
	"r", "us", "c", "nz", "hk", "s")

// realQuantity rejects "one" used as a pronoun and "a" style words.
func realQuantity(ws []token, i int) bool {
	t := ws[i]
	if t.isDigit {
		return true
	}
	switch t.norm {
	case "one":
		// "one in fifty", "one week", "one hundred and forty thousand":
		// keep only before a unit, "in" or a larger number word.
		if i+1 >= len(ws) {
			return false
		}
		switch ws[i+1].norm {
		case "in", "percent", "hundred", "thousand", "million", "billion":
			return true
		}
		return setTimeunit.has(&ws[i+1])
	case "double", "twice", "triple", "half", "quarter":
		return true
	}
	return true
}

func (d *doc) metricDelta() finding {
	var f finding
	for _, s := range d.results() {
		if hypotheticalSentence(s) {
			continue
		}
		ws := s.ws
		if st, en, ok := deltaIn(ws); ok {
			f.pass = true
			f.add(d.quoteTokens(s, ws[st:en]))
		} else if outcomeCount(s) {
			// "The premium tier took 41,000 upgrades in its first week":
			// an outcome counted, not the candidate's own activity.
			f.pass = true
			f.add(d.quote(s))
		} else if has(ws, &relativeResult) {
			// "we're at a sixth of where we started", "a third of what
			// it was"
			f.pass = true
			f.add(d.quote(s))
		} else if d.resultInProblemUnits(s) {
			// "Our close was taking 9 working days" … asked for the
			// result: "The March close finished in 5 days."
			f.pass = true
			f.add(d.quote(s))
		} else if d.beforeThenAfter(s) {
			// "Before, one sample in twelve needed a re-run. In the
			// three months after, it was about one in 250."
			f.pass = true
			f.add(d.quote(s))
		} else if d.zeroOfEarlierCount(s) {
			// "six corruptions" … on the fixed build, "zero corruptions"
			f.pass = true
			f.add(d.quote(s))
		} else if has(ws, &noneLeft) && d.baselineBefore(s) {
			// "four days later the number still owed anything was zero"
			f.pass = true
			f.add(d.quote(s))
		} else if has(ws, &measuredAfter) && d.baselineBefore(s) {
			// "Over the next six months capture was 99.4%", after "capture
			// at the four stations was 71%" earlier: a before and after
			// told in two sentences.
			f.pass = true
			f.add(d.quote(s))
		}
	}
	if !f.pass {
		f.note = "the result is not quantified"
		for _, s := range d.results() {
			if has(s.ws, &vagueResult) {
				f.note = "the result is described as \"" + d.quote(s).Quote + "\" with no number"
				f.cue = ptr(d.quote(s))
				break
			}
		}
	}
	return f
}

// measuredAfter is a figure measured over a period after the change.
var measuredAfter = compilePhrases(
	"over|in|for|during|within|after ~1 the ~1 next|following|first ~3 @timeunit ~5 was|were|stood|held|averaged|reached|hit|came ~3 #",
	"since ~1 then|rollout|launch|release|the_fix|the_change ~4 was|were|stood|held|averaged|has_been|have_been ~3 #",
)

// outcomeVerbs report what a change achieved rather than what was done.
var outcomeVerbs = newWordSet("reached", "served", "processed", "won", "sold", "signed", "gained", "attracted", "generated",
	"earned", "converted", "booked", "delivered", "took", "recovered", "retained", "topped", "exceeded", "hit")

// outcomeCount: a clause whose actor is not the candidate (or their team)
// reports an outcome as a count or a share ("delivered 94 percent of
// their parcels", "took 41,000 upgrades"); a duration ("took 40 minutes")
// is not one.
func outcomeCount(s *sentence) bool {
	for _, c := range s.clauses {
		if ownActor(c.subj) || c.hypothetical || c.negated {
			continue
		}
		// The clause's subject is a noun phrase ("The new checkout"), so
		// look for the outcome verb among its first words.
		ws := span(s.ws, c.toks[0].start, c.toks[len(c.toks)-1].end)
		for v := 0; v < len(ws) && v < 7; v++ {
			if !outcomeVerbs.has(&ws[v]) {
				continue
			}
			for i := v + 1; i < len(ws) && i <= v+5; i++ {
				if ws[i].isDigit && realQuantity(ws, i) && !(i+1 < len(ws) && setTimeunit.has(&ws[i+1])) {
					return true
				}
			}
			break
		}
	}
	return false
}

// zeroOfEarlierCount: s reports "zero X", "no X" or "X were zero" of
// something the story counted before ("six corruptions", later "zero
// corruptions"; "158 mismatches", later "mismatches were zero").
func (d *doc) zeroOfEarlierCount(s *sentence) bool {
	if hypotheticalSentence(s) {
		return false
	}
	zero := func(t *token) bool { return t.norm == "zero" || t.norm == "nil" || t.norm == "none" }
	for i := 0; i+1 < len(s.ws); i++ {
		k := -1 // the counted noun
		switch {
		case zero(&s.ws[i]) || s.ws[i].norm == "no":
			k = i + 1 // "zero corruptions"
		case i+2 < len(s.ws) && auxiliaries.has(&s.ws[i+1]) && zero(&s.ws[i+2]):
			k = i // "mismatches were zero"
		default:
			continue
		}
		noun := s.ws[k].norm
		if len(noun) < 4 || !strings.HasSuffix(noun, "s") || genericWords.has(&s.ws[k]) {
			continue
		}
		for _, p := range d.sents {
			if p == s {
				break
			}
			for j := 1; j < len(p.ws); j++ {
				if p.ws[j].norm == noun && p.ws[j-1].isNum && p.ws[j-1].norm != "zero" && realQuantity(p.ws, j-1) {
					return true
				}
			}
		}
	}
	return false
}

// noneLeft: a count that came to nothing.
var noneLeft = compilePhrases("number|count|share|rate|backlog ~6 was|were|is|are|fell|dropped|went|came ~2 zero|none|nil|nothing")

// relativeResult is a result told as a share of the starting point.
var relativeResult = compilePhrases(
	"a|one ~1 half|third|quarter|fifth|sixth|seventh|eighth|tenth|fraction ~1 of ~1 what|where ~4 was|were|started|used_to|had_been|it_was",
	"# ~1 times ~1 what|where ~4 was|were|started|used_to|had_been")

// resultInProblemUnits: s gives a figure for after the change — in answer
// to a question about the result, or saying "now" — in the same unit as an
// earlier figure of the story's opening (days and days, percent and
// percent): the before and after of one measure ("took 2.8 seconds at the
// median" … "the median is 0.9 seconds now").
func (d *doc) resultInProblemUnits(s *sentence) bool {
	// The question before the first answer ("…delivered an important
	// result") is not a question about the result.
	if !(!s.first && resultPrompt(d.prompts[s.turn])) && !(has(s.ws, &afterMarker) && !hypotheticalSentence(s)) {
		return false
	}
	after := figureUnits(s.ws)
	if len(after) == 0 {
		return false
	}
	for _, p := range d.firstAnswer() {
		if p == s {
			break // only figures told before this one
		}
		for _, u := range figureUnits(p.ws) {
			if slices.Contains(after, u) {
				return true
			}
		}
	}
	return false
}

// resultPrompt: the interviewer asked what came of it.
func resultPrompt(p string) bool { return containsAny(p, resultWords) }

var resultWords = []string{"result", "outcome", "turn out", "turned out", "what changed", "impact", "difference", "how did it go", "did it work", "what happened"}

// figureUnits lists the units of the figures in ws ("9 working days" →
// "day", "14 percent" → "percent"): the unit is the first time unit or
// percentage within two words of the number, singular.
func figureUnits(ws []token) []string {
	var out []string
	for i, t := range ws {
		if !t.isNum || !realQuantity(ws, i) {
			continue
		}
		if strings.HasSuffix(t.norm, "%") {
			out = append(out, "percent")
			continue
		}
		if i > 0 {
			switch ws[i-1].norm {
			case "previous", "last", "past", "next", "first", "over", "for", "every", "each", "within", "after":
				continue // a period of time, not a measure of the problem
			}
		}
		for j := i + 1; j < len(ws) && j <= i+2; j++ {
			if u := ws[j].norm; u == "percent" || u == "%" || setTimeunit.has(&ws[j]) && u != "shift" && u != "shifts" && u != "sprint" && u != "sprints" {
				if j+1 < len(ws) && u != "percent" && u != "%" {
					switch ws[j+1].norm {
					case "of", "before", "after", "earlier", "later", "ago", "away", "early", "late", "into", "in", "out":
						// "six months of logs", "two weeks before the
						// deadline": the data looked at, or when
						u = ""
					}
				}
				if u == "" {
					break
				}
				out = append(out, strings.TrimSuffix(u, "s"))
				break
			}
		}
	}
	return out
}

// beforeThenAfter: s gives a figure for after the change, and the
// sentence before it, in the same answer, a figure for before it.
func (d *doc) beforeThenAfter(s *sentence) bool {
	if s.index == 0 || !figureIn(s.ws) || !has(s.ws, &afterMarker) {
		return false
	}
	p := d.sents[s.index-1]
	return p.turn == s.turn && figureIn(p.ws) && (p.ws[0].norm == "before" || has(p.ws, &beforeMarker))
}

var (
	beforeMarker = compilePhrases("before ~1 the|that|this|it|then|we|i", "previously", "used to")
	afterMarker  = compilePhrases("after", "afterwards", "since", "now", "today", "these days", "later", "# ~1 @timeunit on",
		"reran|re-ran|rerun|re-run|repeated|remeasured|re-measured|retested|re-tested ~3 same") // "I re-ran the same 10,000"
)

// figureIn: a quantity that is not the length of a period ("two weeks
// after it" is when, not how much).
func figureIn(ws []token) bool {
	for i, t := range ws {
		if t.isNum && realQuantity(ws, i) && !(i+1 < len(ws) && setTimeunit.has(&ws[i+1])) {
			return true
		}
	}
	return false
}

// baselineBefore: an earlier sentence gives a figure to compare with.
func (d *doc) baselineBefore(s *sentence) bool {
	for _, p := range d.sents {
		if p == s {
			return false
		}
		for i, t := range p.ws {
			if t.isDigit && realQuantity(p.ws, i) {
				return true
			}
		}
	}
	return false
}

var vagueResult = compilePhrases(
	"got|were|was ~2 better", "improved", "team was ~2 happy", "everyone was ~2 happy", "people were ~2 happier|happy",
	"sped up", "a lot faster", "much better", "far fewer", "noticeably", "people noticed", "went well",
)

// conciseSituation: the story reaches its problem quickly. The first
// answer passes when its first past-tense sentence (the first event of the
// story: "the pipeline started landing late", "a grower called support")
// begins within the first 50 words and the answer does not open with
// background ("for context, our platform is…"). Present-tense description
// of a system is background however it is worded.
func (d *doc) conciseSituation() finding {
	var f finding
	first := d.firstAnswer()
	if len(first) == 0 {
		f.note = "there is no first answer"
		return f
	}
	if st, _, ok := find(first[0].ws, &preambleOpeners); ok && st < 12 {
		f.note = "the answer opens with background (\"" + d.quote(first[0]).Quote + "\")"
		f.cue = ptr(d.quote(first[0]))
		return f
	}
	offset := 0
	for _, s := range first {
		if offset >= conciseWords {
			break
		}
		if pastSentence(s.ws) {
			f.pass = true
			f.add(d.quote(s))
			return f
		}
		offset += len(s.ws)
	}
	// Stories told in the present tense ("so I'm on call and the site goes
	// down"): fall back to a problem word early on.
	offset = 0
	for _, s := range first {
		for i, t := range s.ws {
			if offset+i >= conciseWords {
				break
			}
			if problemWords.has(&t) && !anyPast(first) {
				f.pass = true
				f.add(d.quote(s))
				return f
			}
		}
		offset += len(s.ws)
	}
	f.note = "the first 50 words describe background before anything happens"
	return f
}

// conciseWords is how far into the first answer the story must start.
const conciseWords = 50

func anyPast(ss []*sentence) bool {
	for _, s := range ss {
		if pastSentence(s.ws) {
			return true
		}
	}
	return false
}

// pastSentence: the sentence narrates something that happened.
func pastSentence(ws []token) bool {
	for i, t := range ws {
		w := t.norm
		if pastMarkers.hasWord(w) {
			return true
		}
		if (w == "i'd" || w == "we'd" || w == "they'd") && i+1 < len(ws) && pastParticiple(ws[i+1].norm) {
			return true
		}
		if pastIrregular.hasWord(w) && !ambiguousPast.hasWord(w) && i > 0 && !adjectivePrefix.has(&ws[i-1]) {
			return true
		}
		if regularPast(w) && i > 0 && !adjectivePrefix.has(&ws[i-1]) && !ws[i-1].isNum {
			return true
		}
	}
	return false
}

var pastMarkers = newWordSet("was", "were", "had", "did", "wasn't", "weren't", "hadn't", "didn't", "couldn't", "ago", "yesterday", "last")

// ambiguousPast are irregular past forms that are also present forms.
var ambiguousPast = newWordSet("read", "set", "put", "cut", "let", "hit", "quit", "split", "shut", "spread", "cost", "run", "built-in",
	"cast", "broadcast", "forecast", "bet", "shed")

// adjectivePrefix: words before an -ed form that make it an adjective or a
// present passive ("a layered system", "is stored", "well tested").
var adjectivePrefix = newWordSet("a", "an", "the", "is", "are", "be", "been", "being", "very", "more", "most", "less", "well",
	"fully", "highly", "so", "too", "of", "with", "by", "as", "this", "that", "these", "those", "our", "their", "my",
	"his", "her", "its", "your", "any", "some", "each", "every", "no", "not", "get", "gets", "getting", "newly",
	"automatically", "partly", "partially", "poorly", "badly", "tightly", "loosely", "hand", "self", "pre")

func (d *doc) scopeBoundary() finding {
	return credit(d.usable(), func(s *sentence) bool { return scopeIn(s.ws) }, d,
		"nothing says the work was outside the candidate's remit or unasked")
}

// credit passes a dimension on every sentence for which holds is true,
// quoting them, and otherwise fails it with note.
func credit(sents []*sentence, holds func(*sentence) bool, d *doc, note string) finding {
	var f finding
	for _, s := range sents {
		if holds(s) {
			f.pass = true
			f.add(d.quote(s))
		}
	}
	if !f.pass {
		f.note = note
	}
	return f
}

// scopeIn finds a scope-boundary statement that is not about the
// candidate's own area.
func scopeIn(ws []token) bool {
	// "My team owns the search service; the booking flow belongs to
	// another team" places the work inside the candidate's own area: a
	// mere "belongs to another team" then proves nothing.
	owns := has(ws, &ownsArea)
	for i := range ws {
		if !scopePhrases.canStart(&ws[i]) {
			continue
		}
		for _, pi := range scopePhrases.candidates(&ws[i]) {
			p := &scopePhrases.phrases[pi]
			if !p.first.accepts(&ws[i]) {
				continue
			}
			end, ok := matchElems(p.elems, ws, i)
			if !ok || end <= i || ownScope(ws[i:end]) {
				continue
			}
			if owns && ownedElsewhere(p) {
				continue
			}
			return true
		}
	}
	return false
}

var ownsArea = compilePhrases("my|our ~1 team|squad|group ~1 owns|owned|own|maintains|maintained", "i ~1 own|owned|maintain|maintained")

// ownedElsewhere: the phrase says only that someone else owns a thing
// ("belongs to the platform team"), not that nobody asked the candidate.
func ownedElsewhere(p *phrase) bool {
	return strings.Contains(p.src, "@owned") || strings.Contains(p.src, "belong")
}

// ownScope: "owned by my team", "belongs to us": the candidate's own area.
func ownScope(ws []token) bool {
	mine, neg := false, false
	for _, t := range ws {
		switch t.norm {
		case "my", "our", "me", "us", "mine":
			mine = true
		case "not", "wasn't", "isn't", "weren't", "none", "nothing", "outside", "beyond", "no", "nobody", "no-one",
			"noone", "own", "spare", "initiative", "without", "never", "didn't", "hadn't", "aren't":
			neg = true
		}
	}
	return mine && !neg
}

// mechanism: the candidate put a safeguard in place (an alert, a test, a
// check, a recurring review, a gate that blocks) and said why it mattered,
// in the same sentence or the next one. A safeguard called unnecessary
// ("the fix was enough; a test would have been a nice-to-have") fails it.
func (d *doc) mechanism() finding {
	var f finding
	for _, s := range d.sents {
		_, _, _, nice := matchIn(s, &niceToHave)
		if _, _, _, ok := matchIn(s, &notNeeded); ok && safeguardIn(s.ws) {
			nice = true
		}
		if nice {
			f.note = "the safeguard was called unnecessary: \"" + d.quote(s).Quote + "\""
			f.cue = ptr(d.quote(s))
			return f
		}
	}
	if stopped := d.workStopped(); stopped != nil {
		f.note = "nothing was put in place: the work stopped at \"" + d.quote(stopped).Quote + "\""
		return f
	}
	usable := d.results()
	for i, s := range usable {
		at := safeguardAt(s.ws)
		if at < 0 {
			continue
		}
		// The sentences after it in the same answer may say who put it
		// in place ("I insisted on it because…") and why ("Without that,
		// …", "It pages the on-call…, since…").
		var after []*sentence
		for j := i + 1; j < len(usable) && j <= i+2 && usable[j].turn == s.turn; j++ {
			after = append(after, usable[j])
		}
		built := builtSomething(s) || len(after) > 0 && has(after[0].ws, &insistedOn)
		if !built {
			continue
		}
		reason := reasonGiven(s.ws, at)
		for _, n := range after {
			reason = reason || reasonFollows(n.ws)
		}
		if reason {
			f.pass = true
			f.add(d.quote(s))
		}
	}
	if !f.pass {
		f.note = "no safeguard (alert, test, check, process) was put in place with a reason"
		for _, s := range usable {
			if has(s.ws, &onlySuggested) && safeguardIn(s.ws) {
				f.note = "the safeguard was only suggested, not put in place: \"" + d.quote(s).Quote + "\""
				f.cue = ptr(d.quote(s))
				break
			}
		}
	}
	return f
}

var onlySuggested = compilePhrases("i ~2 suggested|proposed|recommended|mentioned|asked|hoped|wanted", "i'd ~2 like|have", "i would ~2 like|have")

// builtSomething: the candidate (or their team) put something in place,
// or something was put in place with no one else named as doing it ("a
// weekly audit was put in place", not "… was added by the platform team").
func builtSomething(s *sentence) bool {
	for _, c := range s.clauses {
		if !c.past || c.hypothetical || c.negated || c.verb < 0 {
			continue
		}
		v := c.verbNorm()
		if c.verbIn(setBuild) && (ownActor(c.subj) || c.subj == subjPassive && c.verbIn(putInPlace) && !agentNamed(c)) {
			return true
		}
		if causedToBuild(c) {
			return true
		}
		// "we agreed a late-parcel SLO with an alert": a safeguard
		// agreed on, named in the same clause.
		if (v == "agreed" || v == "negotiated") && ownActor(c.subj) && safeguardIn(c.rest) {
			return true
		}
	}
	return false
}

// causedToBuild: "I had the crib add a check-in step", "I had sensors
// put in": the candidate had someone else put it in place.
func causedToBuild(c clause) bool {
	if !ownActor(c.subj) || (c.verbNorm() != "had" && c.verbNorm() != "got") {
		return false
	}
	for i := 0; i < len(c.rest) && i < 6; i++ {
		switch c.rest[i].norm {
		case "add", "put", "install", "set", "build", "create", "introduce", "fit", "wire", "added", "installed", "fitted", "wired":
			return true
		}
	}
	return false
}

// insistedOn: "I insisted on it because…", "I pushed for that": the
// candidate stood behind the safeguard just named.
var insistedOn = compilePhrases("i ~1 insisted|pushed|fought|argued ~1 on|for ~1 it|that|this|them")

var didThat = compilePhrases("i ~1 did|added|built|wanted ~1 that|this|it")

// putInPlace are the passive forms that say a safeguard was established
// ("was put in place", "was added"), not that something was designed,
// scheduled or held.
var putInPlace = newWordSet("added", "introduced", "established", "instituted", "created", "built", "installed",
	"implemented", "put", "set", "mandated", "required", "enforced", "automated")

// agentNamed: a passive clause says who did it ("was added by the
// platform team"); "by" followed by a time or a means is not an agent.
func agentNamed(c clause) bool {
	for i := c.verb + 1; i+1 < len(c.toks); i++ {
		if c.toks[i].norm != "by" {
			continue
		}
		switch next := c.toks[i+1].norm; next {
		case "me", "myself", "us", "ourselves":
			return false
		case "the", "a", "an", "another", "their", "his", "her", "my", "our", "them", "him", "someone", "somebody":
			// "by the end of the week", "by the platform team": only an
			// agent if no time word follows.
			if i+2 < len(c.toks) && (c.toks[i+2].norm == "end" || c.toks[i+2].norm == "time" || setTimeunit.has(&c.toks[i+2])) {
				continue
			}
			return true
		default:
			if c.toks[i+1].upper {
				return true // "by Finance", "by Priya"
			}
		}
	}
	return false
}

// safeguardIn finds a safeguard: a safeguard noun used as a noun ("an
// alert", not "to check it"), something recurring ("a nightly
// comparison", "a weekly summary"), or what a guard does ("blocks
// promotion if any unit fails").
func safeguardIn(ws []token) bool { return safeguardAt(ws) >= 0 }

// safeguardAt is the index of safeguardIn's first safeguard word, -1 for
// none.
func safeguardAt(ws []token) int {
	for i, t := range ws {
		switch {
		case setSafeguard.has(&t) && (i == 0 || ws[i-1].norm != "to"):
			return i
		case setRecurring.has(&t):
			return i
		case safeguardActs.has(&t) && i > 0 && (ws[i-1].norm == "it" || ws[i-1].norm == "that" || ws[i-1].norm == "which" || ws[i-1].norm == "now"):
			return i
		case safeguardActs.has(&t) && conditionAfter(ws[i+1:]):
			// "… and blocks promotion if any unit fails"
			return i
		}
	}
	if st, _, ok := find(ws, &recurringReport); ok {
		return st
	}
	if st, _, ok := find(ws, &sensingDevices); ok {
		return st
	}
	return -1
}

// sensingDevices watch a condition ("wireless temperature sensors").
var sensingDevices = compilePhrases("temperature|smoke|leak|door|level|pressure|motion|water|humidity|vibration ~1 sensor|sensors|probe|probes|alarm|alarms|logger|loggers")

// conditionAfter: a condition opens within a few words ("if", "when").
func conditionAfter(ws []token) bool {
	for i := 0; i < len(ws) && i < 4; i++ {
		switch ws[i].norm {
		case "if", "when", "whenever", "unless", "once":
			return true
		}
	}
	return false
}

// recurringReport is a report that comes round on its own and so keeps
// watch: "a line on the morning report", "the weekly summary".
var recurringReport = compilePhrases(
	"morning|evening|daily|nightly|weekly|monthly|shift|handover|end-of-day|end-of-shift|quarterly ~1 report|reports|summary|summaries|email|emails|huddle|briefing|scorecard|review|sheet|sheets|log|round|rounds|walk|walks")

// reasonGiven: the sentence says why its safeguard (at word at) is there.
// "Because …" may stand anywhere; a purpose ("so that", "in case", "to
// make sure") counts after the safeguard, since before it it is usually
// the fix's purpose ("I wrote a change so referrals match, and added
// tests").
func reasonGiven(ws []token, at int) bool {
	for i, t := range ws {
		switch t.norm {
		case "because", "since", "otherwise", "unless", "whenever":
			return true
		case "so", "case", "ensure":
			// "so that", "so the team hears", "in case", "to ensure";
			// before the safeguard, "…, so I added an alert" gives the
			// reason first.
			if i > 0 && (i > at || t.norm == "so" && i+1 < len(ws) && (ws[i+1].norm == "i" || ws[i+1].norm == "we")) {
				return true
			}
		case "sure":
			if i > 0 && i > at && ws[i-1].norm == "make" {
				return true
			}
		}
		if safeguardActs.has(&t) && i > 0 {
			// "…that fires if", "…and pages the on-call engineer": what
			// the guard does is why it is there.
			return true
		}
	}
	return false
}

// reasonFollows: the next sentence says why ("Without that, the next
// change would have slipped through again").
func reasonFollows(ws []token) bool {
	if has(ws, &withoutIt) {
		return true
	}
	if len(ws) > 0 {
		switch ws[0].norm {
		case "it", "this", "that", "these", "they", "if", "when":
			// "It runs weekly … and fails the build, because …": the
			// safeguard itself, and why.
			if reasonGiven(ws, 0) {
				return true
			}
		case "i":
			// "I insisted on it because …", "I did that because …"
			if (has(ws, &insistedOn) || has(ws, &didThat)) && reasonGiven(ws, 0) {
				return true
			}
		}
	}
	for _, t := range ws {
		switch t.norm {
		case "otherwise", "again", "silently", "unnoticed", "unseen", "invisible", "recur", "recurring", "regress", "regression",
			"quietly", "stale", "drift", "drifts", "drifted", "creep", "creeps", "crept":
			return true
		}
	}
	return false
}

var withoutIt = compilePhrases("without ~1 that|it|this|them|those|one", "the next ~2 change|release|upgrade|time|one|cut|import|update")

// safeguardActs are what a safeguard does when it trips.
var safeguardActs = newWordSet("fires", "pages", "fails", "blocks", "alerts", "rejects", "stops", "warns", "flags", "catches",
	"notifies", "emails", "halts", "prevents", "refuses", "trips", "escalates", "locks", "holds", "texts", "pings")

func (d *doc) businessImpact() finding {
	return credit(d.results(), func(s *sentence) bool { return businessIn(d, s, s.ws) }, d,
		"the result is not tied to money, customers, time or risk")
}

// dataSources name where figures come from ("the sales report").
var dataSources = newWordSet("report", "reports", "data", "dashboard", "dashboards", "figures", "numbers", "team", "system", "ledger", "spreadsheet", "sheet")

var strongBusiness = newWordSet("revenue", "profit", "profits", "churn", "retention", "cancellations", "margin", "margins", "sales")

// businessPhrases translate a result into business terms without a figure.
var businessPhrases = compilePhrases(
	"lose|lost|losing|win|won|renew|renewed|renewal|save|saved|retain|retained ~3 contract|contracts|client|clients|customers|account|accounts|deal|deals|business",
	"compliance|regulatory|legal|audit|safety ~1 risk|risks|fine|fines|breach|breaches|finding|findings|penalty|penalties|exposure",
	"fines|penalties|lawsuit|lawsuits|write-off|write-offs|chargebacks",
	"customer|customers|client|clients ~2 trust|satisfaction|complaints|churn|loyalty",
	"sold out", "advertising|ad|ads ~2 revenue|inventory|sales|income", "cancelled|canceled|dropped|ended ~3 vendor|supplier|licence|license|contract|subscription",
	// Harm and reach in the terms of whoever the work serves.
	"safeguarding|patient|clinical|child|data|security|privacy|fraud|financial|reputational ~1 risk|risks|harm|exposure|breach|breaches",
	"more|fewer|extra|additional ~4 reached|served|helped|fed|supported|housed ~2 families|customers|patients|people|users|students|children|households|members|residents|guests|passengers|shoppers",
	"more|fewer|extra|additional ~1 families|customers|patients|people|users|students|children|households|members|residents|guests|passengers|shoppers ~4 reached|completed|finished|received|got|made|kept|stayed",
)

func businessIn(d *doc, s *sentence, ws []token) bool {
	if has(ws, &businessPhrases) {
		return true
	}
	text := d.t.Turns[s.turn].Text
	_, _, delta := deltaIn(ws)
	saved := false // time or effort given back: "saved", "stopped", "by hand"
	for i, w := range ws {
		switch w.norm {
		case "saved", "saving", "saves", "freed", "save", "manual", "manually", "hand", "stopped", "avoided", "spared":
			saved = true
		case "back":
			// "120 agent-hours a month back", not "brought two rooms back"
			saved = saved || i > 0 && setPeriod.has(&ws[i-1])
		}
	}
	for i, t := range ws {
		if strongBusiness.has(&t) && !(i+1 < len(ws) && dataSources.has(&ws[i+1])) && (delta || saved || figureIn(ws)) {
			// "sales rose 4 percent", "£200K of revenue", not "laid the
			// schedule against the hourly sales report"
			return true
		}
		if !t.isNum || !realQuantity(ws, i) {
			continue
		}
		if t.isDigit && isCurrencyPrefixed(text[t.start:t.end]) {
			return true
		}
		for j := max(0, i-3); j < min(len(ws), i+4); j++ {
			if setMoney.has(&ws[j]) {
				return true
			}
		}
		unit := ""
		if i+1 < len(ws) {
			unit = ws[i+1].norm
			if k := strings.LastIndexByte(unit, '-'); k >= 0 && !setTimeunit.hasWord(unit) && setTimeunit.hasWord(unit[k+1:]) {
				unit = unit[k+1:] // "agent-hours", "person-days"
			}
		}
		rate := rateAfter(ws, i)
		switch {
		case setTimeunit.hasWord(unit):
			// "about 12 hours a week … they stopped", "saved 300 hours"
			if saved && (rate || delta || hasBefore(ws, i, "saved", "freed", "back")) {
				return true
			}
		case unit == "percent" || unit == "%" || unit == "points":
		default:
			// A business volume as a rate or a change: "1,800 more
			// listings every week", "refunds fell from 400 a week to 60",
			// "calls dropped from 2,100 a month to 600".
			for j := i + 1; j < min(len(ws), i+4); j++ {
				if setBiz.has(&ws[j]) && (rate || delta || saved || hasBefore(ws, i, "more", "fewer", "extra", "additional")) {
					return true
				}
			}
			for j := max(0, i-8); j < i; j++ {
				if setBiz.has(&ws[j]) && rate {
					return true
				}
			}
			for j := max(0, i-6); j < min(len(ws), i+4); j++ {
				if setPeople.has(&ws[j]) && delta {
					return true // "two and a half people … now half a person"
				}
			}
		}
	}
	return false
}

// rateAfter: the number at i is followed by a rate ("a week", "per month").
func rateAfter(ws []token, i int) bool {
	for k := i + 1; k < min(len(ws), i+7); k++ {
		if setPeriod.has(&ws[k]) && (ws[k-1].norm == "a" || ws[k-1].norm == "per" || ws[k-1].norm == "every" || ws[k-1].norm == "each" || ws[k-1].norm == "an") {
			return true
		}
	}
	return false
}

// hasBefore: one of words stands in the few words before i.
func hasBefore(ws []token, i int, words ...string) bool {
	for j := max(0, i-4); j < i; j++ {
		for _, w := range words {
			if ws[j].norm == w {
				return true
			}
		}
	}
	return false
}

func isCurrencyPrefixed(s string) bool {
	for _, c := range []string{"$", "£", "€", "¥", "₹"} {
		if len(s) >= len(c) && s[:len(c)] == c {
			return true
		}
	}
	return false
}

func (d *doc) secondOrder() finding {
	return credit(d.results(), func(s *sentence) bool {
		if hypotheticalSentence(s) {
			return false
		}
		if othersAdopted(s) {
			return true
		}
		st, _, ok := find(s.ws, &adoptionPhrases)
		return ok && !hypotheticalAt(s, s.ws, st) && !negatedNear(s.ws, st)
	}, d, "the result ends at the immediate fix: no adoption, standard or process change beyond it")
}

// othersAdopted: someone other than the candidate took the work up ("the
// air freight desk adopted the same lookup", "auto and renters adopted the
// letter standard", "the home insurance side asked for it").
func othersAdopted(s *sentence) bool {
	for _, c := range s.clauses {
		if ownActor(c.subj) || c.subj == subjPassive || !actionClause(c) {
			continue
		}
		switch c.verbNorm() {
		case "adopted", "copied", "reused", "borrowed", "cloned", "replicated":
			return true
		case "asked":
			if len(c.rest) > 1 && c.rest[0].norm == "for" && (c.rest[1].norm == "it" || c.rest[1].norm == "the" || c.rest[1].norm == "a" || c.rest[1].norm == "one") {
				return true
			}
		}
	}
	return false
}

func (d *doc) dataRigor(metric finding) finding {
	var f finding
	for _, s := range d.sents {
		if _, _, _, ok := matchIn(s, &gutFeel); ok && !othersOnly(s) {
			f.note = "a figure rests on no data: \"" + d.quote(s).Quote + "\""
			f.cue = ptr(d.quote(s))
			return f
		}
	}
	figures := metric.pass
	for _, s := range d.results() {
		for i, t := range s.ws {
			if t.isNum && t.norm != "one" && realQuantity(s.ws, i) {
				figures = true
			}
		}
	}
	if !figures {
		f.note = "there is no figure whose derivation could be shown"
		return f
	}
	usable := d.usable()
	for i, s := range usable {
		if hypotheticalSentence(s) {
			continue
		}
		if _, _, _, ok := matchIn(s, &derivationPhrases); !ok {
			continue
		}
		// The derivation must produce a figure: in the same sentence, or
		// the one before or after it in the same answer ("… would have
		// cost around £20k. I worked that out from …").
		if hasFigure(s.ws) ||
			(i+1 < len(usable) && usable[i+1].turn == s.turn && hasFigure(usable[i+1].ws)) ||
			(i > 0 && usable[i-1].turn == s.turn && hasFigure(usable[i-1].ws)) {
			f.pass = true
			f.add(d.quote(s))
		}
	}
	if !f.pass {
		f.note = "figures are given without saying where they came from"
	}
	return f
}

// hasFigure: a number that states a finding, not the span of the data
// looked at ("two weeks of logs", "ninety days of history").
func hasFigure(ws []token) bool {
	for i, t := range ws {
		if !t.isNum || t.norm == "one" || !realQuantity(ws, i) {
			continue
		}
		if i+2 < len(ws) && setTimeunit.has(&ws[i+1]) && ws[i+2].norm == "of" {
			continue
		}
		// "rolled it out to a tenth of the users", "to 5 percent": a
		// rollout step, not a finding.
		if i > 0 && (ws[i-1].norm == "to" || (ws[i-1].norm == "a" && i > 1 && ws[i-2].norm == "to")) {
			continue
		}
		return true
	}
	return false
}

func (d *doc) reflection() finding {
	var f finding
	story := map[string]bool{}
	for _, s := range d.firstAnswer() {
		for _, t := range s.ws {
			if specific(t) {
				story[t.norm] = true
			}
		}
	}
	var generic *sentence
	usable := d.usable()
	for si, s := range usable {
		ws := s.ws
		prompted := !s.first && d.reflectionPrompt(s.turn)
		if !prompted && !has(ws, &reflectionMarkers) && !counterfactual(s) {
			continue
		}
		if has(ws, &genericReflection) {
			if generic == nil {
				generic = s
			}
			continue
		}
		// An answer to "what would you do differently?" is judged whole:
		// its lesson may span short sentences. A lesson offered unasked
		// ("If I did it again, I'd page the secondary first.") takes the
		// two sentences after it that explain it.
		for k, s2 := range usable[si+1:] {
			if s2.turn != s.turn || !prompted && k >= 2 {
				break
			}
			if has(s2.ws, &genericReflection) {
				break
			}
			ws = append(ws[:len(ws):len(ws)], s2.ws...)
		}
		// Specific to this story: it names enough concrete things, some of
		// them from the story itself ("I'd go to one-second metrics on day
		// one" after a story about one-minute averages).
		spec, shared := 0, 0
		for _, t := range ws {
			if specific(t) && !reflectionStop.has(&t) {
				spec++
				if story[t.norm] {
					shared++
				}
			}
		}
		if spec >= 5 || (spec >= 3 && shared >= 1) {
			f.pass = true
			f.add(d.quote(s))
		}
	}
	if !f.pass {
		if generic != nil {
			f.note = "the lesson is generic: \"" + d.quote(generic).Quote + "\""
			f.cue = ptr(d.quote(generic))
		} else {
			f.note = "there is no lesson or \"what I'd do differently\""
		}
	}
	return f
}

// counterfactual: "I'd replay production traffic…", "I would push
// earlier for…" — the candidate saying what they would do differently.
func counterfactual(s *sentence) bool {
	for _, c := range s.clauses {
		if c.subj != subjI || !c.hypothetical || c.negated {
			continue
		}
		if v := c.verbNorm(); v == "say" || v == "think" || v == "guess" || v == "imagine" || v == "appreciate" || v == "rather" ||
			v == "prefer" || v == "love" || v == "hate" || v == "want" || v == "like" && !has(c.rest, &likeToSee) {
			continue // "I'd say…", "I'd like to think…": not a lesson
		}
		for _, t := range c.toks {
			switch t.norm {
			case "would", "i'd", "should", "wish":
				return true
			}
		}
	}
	return false
}

var likeToSee = compilePhrases("to see|have|push|get|build|make|try|start")

var reflectionStop = newWordSet("learned", "learnt", "lesson", "lessons", "realised", "realized", "differently", "hindsight",
	"looking", "would", "should", "probably", "definitely", "important", "really", "always", "basically", "honestly",
	"think", "things", "overall", "staying", "curious", "communication", "communicate")

// reflectionPrompt reports whether the interviewer's question before turn
// asked for a lesson; the answer is cached per turn.
func (d *doc) reflectionPrompt(turn int) bool {
	if v, ok := d.reflective[turn]; ok {
		return v
	}
	v := promptAsksReflection(d.prompts[turn])
	d.reflective[turn] = v
	return v
}

func promptAsksReflection(p string) bool { return containsAny(p, reflectionPrompt) }

func (d *doc) orgThinking() finding {
	return credit(d.usable(), func(s *sentence) bool { return has(s.ws, &orgStrong) }, d,
		"the story stays technical: no trade-off, systemic cause or cross-team accountability")
}
