package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

// planCheckRow is a configuration that Rocket.Chat would refuse and that the
// plan must refuse first, on the element concerned.
type planCheckRow struct {
	name    string
	as      string // "admin", "owner" (manage-own only) or "regular" (no permission)
	config  string
	want    func(string) string // the line the error quotes, given the config; nil for a resource-level error
	summary string
	details []string
}

func quoted(line string) func(string) string { return func(string) string { return line } }

// TestAccPlanChecks_create fails at plan time every create that Rocket.Chat
// would refuse because of rooms, users or permissions, naming the entry and
// saying how to fix it; nothing reaches integrations.create.
func TestAccPlanChecks_create(t *testing.T) {
	t.Parallel()
	// Twenty plans, most as users the rate limit applies to; the checks under
	// a limit are TestAccPlanChecks_sharedLookups' business.
	env := newAccEnv(t, rocketchattest.WithoutRateLimit())
	srv := env.fake(t) // seeded users, rooms and permissions
	srv.AddUser("ann", "user")
	notMember := func(kind string) []string {
		return []string{"integration.owner holds only manage-own-" + kind + "-integrations, so Rocket.Chat accepts only rooms it is a member of, and it is not a member of #random.",
			"Add integration.owner to the room, or grant both manage-" + kind + "-integrations and manage-own-" + kind + "-integrations"}
	}
	noChannelEvent := func(event string, more ...string) planCheckRow {
		lines := append([]string{`name = "checks"`, `event = "` + event + `"`, `username = "rocket.cat"`, `urls = ["https://bot.example.com/hook"]`}, more...)
		return planCheckRow{
			name: "owner: event " + event, as: "owner", config: block(outgoingType, lines...), want: quoted(`event = "` + event + `"`),
			summary: "The event " + event + " needs manage-outgoing-integrations",
			details: []string{"only from users holding manage-outgoing-integrations; the provider's user integration.owner holds only manage-own-outgoing-integrations."},
		}
	}
	rows := []planCheckRow{
		{
			name: "no such room", as: "admin", config: incomingIn(`"checks"`, `"rocket.cat"`, `["#general", "#nonexistent"]`),
			want: quoted(`channels = ["#general", "#nonexistent"]`), summary: "No room #nonexistent",
			details: []string{`The entry "#nonexistent" names a room, but Rocket.Chat has no room whose name or ID is "nonexistent"`, "Correct the entry, or create the room first."},
		},
		{
			name: "room names are case-sensitive", as: "admin", config: incomingIn(`"checks"`, `"rocket.cat"`, `["#General"]`),
			want: quoted(`channels = ["#General"]`), summary: "No room #General",
		},
		{
			name: "no such user in channels", as: "admin", config: incomingIn(`"checks"`, `"rocket.cat"`, `["#general", "@nobody"]`),
			want: quoted(`channels = ["#general", "@nobody"]`), summary: "No user @nobody",
			details: []string{`The entry "@nobody" names a user, but Rocket.Chat has no user whose username or ID is "nobody"`},
		},
		{
			name: "outgoing: no such user after a scoped target", as: "admin", config: outgoingIn(`"checks"`, `"rocket.cat"`, `["all_public_channels", "@nobody"]`),
			want: quoted(`channels = ["all_public_channels", "@nobody"]`), summary: "No user @nobody",
		},
		{
			name: "no such post-as user", as: "admin", config: incomingIn(`"checks"`, `"nobody.here"`, `["#general"]`),
			want: quoted(`username = "nobody.here"`), summary: "No user nobody.here",
			details: []string{`Rocket.Chat has no user with the username "nobody.here"`},
		},
		{
			name: "outgoing: no such post-as user", as: "admin", config: outgoingIn(`"checks"`, `"nobody.here"`, `["#general"]`),
			want: quoted(`username = "nobody.here"`), summary: "No user nobody.here",
		},
		{
			name: "post-as user given by ID", as: "admin", config: incomingIn(`"checks"`, `"`+srv.User("alice").UserID+`"`, `["#general"]`),
			want: quoted(`username = "` + srv.User("alice").UserID + `"`), summary: "No user " + srv.User("alice").UserID,
			details: []string{"is the ID of the user alice, but Rocket.Chat finds the user an integration posts as by username only. Give \"alice\"."},
		},
		{
			name: "incoming: a post-as user without message-impersonate", as: "admin", config: incomingIn(`"checks"`, `"ann"`, `["#general"]`),
			want: quoted(`username = "ann"`), summary: "ann may not post as an incoming integration",
			details: []string{"must hold the message-impersonate permission, and ann (roles: user) does not.", "Post as a bot user such as rocket.cat"},
		},
		{
			name: "owner: a room it is not a member of", as: "owner", config: incomingIn(`"checks"`, `"rocket.cat"`, `["#general", "#random"]`),
			want: quoted(`channels = ["#general", "#random"]`), summary: "The provider's user integration.owner is not a member of #random", details: notMember("incoming"),
		},
		{
			name: "owner: a user", as: "owner", config: incomingIn(`"checks"`, `"rocket.cat"`, `["@alice"]`),
			want: quoted(`channels = ["@alice"]`), summary: "The provider's user integration.owner may not target @alice",
			details: []string{"a user (@alice) never counts as one."},
		},
		{
			name: "owner: a private group of others", as: "owner", config: incomingIn(`"checks"`, `"rocket.cat"`, `["#secret"]`),
			want: quoted(`channels = ["#secret"]`), summary: "The provider's user integration.owner is not a member of #secret",
		},
		{
			name: "owner, outgoing: a room it is not a member of", as: "owner", config: outgoingIn(`"checks"`, `"rocket.cat"`, `["#random"]`),
			want: quoted(`channels = ["#random"]`), summary: "The provider's user integration.owner is not a member of #random", details: notMember("outgoing"),
		},
		{
			name: "owner: all_private_groups", as: "owner", config: outgoingIn(`"checks"`, `"rocket.cat"`, `["all_private_groups"]`),
			want: quoted(`channels = ["all_private_groups"]`), summary: "all_private_groups needs manage-outgoing-integrations",
			details: []string{"or list the rooms (#name) instead."},
		},
		{
			name: "owner: all_direct_messages after a room", as: "owner", config: outgoingIn(`"checks"`, `"rocket.cat"`, `["#dev", "all_direct_messages"]`),
			want: quoted(`channels = ["#dev", "all_direct_messages"]`), summary: "all_direct_messages needs manage-outgoing-integrations",
		},
		noChannelEvent("roomCreated"),
		noChannelEvent("roomArchived"),
		noChannelEvent("userCreated", `target_room = "#general"`),
		{
			name: "regular: no integration permission", as: "regular", config: incomingIn(`"checks"`, `"rocket.cat"`, `["#general"]`),
			summary: "The provider's user regular.user may not create incoming integrations",
			details: []string{"holds neither manage-incoming-integrations nor manage-own-incoming-integrations.", "Administration → Permissions (to one of its roles: user)"},
		},
		{
			name: "regular, outgoing: no integration permission", as: "regular", config: outgoingIn(`"checks"`, `"rocket.cat"`, `["#general"]`),
			summary: "The provider's user regular.user may not create outgoing integrations",
		},
	}
	providerAs := map[string]string{"admin": env.providerBlock(), "owner": env.providerAs(srv.Owner()), "regular": env.providerAs(srv.Regular())}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			var want = expectError(append([]string{row.summary}, row.details...)...)
			if row.want != nil {
				want = diagAt(row.summary, row.want(row.config), row.details...)
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps:                    []resource.TestStep{{Config: providerAs[row.as] + row.config, ExpectError: want}},
			})
		})
	}
	if n := srv.Requests(rocketchattest.EndpointCreate); n != 0 {
		t.Errorf("%d create requests: every refusal must come at plan time", n)
	}
}

