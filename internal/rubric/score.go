package rubric

// Score validates a transcript and scores it.
func Score(t Transcript) (Scorecard, error) {
	if err := t.Validate(); err != nil {
		return Scorecard{}, err
	}
	return score(t), nil
}

func score(t Transcript) Scorecard {
	level, ok := normaliseLevel(t.Level)
	if !ok {
		level = DefaultLevel
	}
	return Scorecard{Decision: StrongNoHire, RubricVersion: Version, Level: level, Dimensions: []DimensionResult{}, RedFlags: []RedFlagResult{}}
}
