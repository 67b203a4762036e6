package knowledge

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

func mustLoad(t *testing.T) *Pack {
	t.Helper()
	p, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return p
}

func TestLoadShippedPack(t *testing.T) {
	p := mustLoad(t)
	if got := len(p.Principles); got != len(PrincipleNames) {
		t.Fatalf("principles = %d, want %d", got, len(PrincipleNames))
	}
	for i, pr := range p.Principles {
		if pr.Name != PrincipleNames[i] {
			t.Errorf("principle %d = %q, want %q (PrincipleNames order)", i, pr.Name, PrincipleNames[i])
		}
	}
}

func TestLists(t *testing.T) {
	tests := []struct {
		name string
		list []string
		want int
	}{
		{"Dimensions", Dimensions, 12},
		{"RedFlags", RedFlags, 4},
		{"PrincipleNames", PrincipleNames, 16},
		{"Levels", Levels, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.list) != tt.want {
				t.Errorf("len = %d, want %d", len(tt.list), tt.want)
			}
			c := slices.Clone(tt.list)
			slices.Sort(c)
			if len(slices.Compact(c)) != len(tt.list) {
				t.Errorf("duplicates in %v", tt.list)
			}
		})
	}
	if Dimensions[0] != FirstPersonActions || Dimensions[3] != MetricDelta || Dimensions[11] != OrganizationalThinking {
		t.Errorf("Dimensions not in rubric order (core first): %v", Dimensions)
	}
}

func TestCounts(t *testing.T) {
	p := mustLoad(t)
	if n := len(p.Exemplars); n < 150 {
		t.Errorf("exemplars = %d, want at least 150", n)
	}

	allPrinciples := map[string]bool{}
	for _, e := range p.Exemplars {
		if e.Principle != "" {
			allPrinciples[e.Principle] = true
		}
	}
	if len(allPrinciples) != len(PrincipleNames) {
		t.Errorf("exemplars cover %d principles, want all %d", len(allPrinciples), len(PrincipleNames))
	}

	for _, id := range slices.Concat(Dimensions, RedFlags) {
		t.Run(id, func(t *testing.T) {
			weak := p.ExemplarsFor(id, LabelWeak)
			strong := p.ExemplarsFor(id, LabelStrong)
			if len(weak) == 0 || len(strong) == 0 {
				t.Errorf("weak = %d, strong = %d; want at least one of each", len(weak), len(strong))
			}
			principles := map[string]bool{}
			for _, e := range slices.Concat(weak, strong) {
				if e.Principle != "" {
					principles[e.Principle] = true
				}
			}
			if len(principles) < 8 {
				t.Errorf("exemplars span %d principles, want at least 8", len(principles))
			}
			if n := len(p.Probes(id, "")); n < 3 {
				t.Errorf("generic probes = %d, want at least 3", n)
			}
		})
	}

	for _, pr := range p.Principles {
		t.Run(pr.Name, func(t *testing.T) {
			if len(pr.Questions) < 3 {
				t.Errorf("questions = %d, want at least 3", len(pr.Questions))
			}
			for _, q := range pr.Questions {
				if !behavioural(q.Text) {
					t.Errorf("question %q does not ask for a past example: %q", q.ID, q.Text)
				}
			}
		})
	}
}

