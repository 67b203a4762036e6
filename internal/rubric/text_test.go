package rubric

import "testing"

// TestClauses documents how sentences are cut into clauses and who acts in
// each: the basis of first-person, concrete-action and routing detection.
func TestClauses(t *testing.T) {
	type want struct {
		text string
		subj subject
		past bool
		hyp  bool
	}
	cases := []struct {
		name     string
		sentence string
		want     []want
	}{
		{"I then we", "I found the race, and we fixed it together.", []want{
			{"I found the race", subjI, true, false},
			{"and we fixed it together", subjWe, true, false},
		}},
		{"a list of actions keeps its actor", "I booked the blankets, moved the start to 6:30, and cast two probes into the slab.", []want{
			{"I booked the blankets", subjI, true, false},
			{"moved the start to 6:30", subjI, true, false},
			{"and cast two probes into the slab", subjI, true, false},
		}},
		{"a participle after a comma names no actor", "I saw both copies had the same order, created seconds apart.", []want{
			{"I saw both copies had the same order", subjI, true, false},
			{"created seconds apart", subjNone, true, false},
		}},
		{"a fronted date before the actor", "On June 4th I pulled the sensor logs.", []want{
			{"On June 4th I pulled the sensor logs", subjI, true, false},
		}},
		{"a relative clause is not the actor", "A middleware layer we wrote pushes readings to the warehouse system.", []want{
			{"A middleware layer we wrote pushes readings to the warehouse system", subjNone, false, false},
		}},
		{"May the month is not a modal", "By May their median had gone from 88 to 121.", []want{
			{"By May their median had gone from 88 to 121", subjNone, false, false},
		}},
		{"I'd with a participle is past perfect", "I'd built part of the ingestion layer.", []want{
			{"I'd built part of the ingestion layer", subjI, true, false},
		}},
		{"I'd with a base verb is hypothetical", "I'd push for a shared target earlier.", []want{
			{"I'd push for a shared target earlier", subjI, false, true},
		}},
		{"others", "They picked it up the next sprint and fixed it.", []want{
			{"They picked it up the next sprint", subjOther, true, false},
			{"and fixed it", subjOther, true, false},
		}},
		{"the vendor acts", "The vendor found the cause and fixed it.", []want{
			{"The vendor found the cause", subjOther, true, false},
			{"and fixed it", subjOther, true, false},
		}},
		{"passive voice", "The mapping was rewritten and the test was repeated.", []want{
			{"The mapping was rewritten", subjPassive, true, false},
			{"and the test was repeated", subjPassive, true, false},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := newDoc(Transcript{Turns: []Turn{{Role: RoleCandidate, Text: c.sentence}}}, nil)
			if len(d.sents) != 1 {
				t.Fatalf("%d sentences, want 1", len(d.sents))
			}
			s := d.sents[0]
			if len(s.clauses) != len(c.want) {
				var got []string
				for _, cl := range s.clauses {
					got = append(got, d.quoteTokens(s, cl.toks).Quote)
				}
				t.Fatalf("clauses %q, want %d", got, len(c.want))
			}
			for i, w := range c.want {
				cl := s.clauses[i]
				if q := d.quoteTokens(s, cl.toks).Quote; q != w.text {
					t.Errorf("clause %d = %q, want %q", i, q, w.text)
				}
				if cl.subj != w.subj || (cl.past && !cl.hypothetical) != w.past || cl.hypothetical != w.hyp {
					t.Errorf("clause %q: subj %d past %t hyp %t; want subj %d past %t hyp %t", w.text, cl.subj, cl.past, cl.hypothetical, w.subj, w.past, w.hyp)
				}
			}
		})
	}
}

// TestNumbersAndDeltas documents which numbers count as a measured change.
func TestNumbersAndDeltas(t *testing.T) {
	cases := []struct {
		text  string
		delta bool
	}{
		{"Errors went from 40 a day to 5.", true},
		{"The drop rate fell from 0.3% to zero.", true},
		{"Cost per gigabyte went from forty-one cents to nine.", true},
		{"Completion was 38 percent the term before and 91 percent the term after.", true},
		{"Orders from recommendations were up 6.1 percent.", true},
		{"The incident lasted eleven minutes instead of forty.", true},
		{"Checkout failures halved within a month.", true},
		{"I wrote 40 tests and held 12 meetings.", false},
		{"I set up 12 meetings with the partner.", false},
		{"Misconnects 2.1% to 0.6%.", true},
		{"The contract went to R$520 thousand per year.", true},
		{"I went through every invoice for the previous six months, line by line, about 2,300 of them.", false},
		{"We agreed to plan on 6% more staffing hours.", false},
		{"Approval went 40->5 min.", true},
		{"His till discrepancy went from £30-60 a week to under £5.", true},
		{"I watched the error rate until it was back at 0.2%.", true},
		{"Advisers were coached down for going over six minutes on a call.", false},
		{"I removed about 22,000 hard-bounced addresses from the list.", false},
		{"Complaints dropped to about 40 tickets a week.", true},
		{"Fourteen oil changes a fortnight became five.", true},
		{"Logistics was rated 4.3 out of 5, up from 3.9 the year before.", true},
		{"The plenary started four minutes late rather than the forty I'd feared.", true},
		{"Overcharges went from one booking in six to none since.", true},
		{"In the three months before, we'd logged four near-misses; in the six months after, zero.", true},
		{"It still saved about one hundred and forty thousand a year.", true},
		{"Breaks were scheduled from 11 to 12 on Saturdays.", false},
		{"I moved the breaks from 10 to 10:45.", false},
		{"Waits went from 11 to 4 minutes.", true},
		{"She found two more problems, which I fixed.", false},
		{"We now list 1,800 more products every week.", true},
		{"Before, we had two or three failed tests a month; after that, none in the next three months.", true},
		{"Then I moved fourteen departments onto the shared server.", false},
		{"We're forecasting the seat count to fall from 2,900 to about 1,100.", false},
		{"Building the forecast went from four days a month to three hours.", true},
		{"Costs were cut 40 percent.", true},
		{"Orders were up 12 percent.", true},
		{"The script flags any student whose score drops by two grades or more.", false},
		{"It pages us if latency rises by 20 percent, and since launch latency fell by a third.", true},
		{"We went through three months of pages.", false},
		{"Nobody carried more than one week in five.", false},
		{"I rolled it out to a tenth of the users.", false},
	}
	for _, c := range cases {
		t.Run(c.text, func(t *testing.T) {
			ws := words(tokenize(c.text))
			if _, _, got := deltaIn(ws); got != c.delta {
				t.Fatalf("deltaIn = %t, want %t", got, c.delta)
			}
		})
	}
	for in, want := range map[string]float64{"$8K": 8000, "12,000": 12000, "0.3%": 0.3, "forty-one": 41, "twelve": 12, "£2.3m": 2.3e6} {
		toks := tokenize(in)
		if len(toks) == 0 || !toks[0].isNum || toks[0].num != want {
			t.Errorf("tokenize(%q) = %+v, want the number %v", in, toks, want)
		}
	}
}
