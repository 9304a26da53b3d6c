package rocketchattest_test

import (
	"testing"

	rc "github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
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
		spec1(), spec2(), spec312(), spec31Rooms(), spec313(), spec32(), spec33(), spec34(), spec35(), spec36(), spec37(),
		spec4(), spec5(), spec6(), spec7(), spec8(), spec91(), spec92(), specLookups(), faultRows(),
	} {
		rows = append(rows, section...)
	}
	runRows(t, rows)
}

// integrationKind is what tells an incoming integration from an outgoing one
// in the rows that hold for both: the bodies, the permissions, and the
// sections and method names the specification gives each kind.
type integrationKind struct {
	name       string // "incoming" or "outgoing"; it ends the names of the kind's rows
	typ        string // the type field of its bodies
	v          string // the variable its fixture is stored in
	body       func(over map[string]any) map[string]any
	updateBody func(v string, over map[string]any) map[string]any
	// invalid is a body field that the kind's create and update methods reject.
	invalid map[string]any

	manage, manageOwn string
	// otherOwn is a permission of the other kind: it passes the routes that
	// take any of the four, and none of this kind's methods.
	otherOwn string

	roomCheck     string // the create check of the rooms a caller may target
	updateSection string // the update method's checks
	updateMethod  string
	deleteMethod  string
}

var (
	kindIncoming = integrationKind{
		name: "incoming", typ: "webhook-incoming", v: "in", body: incomingBody, updateBody: incomingUpdate,
		invalid: map[string]any{"channel": "bad"},
		manage:  rc.PermManageIncoming, manageOwn: rc.PermManageOwnIncoming, otherOwn: rc.PermManageOwnOutgoing,
		roomCheck: "§3.1.2 #11", updateSection: "§3.4.2",
		updateMethod: "updateIncomingIntegration", deleteMethod: "deleteIncomingIntegration",
	}
	kindOutgoing = integrationKind{
		name: "outgoing", typ: "webhook-outgoing", v: "out", body: outgoingBody, updateBody: outgoingUpdate,
		invalid: map[string]any{"event": "bogus"},
		manage:  rc.PermManageOutgoing, manageOwn: rc.PermManageOwnOutgoing, otherOwn: rc.PermManageOwnIncoming,
		roomCheck: "§3.1.3 #16", updateSection: "§3.4.3",
		updateMethod: "updateOutgoingIntegration", deleteMethod: "deleteOutgoingIntegration",
	}
	integrationKinds = []integrationKind{kindIncoming, kindOutgoing}
)

// create makes the kind's fixture: an integration of this kind by the user,
// in variable k.v.
func (k integrationKind) create(e *env, as string) { e.create(k.v, as, k.body(nil)) }

// removeBody asks to remove the integration in variable v as one of this kind.
func (k integrationKind) removeBody(v string) map[string]any {
	return map[string]any{"type": k.typ, "integrationId": "{{" + v + "}}"}
}

// forEachKind turns each row maker into one row per kind, named after the
// kind: the steps are the same, the kind gives what differs.
func forEachKind(makers ...func(k integrationKind) row) []row {
	var rows []row
	for _, mk := range makers {
		for _, k := range integrationKinds {
			rw := mk(k)
			rw.name += " (" + k.name + ")"
			rows = append(rows, rw)
		}
	}
	return rows
}
