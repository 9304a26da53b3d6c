package client

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

// TestCheckAgreesWithTheServer sends every combination of caller, kind,
// operation, target and post-as user to the in-memory Rocket.Chat and
// compares its verdict with Check's: Check refuses exactly what the server
// refuses, on a field that explains the server's answer. The server
// implements Rocket.Chat's rules on its own, from its specification, so
// each holds the other to them.
func TestCheckAgreesWithTheServer(t *testing.T) {
	// Hundreds of calls as users the rate limit applies to: the limit is
	// not what this test is about.
	srv := rocketchattest.NewServer(rocketchattest.WithoutRateLimit())
	defer srv.Close()
	// mia holds manage-<kind> but not manage-own-<kind>: Rocket.Chat exempts
	// only holders of both from the membership rule.
	srv.AddUser("mia", "mia-role")
	srv.SetPermission(rocketchattest.PermManageIncoming, "admin", "mia-role")
	srv.SetPermission(rocketchattest.PermManageOutgoing, "admin", "mia-role")
	srv.AddUser("ann", "user") // may not be impersonated
	ctx := context.Background()
	admin := fakeClient(t, srv, srv.Admin(), false)

	callers := []string{rocketchattest.AdminUsername, rocketchattest.OwnerUsername, "mia", rocketchattest.RegularUsername}
	targets := []string{"#general", "#dev", "#random", "#secret", "#GENERAL", "#nope", "@alice", "@nobody",
		"all_public_channels", "all_private_groups", "all_direct_messages"}
	postAs := []string{"rocket.cat", "nobody", "ann"}
	type variant struct {
		kind  IntegrationType
		event string
	}
	variants := []variant{{IncomingType, ""}, {OutgoingType, "sendMessage"}, {OutgoingType, "roomCreated"}}

	checked, refused := 0, 0
	for _, name := range callers {
		c := fakeClient(t, srv, srv.User(name), false)
		me, err := c.Me(ctx)
		if err != nil {
			t.Fatal(err)
		}
		info, err := c.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		dir := c.NewDirectory(me, info)
		for _, v := range variants {
			// An integration to update: the caller's own where it may make
			// one, else the administrator's.
			base := request(v.kind, v.event, "rocket.cat", "#general")
			existing, err := c.CreateIntegration(ctx, base)
			creator := name
			if err != nil {
				if existing, err = admin.CreateIntegration(ctx, base); err != nil {
					t.Fatal(err)
				}
				creator = rocketchattest.AdminUsername
			}
			for _, target := range targets {
				if v.kind == IncomingType && strings.HasPrefix(target, "all_") {
					continue // refused without the server; the provider's validators see to it
				}
				for _, user := range postAs {
					for _, update := range []bool{false, true} {
						body := request(v.kind, v.event, user, target)
						ch := Change{Kind: v.kind, Update: update, Channels: []string{target}, Username: user, Event: v.event}
						if update {
							ch.Creator = creator
						}
						problems := dir.Check(ctx, ch)
						if update {
							_, err = c.UpdateIntegration(ctx, existing.ID, body)
						} else {
							var doc *Integration
							doc, err = c.CreateIntegration(ctx, body)
							if err == nil {
								_, _ = admin.RemoveIntegration(ctx, v.kind, doc.ID)
							}
						}
						what := fmt.Sprintf("%s %s %s/%s target %s as %s", name, map[bool]string{false: "creates", true: "updates"}[update], v.kind, v.event, target, user)
						checked++
						compareVerdicts(t, what, problems, err)
						if err != nil {
							refused++
						}
					}
				}
			}
		}
	}
	if refused == 0 || refused == checked {
		t.Fatalf("%d of %d requests refused: the grid does not tell the rules apart", refused, checked)
	}
	t.Logf("%d requests, %d refused, each as Check foresaw", checked, refused)
}

func request(kind IntegrationType, event, user, target string) IntegrationRequest {
	base := IntegrationBase{Name: "grid", Enabled: true, Username: user, Channels: []string{target}}
	if kind == IncomingType {
		return &IncomingIntegrationRequest{IntegrationBase: base}
	}
	token := "a-token-for-updates"
	return &OutgoingIntegrationRequest{IntegrationBase: base, OutgoingTrigger: OutgoingTrigger{Event: event, URLs: []string{"https://bot.example.com/hook"}}, Token: &token}
}