func TestWalkthroughCoverage(t *testing.T) {
	p := mustLoad(t)
	var walk []Exemplar
	for _, e := range p.Exemplars {
		if e.Source == SourceWalkthrough {
			walk = append(walk, e)
		}
	}
	tests := []struct {
		name      string
		dimension string // "" for any
		label     string // "" for any
		needles   []string
	}{
		{"drop rate", "", "", []string{"0.3%"}},
		{"weekly figure", "", "", []string{"$8K"}},
		{"race condition", "", "", []string{"race condition"}},
		{"shared SLO", OrganizationalThinking, LabelStrong, []string{"shared", "SLO"}},
		{"Slack routing", RoutingNotOwnership, LabelWeak, []string{"Slack"}},
		{"complete fix and rollout", RoutingNotOwnership, LabelStrong, []string{"fix", "rollout"}},
		{"nice-to-have alert", Mechanism, LabelWeak, []string{"nice-to-have"}},
		{"refused to ship without alert", Mechanism, LabelStrong, []string{"alert", "ship"}},
		{"gut-feel estimate", DataRigor, LabelWeak, []string{"gut"}},
		{"derived estimate", DataRigor, LabelStrong, []string{"volume", "0.3%", "$8K"}},
		{"generic reflection", SpecificReflection, LabelWeak, []string{"communication is important"}},
		{"communicate more", SpecificReflection, LabelWeak, []string{"communicate more"}},
		{"architecture preamble", ConciseSituation, LabelWeak, []string{"ingestion", "queue", "retry"}},
		{"scope boundary", ScopeBoundary, LabelStrong, []string{"no ticket", "nobody"}},
		{"we obscures", FirstPersonActions, LabelWeak, []string{"We "}},
		{"team was happy", MetricDelta, LabelWeak, []string{"happy"}},
		{"pattern adopted", SecondOrderEffect, LabelStrong, []string{"pattern"}},
		{"manager asked", DirectedByManager, LabelWeak, []string{"manager"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, e := range walk {
				if tt.dimension != "" && e.Dimension != tt.dimension || tt.label != "" && e.Label != tt.label {
					continue
				}
				if containsAll(e.Text, tt.needles) {
					return
				}
			}
			t.Errorf("no walkthrough exemplar (dimension %q, label %q) mentions %q", tt.dimension, tt.label, tt.needles)
		})
	}

	// The three framings and the level expectations.
	levels := map[string]bool{}
	framings := map[string]bool{}
	for _, e := range walk {
		if e.Level != "" {
			levels[e.Level+"/"+e.Dimension+"/"+e.Label] = true
		}
		framings[e.Principle] = true
	}
	for _, want := range []string{"L5/specific_reflection/strong", "L6/organizational_thinking/strong", "L6/organizational_thinking/weak"} {
		if !levels[want] {
			t.Errorf("no walkthrough exemplar for %s", want)
		}
	}
	for _, want := range []string{"Deliver Results", "Ownership", "Dive Deep", "Insist on the Highest Standards"} {
		if !framings[want] {
			t.Errorf("no walkthrough exemplar framed for %q", want)
		}
	}
}

func containsAll(s string, needles []string) bool {
	for _, n := range needles {
		if !strings.Contains(s, n) {
			return false
		}
	}
	return true
}

// hostLike matches anything that looks like a host name or URL. The pack is
// meant to be read by candidates and models; it names no hosts at all, which
// rules out package registries and mirrors without listing them here.
var hostLike = regexp.MustCompile(`(?i)://|\bwww\.|\b[a-z0-9-]+(\.[a-z0-9-]+)*\.(com|org|net|io|dev|co|cn|ru|de|uk|sh|app|cloud|edu|gov)\b`)

func TestNoHostNames(t *testing.T) {
	p := mustLoad(t)
	check := func(where, s string) {
		if m := hostLike.FindString(s); m != "" {
			t.Errorf("%s contains host-like text %q", where, m)
		}
	}
	for _, e := range p.Exemplars {
		check("exemplar "+e.ID+" text", e.Text)
		check("exemplar "+e.ID+" why", e.Why)
	}
	for _, pr := range p.Principles {
		check("principle "+pr.Name, pr.Description)
		for _, q := range pr.Questions {
			check("question "+q.ID, q.Text)
		}
		for dim, list := range pr.Probes {
			for _, q := range list {
				check("principle "+pr.Name+" probe "+dim, q)
			}
		}
	}
	for dim, list := range p.ProbesByDimension {
		for _, q := range list {
			check("probe "+dim, q)
		}
	}
	if hostLike.FindString("see example.org for details") == "" {
		t.Error("hostLike does not match a host name")
	}
}

func TestExemplarShape(t *testing.T) {
	p := mustLoad(t)
	texts := map[string]string{}
	for _, e := range p.Exemplars {
		if n := len(e.Text); n < 20 || n > 600 {
			t.Errorf("exemplar %s: text is %d bytes, want a realistic 20..600", e.ID, n)
		}
		if strings.ContainsAny(e.Why, "\n\r") {
			t.Errorf("exemplar %s: why spans lines", e.ID)
		}
		if first, dup := texts[e.Text]; dup {
			t.Errorf("exemplar %s repeats the text of %s", e.ID, first)
		}
		texts[e.Text] = e.ID
		if e.Dimension == OrganizationalThinking && e.Source == SourcePack && e.Level < "L6" {
			t.Errorf("exemplar %s: organizational_thinking exemplars should be tagged L6 or L7, got %q", e.ID, e.Level)
		}
	}
}