// TestAccPlanChecks_forEachCreatesNothing plans three teams' webhooks, one
// naming a room that does not exist: the plan fails, and not one integration
// is created.
func TestAccPlanChecks_forEachCreatesNothing(t *testing.T) {
	env := newAccEnv(t)
	srv := env.fake(t)
	config := env.config(`
variable "teams" {
  default = {
    ops     = ["#general"]
    dev     = ["#dev"]
    support = ["#general", "#support"]
  }
}

resource "rocketchat_incoming_integration" "team" {
  for_each = var.teams
  name     = "alerts for ${each.key}"
  username = "rocket.cat"
  channels = each.value
}
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config:      config,
			ExpectError: diagAt("No room #support", "channels = each.value", `The entry "#support" names a room`),
		}},
	})
	if n, docs := srv.Requests(rocketchattest.EndpointCreate), srv.Integrations(); n != 0 || len(docs) != 0 {
		t.Errorf("%d create requests, %d integrations: nothing may be created", n, len(docs))
	}
}

// TestAccPlanChecks_update fails the plan of an update Rocket.Chat would
// refuse, and sends nothing.
func TestAccPlanChecks_update(t *testing.T) {
	env := newAccEnv(t)
	srv := env.fake(t)
	resources := func(username, channels string) string {
		return env.config(incomingIn(`"update checks"`, username, channels) + outgoingIn(`"update checks"`, username, channels))
	}
	updates := 0
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.checkDestroyed(incomingType, outgoingType),
		Steps: []resource.TestStep{
			{Config: resources(`"rocket.cat"`, `["#general"]`), Check: func(*terraform.State) error { updates = srv.Requests(rocketchattest.EndpointUpdate); return nil }},
			{
				Config: resources(`"nobody.here"`, `["#general"]`),
				ExpectError: allOf(
					diagAt("No user nobody.here", `username = "nobody.here"`, `Rocket.Chat has no user with the username "nobody.here"`),
					regexpLiteral(`rocketchat_outgoing_integration.test`),
				),
			},
			{
				Config: resources(`"rocket.cat"`, `["#general", "#nonexistent"]`),
				ExpectError: allOf(
					diagAt("No room #nonexistent", `channels = ["#general", "#nonexistent"]`),
					regexpLiteral(`rocketchat_outgoing_integration.test`),
				),
			},
			{
				PreConfig:        func() { srv.RemoveRoom("dev") },
				Config:           resources(`"rocket.cat"`, `["#general"]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
	if n := srv.Requests(rocketchattest.EndpointUpdate); n != updates {
		t.Errorf("%d update requests after the first apply: refused updates must not be sent", n-updates)
	}
}

// TestAccPlanChecks_noFalseErrors plans and applies what Rocket.Chat
// accepts although a naive check might not: rooms by ID, a private group the
// administrator is no member of, users, scoped targets, an archived room,
// and a user's own private group.
func TestAccPlanChecks_noFalseErrors(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	srv := env.fake(t)
	srv.LeaveRoom("ops-private", rocketchattest.AdminUsername)
	srv.ArchiveRoom("random")
	srv.AddUser("deploy.bot", "bot")
	devID := srv.RoomID("dev")
	admin := env.config(fmt.Sprintf(`
resource "rocketchat_incoming_integration" "by_id" {
  name     = "by id"
  username = "deploy.bot"
  channels = ["#GENERAL", "#%s", "#ops-private", "#random", "@alice", "@%s"]
}

resource "rocketchat_outgoing_integration" "scoped" {
  name     = "scoped"
  event    = "sendMessage"
  username = "alice"
  channels = ["all_public_channels", "all_private_groups", "all_direct_messages", "#ops-private"]
  urls     = ["https://bot.example.com/hook"]
}

resource "rocketchat_outgoing_integration" "server_wide" {
  name        = "server wide"
  event       = "userCreated"
  username    = "rocket.cat"
  target_room = "#general"
  urls        = ["https://bot.example.com/hook"]
}
`, devID, srv.User("bob").UserID))
	owner := env.providerAs(srv.Owner()) + incomingIn(`"owner's"`, `"rocket.cat"`, fmt.Sprintf(`["#ops-private", "#%s", "#general"]`, devID))
	for name, step := range map[string]resource.TestStep{
		"administrator":   {Config: admin, Check: resource.TestCheckResourceAttr("rocketchat_incoming_integration.by_id", "channels.#", "6")},
		"manage-own user": {Config: owner, Check: resource.TestCheckResourceAttr(incomingAddr, "created_by", rocketchattest.OwnerUsername)},
	} {
		t.Run(name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testAccProviders, Steps: []resource.TestStep{step}})
		})
	}
}