// explains says which fields of Check's problems can account for each of
// Rocket.Chat's refusals.
var explains = map[string][]string{
	"error-invalid-room":                              {"channel"},
	"error-invalid-channel":                           {"channel"},
	"error-invalid-user":                              {"username"},
	"error-invalid-post-as-user":                      {"username"},
	"error-user-lacks-message-impersonate-permission": {"username"},
	"not_authorized":                                  {""},
	"error-invalid-integration":                       {""},
	"invalid_integration":                             {""},
	"error-invalid-permissions":                       {"event"},
}

func compareVerdicts(t *testing.T, what string, problems []Problem, err error) {
	t.Helper()
	var refusals []Problem
	for _, p := range problems {
		if p.Severity == Refused {
			refusals = append(refusals, p)
		}
	}
	if err == nil {
		if len(refusals) > 0 {
			t.Errorf("%s: Rocket.Chat accepts it, Check refuses: %s", what, refusals[0].Summary)
		}
		return
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("%s: %v", what, err)
	}
	fields, known := explains[apiErr.ErrorType]
	if !known {
		t.Errorf("%s: Rocket.Chat refused with %q, which no check covers", what, apiErr.ErrorType)
		return
	}
	// Rocket.Chat stops at its first failed check, Check reports them all:
	// one of Check's problems must account for the answer. A doubt does
	// when the provider's user cannot see enough (another user's roles):
	// the plan then warns instead of failing.
	for _, p := range problems {
		// A missing permission, or an integration of someone else's,
		// fails the change whatever Rocket.Chat happens to check first.
		if p.Severity == Refused && p.Field == "" {
			return
		}
		for _, f := range fields {
			if p.Field == f {
				if len(refusals) == 0 && p.Severity != Doubtful {
					break
				}
				return
			}
		}
	}
	if len(refusals) == 0 {
		t.Errorf("%s: Rocket.Chat refuses it (%v), Check neither refuses nor doubts it (%v)", what, err, problems)
		return
	}
	t.Errorf("%s: Rocket.Chat refused with %s; Check blames %q instead", what, apiErr.ErrorType, refusals[0].Field)
}

