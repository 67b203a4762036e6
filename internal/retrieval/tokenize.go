package retrieval

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token classes the tokenizer emits besides words.
const (
	tokNum      = "#" // any number: "40", "0.3", "1,200", "thirty"
	tokPercent  = "%" // "%" and the word "percent"
	tokCurrency = "$" // $, £, €, ¥
	tokBreak    = ""  // end of a sentence or clause: no bigram spans it
)

// numberWords are spelled-out quantities, mapped to tokNum so that "six
// hours" and "6 hours" share features. "one" is left out: "no one" and
// "the one that" are not quantities.
var numberWords = map[string]bool{
	"two": true, "three": true, "four": true, "five": true, "six": true, "seven": true,
	"eight": true, "nine": true, "ten": true, "eleven": true, "twelve": true, "thirteen": true,
	"fourteen": true, "fifteen": true, "sixteen": true, "seventeen": true, "eighteen": true,
	"nineteen": true, "twenty": true, "thirty": true, "forty": true, "fifty": true, "sixty": true,
	"seventy": true, "eighty": true, "ninety": true, "hundred": true, "thousand": true,
	"million": true, "billion": true, "dozen": true, "half": true, "quarter": true,
}

// tokenize appends the tokens of text to dst and returns it. Words are
// lower-cased with apostrophes dropped ("didn't" → "didnt"); a number
// becomes tokNum and a word with digits in it has each digit run replaced
// by '#' ("p99" → "p#", "6K" → "#k"); "%" and currency signs become
// tokPercent and tokCurrency; sentence and clause punctuation becomes
// tokBreak. Pronouns and other short words are kept: "I" against "we"
// matters here.
func tokenize(text string, dst []string) []string {
	var buf [64]byte
	w := buf[:0]
	letters := false
	flush := func() {
		if len(w) == 0 {
			return
		}
		tok := string(w)
		switch {
		case !letters:
			tok = tokNum
		case tok == "percent":
			tok = tokPercent
		case numberWords[tok]:
			tok = tokNum
		}
		dst = append(dst, tok)
		w = w[:0]
		letters = false
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		switch {
		case r < utf8.RuneSelf && ('a' <= r && r <= 'z'):
			w = append(w, byte(r))
			letters = true
		case r < utf8.RuneSelf && ('A' <= r && r <= 'Z'):
			w = append(w, byte(r+'a'-'A'))
			letters = true
		case unicode.IsDigit(r):
			if len(w) == 0 || w[len(w)-1] != '#' {
				w = append(w, '#')
			}
		case unicode.IsLetter(r):
			w = utf8.AppendRune(w, unicode.ToLower(r))
			letters = true
		case r == '\'' || r == '\u2019' || r == '\u2018':
			// Inside a word an apostrophe is dropped; elsewhere it is a
			// quote mark and separates like a space.
			if len(w) == 0 || i >= len(text) || !isWordByte(text[i]) {
				flush()
			}
		case (r == '.' || r == ',') && len(w) > 0 && w[len(w)-1] == '#' && i < len(text) && isDigitByte(text[i]):
			// "0.3" and "1,200" are one number.
		case r == '%':
			flush()
			dst = append(dst, tokPercent)
		case r == '$' || r == '£' || r == '€' || r == '¥':
			flush()
			dst = append(dst, tokCurrency)
		case r == '.' || r == '!' || r == '?' || r == ';' || r == ':' || r == ',' || r == '(' || r == ')' || r == '"' || r == '\u201c' || r == '\u201d' || r == '\u2014' || r == '\u2013':
			flush()
			if n := len(dst); n > 0 && dst[n-1] != tokBreak {
				dst = append(dst, tokBreak)
			}
		default:
			flush()
		}
		if len(w) > 48 {
			// An absurdly long "word" (a URL, a hash): cut it here.
			flush()
		}
	}
	flush()
	return dst
}

func isDigitByte(b byte) bool { return '0' <= b && b <= '9' }

func isWordByte(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || isDigitByte(b) || b >= utf8.RuneSelf
}

// stem strips common English inflections so that "checks", "checked" and
// "checking" share a feature: a light suffix stripper, not a full
// stemmer, applied to words of five letters or more.
func stem(t string) string {
	n := len(t)
	switch {
	case n < 5 || t == tokNum:
		return t
	case strings.HasSuffix(t, "ies"):
		return t[:n-3] + "y"
	case strings.HasSuffix(t, "ing") && n >= 6:
		return t[:n-3]
	case strings.HasSuffix(t, "ed") && n >= 5:
		return t[:n-2]
	case strings.HasSuffix(t, "es") && (strings.HasSuffix(t, "ches") || strings.HasSuffix(t, "shes") || strings.HasSuffix(t, "sses") || strings.HasSuffix(t, "xes")):
		return t[:n-2]
	case strings.HasSuffix(t, "s") && !strings.HasSuffix(t, "ss") && !strings.HasSuffix(t, "us") && !strings.HasSuffix(t, "is"):
		return t[:n-1]
	case strings.HasSuffix(t, "ly") && n >= 6:
		return t[:n-2]
	}
	return t
}