// TestCLI_planChecksDestroy fails the plan of a delete that Rocket.Chat
// would refuse: someone else's integration with only manage-own-*. Reading it
// is refused just the same, so the check shows where the plan does not
// refresh; the test drives the terraform binary for -refresh=false.
func TestCLI_planChecksDestroy(t *testing.T) {
	srv := rocketchattest.NewServer()
	defer srv.Close()
	ws := cliWorkspace(t, incomingIn(`"theirs"`, `"rocket.cat"`, `["#general"]`)+outgoingIn(`"theirs"`, `"rocket.cat"`, `["#general"]`))
	ctx := context.Background()
	if r := ws.Run(ctx, serverEnv(srv.URL(), srv.Admin()), "apply", "-auto-approve", "-no-color", "-input=false"); r.ExitCode != 0 {
		t.Fatalf("apply: %s", r.Output())
	}
	r := ws.Run(ctx, serverEnv(srv.URL(), srv.Owner()), "plan", "-destroy", "-refresh=false", "-no-color", "-input=false")
	out := strings.Join(strings.Fields(r.Output()), " ")
	if r.ExitCode == 0 {
		t.Fatalf("the destroy plan passed:\n%s", out)
	}
	for _, want := range []string{
		"Error: The provider's user integration.owner may not delete this incoming integration",
		"so Rocket.Chat lets it delete only the incoming integrations it created, and admin created this one.",
		"Error: The provider's user integration.owner may not delete this outgoing integration",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	if r := ws.Run(ctx, serverEnv(srv.URL(), srv.Admin()), "destroy", "-auto-approve", "-no-color", "-input=false"); r.ExitCode != 0 {
		t.Fatalf("destroy as the administrator: %s", r.Output())
	}
	if n := srv.Requests(rocketchattest.EndpointRemove); n != 2 {
		t.Errorf("%d remove requests, want only the administrator's 2", n)
	}
}

// TestAccPlanChecks_plannedValues shows what the checks learn: the post-as
// user's ID and the creator, known before the apply.
func TestAccPlanChecks_plannedValues(t *testing.T) {
	env := newAccEnv(t)
	srv := env.fake(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: env.config(incomingIn(`"planned"`, `"rocket.cat"`, `["#general"]`)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				expectUnknownOnly(incomingAddr, "id", "token", "webhook_url", "created_at"),
				plancheck.ExpectKnownValue(incomingAddr, tfjsonpath.New("user_id"), knownvalue.StringExact(srv.User(rocketchattest.BotUsername).UserID)),
				plancheck.ExpectKnownValue(incomingAddr, tfjsonpath.New("created_by"), knownvalue.StringExact(rocketchattest.AdminUsername)),
				plancheck.ExpectKnownValue(incomingAddr, tfjsonpath.New("script_engine"), knownvalue.StringExact("isolated-vm")),
				plancheck.ExpectKnownValue(incomingAddr, tfjsonpath.New("script_error"), knownvalue.Null()),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(incomingAddr, tfjsonpath.New("user_id"), knownvalue.StringExact(srv.User(rocketchattest.BotUsername).UserID)),
			},
		}},
	})
}