// TestCheckProblems checks each problem Check reports, field by field: the
// severity, where it points (field and entry), what it is called, and the
// words of its detail that matter.
func TestCheckProblems(t *testing.T) {
	srv := rocketchattest.NewServer(rocketchattest.WithoutRateLimit())
	defer srv.Close()
	srv.AddUser("ann", "user")
	srv.AddUser("nora") // no role at all
	type want struct {
		severity Severity
		field    string
		index    int
		summary  string
		detail   []string
		shared   bool
	}
	cases := []struct {
		name   string
		as     string
		change Change
		want   []want
	}{
		{"incoming create, nothing wrong", "admin", Change{Kind: IncomingType, Channels: []string{"#general"}, Username: "rocket.cat"}, nil},
		{"entries not known yet, or not rooms or users, are left alone", "owner", Change{Kind: IncomingType, Channels: []string{"", "#", "general"}}, nil},
		{"no permission at all, incoming", "regular", Change{Kind: IncomingType, Channels: []string{"#nope"}},
			[]want{{Refused, "", -1, "The provider's user regular.user may not create incoming integrations",
				[]string{"holds neither manage-incoming-integrations nor manage-own-incoming-integrations", "(to one of its roles: user)"}, true}}},
		{"no permission at all, outgoing change", "regular", Change{Kind: OutgoingType, Update: true, Event: "sendMessage"},
			[]want{{Refused, "", -1, "The provider's user regular.user may not change outgoing integrations",
				[]string{"holds neither manage-outgoing-integrations nor manage-own-outgoing-integrations"}, true}}},
		{"someone else's integration", "owner", Change{Kind: OutgoingType, Update: true, Creator: "admin", Event: "sendMessage"},
			[]want{{Refused, "", -1, "The provider's user integration.owner may not change this outgoing integration",
				[]string{"holds manage-own-outgoing-integrations but not manage-outgoing-integrations", "admin created this one"}, false}}},
		{"the creator not known: no guess", "owner", Change{Kind: IncomingType, Update: true, Channels: []string{"#general"}}, nil},
		{"its own integration", "owner", Change{Kind: IncomingType, Update: true, Creator: "integration.owner", Channels: []string{"#general"}}, nil},
		{"a room that does not exist, second entry", "admin", Change{Kind: IncomingType, Channels: []string{"#general", "#nope"}},
			[]want{{Refused, "channel", 1, "No room #nope", []string{`The entry "#nope" names a room`, `name or ID is "nope"`}, false}}},
		{"a user that does not exist", "admin", Change{Kind: OutgoingType, Event: "sendMessage", Channels: []string{"all_public_channels", "@nobody"}},
			[]want{{Refused, "channel", 1, "No user @nobody", []string{`username or ID is "nobody"`}, false}}},
		{"not a member, incoming", "owner", Change{Kind: IncomingType, Channels: []string{"#general", "#random"}},
			[]want{{Refused, "channel", 1, "The provider's user integration.owner is not a member of #random",
				[]string{"holds only manage-own-incoming-integrations", "not a member of #random.", "grant both manage-incoming-integrations and manage-own-incoming-integrations"}, false}}},
		{"a user as a target", "owner", Change{Kind: IncomingType, Channels: []string{"@alice"}},
			[]want{{Refused, "channel", 0, "The provider's user integration.owner may not target @alice", []string{"a user (@alice) never counts as one"}, false}}},
		{"scoped targets need manage-outgoing", "owner", Change{Kind: OutgoingType, Event: "sendMessage", Channels: []string{"all_public_channels", "all_direct_messages"}},
			[]want{{Refused, "channel", 1, "all_direct_messages needs manage-outgoing-integrations", []string{"holds only manage-own-outgoing-integrations"}, false}}},
		{"events that watch the whole server", "owner", Change{Kind: OutgoingType, Event: "userCreated", Channels: []string{"#random"}},
			[]want{{Refused, "event", -1, "The event userCreated needs manage-outgoing-integrations", nil, false}}},
		{"no post-as user", "admin", Change{Kind: OutgoingType, Event: "sendMessage", Username: "nobody"},
			[]want{{Refused, "username", -1, "No user nobody", []string{`no user with the username "nobody"`}, false}}},
		{"a post-as user without message-impersonate", "admin", Change{Kind: IncomingType, Username: "ann"},
			[]want{{Refused, "username", -1, "ann may not post as an incoming integration", []string{"(roles: user)"}, false}}},
		{"a post-as user without any role", "admin", Change{Kind: IncomingType, Username: "nora"},
			[]want{{Refused, "username", -1, "nora may not post as an incoming integration", []string{"(roles: none)"}, false}}},
		{"outgoing integrations may post as anyone", "admin", Change{Kind: OutgoingType, Event: "sendMessage", Username: "ann"}, nil},
		{"roles of others unseen", "owner", Change{Kind: IncomingType, Username: "ann"},
			[]want{{Doubtful, "username", -1, "Cannot check that ann may post as an integration", []string{"may not see the roles of ann"}, true}}},
		{"oneself as the post-as user", "owner", Change{Kind: IncomingType, Username: "integration.owner"},
			[]want{{Refused, "username", -1, "integration.owner may not post as an incoming integration", []string{"(roles: user, integration-manager)"}, false}}},
		{"a target room that names nothing", "admin", Change{Kind: OutgoingType, Event: "sendMessage", TargetRoom: "#nowhere"},
			[]want{{Doubtful, "targetRoom", -1, "The target room #nowhere names nothing in Rocket.Chat", []string{`none is named "#nowhere"`}, false}}},
		{"a target user that does not exist", "admin", Change{Kind: OutgoingType, Event: "sendMessage", TargetRoom: "@nobody"},
			[]want{{Doubtful, "targetRoom", -1, "The target room @nobody names nothing in Rocket.Chat", nil, false}}},
		{"target rooms by name, ID or user", "admin", Change{Kind: OutgoingType, Event: "sendMessage", TargetRoom: "GENERAL"}, nil},
		{"incoming integrations have no target room", "admin", Change{Kind: IncomingType, TargetRoom: "#nowhere"}, nil},
	}
	ctx := context.Background()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := fakeClient(t, srv, srv.User(map[string]string{"admin": "admin", "owner": rocketchattest.OwnerUsername, "regular": rocketchattest.RegularUsername}[tc.as]), false)
			info, err := c.Info(ctx)
			if err != nil {
				t.Fatal(err)
			}
			got := c.NewDirectory(nil, info).Check(ctx, tc.change)
			if len(got) != len(tc.want) {
				t.Fatalf("%d problems, want %d: %+v", len(got), len(tc.want), got)
			}
			for i, w := range tc.want {
				p := got[i]
				if p.Severity != w.severity || p.Field != w.field || p.Index != w.index || p.Summary != w.summary || (p.Shared != "") != w.shared {
					t.Errorf("problem %d = %+v, want %+v", i, p, w)
				}
				for _, d := range w.detail {
					if !strings.Contains(p.Detail, d) {
						t.Errorf("problem %d: detail %q lacks %q", i, p.Detail, d)
					}
				}
			}
		})
	}
}
