package client

import (
	"strings"
	"testing"
)

func TestNewOutgoingToken(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		tok, err := NewOutgoingToken()
		if err != nil {
			t.Fatal(err)
		}
		if len(tok) != 24 {
			t.Fatalf("token %q has %d characters", tok, len(tok))
		}
		for _, r := range tok {
			if !strings.ContainsRune(unmistakableChars, r) {
				t.Fatalf("token %q has %q", tok, r)
			}
		}
		if seen[tok] {
			t.Fatalf("token %q repeated", tok)
		}
		seen[tok] = true
	}
}