// TestAccPlanChecks_sharedLookups plans many integrations over a few rooms
// and users: the look-ups cost the same for 8 integrations as for 40, one
// per distinct room and user, and a user under Rocket.Chat's rate limit
// gets no 429.
func TestAccPlanChecks_sharedLookups(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.fake(t)
	rooms := []string{"#general", "#dev", "#ops-private"}
	lookups := func(n int) map[string]int {
		srv := rocketchattest.NewServer(rocketchattest.WithRateLimit(10, time.Minute))
		defer srv.Close()
		var config strings.Builder
		config.WriteString(env.providerFor(srv, srv.Owner()))
		for i := range n {
			fmt.Fprintf(&config, "resource %q \"n%d\" {\n  name = \"n%d\"\n  username = \"rocket.cat\"\n  channels = [%q, %q]\n}\n",
				incomingType, i, i, rooms[i%len(rooms)], rooms[(i+1)%len(rooms)])
		}
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProviders,
			Steps:                    []resource.TestStep{{Config: config.String(), PlanOnly: true, ExpectNonEmptyPlan: true}},
		})
		got := map[string]int{}
		for _, ep := range []string{rocketchattest.EndpointRoomsInfo, rocketchattest.EndpointUsersInfo, rocketchattest.EndpointSubscriptionsGet, rocketchattest.EndpointPermissionsListAll} {
			got[ep] = srv.Requests(ep)
			if r := srv.RateLimited(ep); r != 0 {
				t.Errorf("%s: %d calls refused with 429", ep, r)
			}
		}
		return got
	}
	few, many := lookups(8), lookups(40)
	for ep, n := range many {
		if n != few[ep] {
			t.Errorf("%s: %d calls for 40 integrations, %d for 8: look-ups must not grow with the number of resources", ep, n, few[ep])
		}
	}
	if many[rocketchattest.EndpointSubscriptionsGet] == 0 || many[rocketchattest.EndpointPermissionsListAll] == 0 {
		t.Errorf("no look-ups at all (%v): the checks did not run", many)
	}
}

// regexpLiteral matches s as it is.
func regexpLiteral(s string) *regexp.Regexp { return regexp.MustCompile(regexp.QuoteMeta(s)) }
