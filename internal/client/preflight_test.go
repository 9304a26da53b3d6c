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
	common := IntegrationRequestCommon{Name: "grid", Enabled: true, Username: user, Channels: []string{target}}
	if kind == IncomingType {
		return &IncomingIntegrationRequest{IntegrationRequestCommon: common}
	}
	token := "a-token-for-updates"
	return &OutgoingIntegrationRequest{IntegrationRequestCommon: common, Event: event, URLs: []string{"https://bot.example.com/hook"}, Token: &token}
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