func TestPrincipleLookup(t *testing.T) {
	p := mustLoad(t)
	tests := []struct {
		in     string
		want   string
		wantOK bool
	}{
		{"Ownership", "Ownership", true},
		{"ownership", "Ownership", true},
		{"  DIVE   DEEP ", "Dive Deep", true},
		{"are right a lot", "Are Right, A Lot", true},
		{"Strive to be Earth\u2019s Best Employer", "Strive to be Earth's Best Employer", true},
		{"strive to be earths best employer", "Strive to be Earth's Best Employer", true},
		{"Have Backbone; Disagree and Commit", "Have Backbone; Disagree and Commit", true},
		{"have backbone, disagree and commit", "Have Backbone; Disagree and Commit", true},
		{"Disagree and Commit", "Have Backbone; Disagree and Commit", true},
		{"Have Backbone", "Have Backbone; Disagree and Commit", true},
		{"Customer Obsessed", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := p.Principle(tt.in)
			if ok != tt.wantOK || got.Name != tt.want {
				t.Errorf("Principle(%q) = %q, %v; want %q, %v", tt.in, got.Name, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestProbes(t *testing.T) {
	p := mustLoad(t)
	generic := p.ProbesByDimension[Mechanism]
	hs, _ := p.Principle("Insist on the Highest Standards")
	own := hs.Probes[Mechanism]
	if len(own) == 0 {
		t.Fatal("Insist on the Highest Standards has no mechanism probe override")
	}
	tests := []struct {
		name      string
		principle string
		want      []string
	}{
		{"generic only", "", generic},
		{"unknown principle", "Nonsense", generic},
		{"principle without override", "Earn Trust", generic},
		{"override first", "insist on the highest standards", slices.Concat(own, generic)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := p.Probes(Mechanism, tt.principle)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Probes = %q, want %q", got, tt.want)
			}
		})
	}
	got := p.Probes(Mechanism, "")
	got[0] = "changed"
	if p.ProbesByDimension[Mechanism][0] == "changed" {
		t.Error("Probes returned the pack's own slice")
	}
	if got := p.Probes("nonsense", ""); len(got) != 0 {
		t.Errorf("Probes(unknown) = %q, want none", got)
	}
}

func TestExemplarsFor(t *testing.T) {
	p := mustLoad(t)
	weak := p.ExemplarsFor(MetricDelta, LabelWeak)
	strong := p.ExemplarsFor(MetricDelta, LabelStrong)
	both := p.ExemplarsFor(MetricDelta, "")
	if len(both) != len(weak)+len(strong) {
		t.Errorf("any label = %d, want %d+%d", len(both), len(weak), len(strong))
	}
	for _, e := range weak {
		if e.Dimension != MetricDelta || e.Label != LabelWeak {
			t.Errorf("ExemplarsFor(metric_delta, weak) returned %s (%s/%s)", e.ID, e.Dimension, e.Label)
		}
	}
	if got := p.ExemplarsFor("metrics", ""); len(got) != 0 {
		t.Errorf("unknown dimension returned %d exemplars", len(got))
	}
}

func TestHash(t *testing.T) {
	a, b := mustLoad(t), mustLoad(t)
	h := a.Hash()
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(h) {
		t.Fatalf("Hash = %q, want 64 hex digits", h)
	}
	if b.Hash() != h {
		t.Error("Hash differs between two loads of the same pack")
	}

	reordered := &Pack{Exemplars: slices.Clone(a.Exemplars)}
	slices.Reverse(reordered.Exemplars)
	if reordered.Hash() != h {
		t.Error("Hash changed when exemplars were only reordered")
	}

	mutations := []struct {
		name   string
		mutate func(*Exemplar)
	}{
		{"text", func(e *Exemplar) { e.Text += " " }},
		{"label", func(e *Exemplar) { e.Label = LabelStrong + "x" }},
		{"dimension", func(e *Exemplar) { e.Dimension = DataRigor + "x" }},
		{"level", func(e *Exemplar) { e.Level += "9" }},
		{"why", func(e *Exemplar) { e.Why = "changed" }},
	}
	for _, m := range mutations {
		t.Run(m.name, func(t *testing.T) {
			c := &Pack{Exemplars: slices.Clone(a.Exemplars)}
			m.mutate(&c.Exemplars[len(c.Exemplars)/2])
			if c.Hash() == h {
				t.Errorf("Hash unchanged after changing %s", m.name)
			}
			if a.Hash() != h {
				t.Error("mutating a copy changed the original's hash")
			}
		})
	}
}

// behavioural: the question asks for a real past example, as bar raisers
// do ("Tell me about a time…", "Describe…", "Give me an example…").
func behavioural(q string) bool {
	for _, p := range []string{"Tell me about", "Describe", "Give me an example", "Walk me through"} {
		if strings.HasPrefix(q, p) {
			return true
		}
	}
	return false
}
