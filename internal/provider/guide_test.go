package provider

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite generated parts of the documentation templates")

// checkGuideSection compares the generated part of the reliability guide
// between its markers with want, or rewrites it with -update.
func checkGuideSection(t *testing.T, name, want string) {
	t.Helper()
	file := filepath.Join("..", "..", "templates", "guides", "reliability.md.tmpl")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	begin, end := "<!-- "+name+":begin -->\n", "<!-- "+name+":end -->"
	text := string(data)
	i, j := strings.Index(text, begin), strings.Index(text, end)
	if i < 0 || j < i {
		t.Fatalf("%s has no %s markers", file, name)
	}
	got := text[i+len(begin) : j]
	if got == want {
		return
	}
	if !*update {
		t.Fatalf("the %s table in %s is out of date; run: go test ./internal/provider -run %s -update", name, file, t.Name())
	}
	if err := os.WriteFile(file, []byte(text[:i+len(begin)]+want+text[j:]), 0o644); err != nil {
		t.Fatal(err)
	}
}
