package rubric

// Hints names the red flags a transcript suggests without confirming them,
// so an interviewer can ask before the scorer decides: a handoff that may or
// may not have been routing ("I flagged it to their lead"), a manager who
// may have directed the work on a question about initiative. Flags that
// already fire are not repeated. The result is in RedFlags order.
func Hints(t Transcript) []string {
	if t.Validate() != nil {
		return nil
	}
	d := newDoc(t, nil)
	d.detectManipulation()
	routing, _ := d.detectRouting()
	directed := d.detectDirected()
	var out []string
	if !routing.pass {
		for _, s := range d.usable() {
			if _, ok := handoffAt(s); ok && !hypotheticalSentence(s) {
				out = append(out, RoutingNotOwnership)
				break
			}
		}
	}
	if !directed.pass && d.initiativeQuestion() {
		for _, s := range d.usable() {
			if st, _, ok := find(s.ws, &myBoss); ok && !negatedNear(s.ws, st) {
				out = append(out, DirectedByManager)
				break
			}
		}
	}
	return out
}

var myBoss = compilePhrases("my|our ~2 @boss")
