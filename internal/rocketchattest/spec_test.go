package rocketchattest_test

import (
	"testing"
)

// TestSpec holds the fake server against SPEC.md in this package: one row per
// check, in the specification's order, each named after its section and the
// check's number there. The rows live beside this file, one file per part of
// the specification (spec_create_test.go for §3.1, spec_hooks_test.go for
// §3.7, …). Expectations come from the specification's text; rows marked
// "§12" assert the server's documented choice where the specification itself
// is unsure.
func TestSpec(t *testing.T) {
	var rows []row
	for _, section := range [][]row{
		spec1(), spec2(), spec312(), spec313(), spec32(), spec33(), spec34(), spec35(), spec36(), spec37(),
		spec4(), spec5(), spec6(), spec7(), spec8(), spec91(), spec92(), specLookups(), faultRows(),
	} {
		rows = append(rows, section...)
	}
	runRows(t, rows)
}
