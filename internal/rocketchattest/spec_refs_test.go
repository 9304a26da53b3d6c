package rocketchattest_test

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// specRef matches a section reference such as §3.1.2, §L2.1, §O5 or §S3,
// with the number of a check in it when one follows (§3.1.2 #6, §3.1.3 #10a).
var specRef = regexp.MustCompile(`§([LOS]?[0-9]+(?:\.[0-9]+)*)(?: #([0-9]+[a-z]?))?`)

// specHeading matches a heading of SPEC.md that defines a section; the
// section's checks are the numbered lines up to the next such heading.
var specHeading = regexp.MustCompile(`^#{1,6} §([LOS]?[0-9]+(?:\.[0-9]+)*)\s`)

// specItem matches a numbered check of a section: a table row "| 10a |" or
// "| 32–36 |" (cited by its first number), or a list item "3. ".
var specItem = regexp.MustCompile(`^(?:\| *([0-9]+[a-z]?)(?:–[0-9]+)? *\||([0-9]+)\. )`)

// outsideRefs are mentions of the specification's former home outside the
// repository; the strings are split so that this file does not match itself.
var outsideRefs = []string{"../../" + "shared", "rocketchat-api" + ".md"}

// TestSpecReferencesExist holds every "§" reference in the repository's Go
// files to a heading of SPEC.md, and every "§N #n" to a numbered check of
// that section, so that comments and test rows citing the specification stay
// true when it changes; and it keeps the code from citing documents outside
// the repository.
func TestSpecReferencesExist(t *testing.T) {
	root := moduleRoot(t)
	sections := specSections(t, filepath.Join(root, "internal", "rocketchattest", "SPEC.md"))
	problems, err := checkSpecReferences(root, sections)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
}

// TestSpecReferenceCheckFindsProblems makes sure the check above can fail:
// a missing section and an outside path are both reported with file:line.
func TestSpecReferenceCheckFindsProblems(t *testing.T) {
	root := t.TempDir()
	write := func(rel, text string) {
		t.Helper()
		path := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The fixtures spell "§" as an escape so that this file cites nothing.
	write("a/a.go", "package a\n\n// As spec \u00a73.1.2 #6 and \u00a7L2.1 say.\n// See \u00a79.9 and \u00a7O7.\n// Also \u00a73.1.2 #7 and \u00a73.1.2 #34.\n")
	write("b/b.go", "package b\n\n// Read "+outsideRefs[0]+"/doc.md.\n")
	write("c/testdata/c.go", "package c // \u00a799 is in test data, not checked\n")
	write(".tmp/d.go", "package d // \u00a798 is in a scratch directory, not checked\n")

	sections := map[string]map[string]bool{"3.1.2": {"6": true, "32": true, "34": true}, "L2.1": {}}
	problems, err := checkSpecReferences(root, sections)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"a/a.go:4: \u00a79.9 is not a heading of SPEC.md",
		"a/a.go:4: \u00a7O7 is not a heading of SPEC.md",
		"a/a.go:5: \u00a73.1.2 has no check #7 in SPEC.md",
		"b/b.go:3: names " + outsideRefs[0] + ", a path outside the repository",
	}
	if strings.Join(problems, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(problems, "\n"), strings.Join(want, "\n"))
	}
}

// checkSpecReferences walks the .go files under root (skipping .tmp,
// testdata and hidden directories) and reports, as "file:line: …", each
// reference to a section missing from sections and each outside path.
func checkSpecReferences(root string, sections map[string]map[string]bool) ([]string, error) {
	var problems []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != root && (name == ".tmp" || name == "testdata" || strings.HasPrefix(name, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		found, err := fileProblems(path, rel, sections)
		problems = append(problems, found...)
		return err
	})
	return problems, err
}

func fileProblems(path, rel string, sections map[string]map[string]bool) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var problems []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		for _, m := range specRef.FindAllStringSubmatch(line, -1) {
			items, ok := sections[m[1]]
			switch {
			case !ok:
				problems = append(problems, fmt.Sprintf("%s:%d: §%s is not a heading of SPEC.md", rel, n, m[1]))
			case m[2] != "" && !items[m[2]]:
				problems = append(problems, fmt.Sprintf("%s:%d: §%s has no check #%s in SPEC.md", rel, n, m[1], m[2]))
			}
		}
		for _, ref := range outsideRefs {
			if strings.Contains(line, ref) {
				problems = append(problems, fmt.Sprintf("%s:%d: names %s, a path outside the repository", rel, n, ref))
			}
		}
	}
	return problems, sc.Err()
}

// specSections reads the sections that SPEC.md's headings define, each
// with the numbers of its checks.
func specSections(t *testing.T, path string) map[string]map[string]bool {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sections := map[string]map[string]bool{}
	var items map[string]bool // the checks of the section being read
	for _, line := range strings.Split(string(data), "\n") {
		if m := specHeading.FindStringSubmatch(line); m != nil {
			items = map[string]bool{}
			sections[m[1]] = items
			continue
		}
		m := specItem.FindStringSubmatch(line)
		if items == nil || m == nil {
			continue
		}
		items[m[1]+m[2]] = true // one of the two is empty
	}
	if len(sections) == 0 {
		t.Fatalf("%s: no section headings", path)
	}
	return sections
}

// moduleRoot is the nearest directory above the test's that holds go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		} else if !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}
