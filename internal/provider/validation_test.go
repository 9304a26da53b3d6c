package provider

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

// diagAt matches one error diagnostic in Terraform's output: its summary,
// the source line Terraform quotes for it (the attribute the diagnostic
// points at, or the resource block when it points at none), then the given
// fragments of its detail. Unlike expectError's free ordering, everything
// must lie within that one diagnostic, so a summary cannot be matched with
// another error's line. Spaces match any whitespace, as Terraform wraps
// long lines.
func diagAt(summary, line string, details ...string) *regexp.Regexp {
	quote := func(s string) string {
		return strings.Join(strings.Fields(regexp.QuoteMeta(s)), `\s+`)
	}
	// Any text short of the next diagnostic, which starts a line with
	// "Error:": every run of line breaks must be followed by a line that
	// starts otherwise.
	const sameDiag = `(?:[^\n]|\n+(?:[^E\n]|E[^r\n]|Er[^r\n]|Err[^o\n]|Erro[^r\n]|Error[^:\n]))*?\s*`
	var b strings.Builder
	b.WriteString(`Error: ` + quote(summary) + `\n\s*(?:with [^\n]*\n\s*)?on [^\n]*\n\s*\d+:[^\n]*` + quote(line))
	for _, d := range details {
		// go-cty 1.16.3 and later (OpenTofu 1.12.6 is built with 1.18) name
		// the given type after a type mismatch: "string required, but have
		// tuple." Earlier ones (Terraform 1.11.4: 1.16.0) stop at "string
		// required.". A detail written in the longer form matches either.
		if req, given, ok := strings.Cut(d, " required, but have "); ok && strings.HasSuffix(given, ".") {
			b.WriteString(sameDiag + quote(req+" required") + `(?:,\s+but\s+have\s+` + quote(strings.TrimSuffix(given, ".")) + `)?\.`)
			continue
		}
		b.WriteString(sameDiag + quote(d))
	}
	return regexp.MustCompile(b.String())
}

// validationRow is one configuration that Terraform must refuse at plan
// time, before anything reaches Rocket.Chat.
type validationRow struct {
	name    string
	set     map[string]string // attribute → HCL expression, replacing or adding to the base configuration
	omit    []string          // base attributes to leave out
	at      string            // attribute whose line the error quotes; "" for the resource block
	summary string
	detail  string
}

// validationResource renders rows of one resource type from its base
// configuration, one attribute per line as "name = value", so that the line
// Terraform quotes is predictable.
type validationResource struct {
	typ  string
	base [][2]string // attribute and HCL expression, in order
}

func (v validationResource) config(row validationRow) string { return v.named(row, "test") }

// named renders a row as the resource v.typ.name.
func (v validationResource) named(row validationRow, name string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "resource %q %q {\n", v.typ, name)
	seen := map[string]bool{}
	for _, kv := range v.base {
		seen[kv[0]] = true
		if slices.Contains(row.omit, kv[0]) {
			continue
		}
		val := kv[1]
		if o, ok := row.set[kv[0]]; ok {
			val = o
		}
		fmt.Fprintf(&b, "  %s = %s\n", kv[0], val)
	}
	var extra []string
	for k := range row.set {
		if !seen[k] {
			extra = append(extra, k)
		}
	}
	slices.Sort(extra)
	for _, k := range extra {
		fmt.Fprintf(&b, "  %s = %s\n", k, row.set[k])
	}
	b.WriteString("}\n")
	return b.String()
}

func (v validationResource) want(row validationRow) *regexp.Regexp {
	return diagAt(row.summary, v.line(row, "test"), row.detail)
}

// line is the source line Terraform quotes for the row's error.
func (v validationResource) line(row validationRow, name string) string {
	line := fmt.Sprintf("resource %q %q {", v.typ, name)
	if row.at != "" {
		val, ok := row.set[row.at]
		for _, kv := range v.base {
			if !ok && kv[0] == row.at {
				val, ok = kv[1], true
			}
		}
		if !ok {
			panic("row " + row.name + ": the error must quote an attribute of the configuration")
		}
		line = row.at + " = " + val
	}
	return line
}

// runValidationRows puts every row into one configuration, as its own
// resource, and has Terraform validate it once: each row's diagnostic must
// carry the expected summary and detail and point at the expected line of
// that row's resource. Then the same configuration is planned, which must
// fail before anything reaches Rocket.Chat.
func runValidationRows(t *testing.T, res validationResource, rows []validationRow) {
	env := newAccEnv(t)
	var config strings.Builder
	for i, row := range rows {
		config.WriteString(res.named(row, fmt.Sprintf("r%d", i)))
	}
	ws := cliWorkspace(t, config.String())
	r := ws.Run(t.Context(), nil, "validate", "-json", "-no-color")
	var out struct {
		Diagnostics []struct {
			Severity, Summary, Detail string
			Snippet                   *struct{ Context, Code string }
		}
	}
	if err := json.Unmarshal([]byte(r.Stdout), &out); err != nil {
		t.Fatalf("terraform validate -json: %v\n%s", err, r.Output())
	}
	words := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	for i, row := range rows {
		context := fmt.Sprintf("resource %q \"r%d\"", res.typ, i)
		wantLine := words(res.line(row, fmt.Sprintf("r%d", i)))
		detail := detailPattern(row.detail)
		found := false
		for _, d := range out.Diagnostics {
			if d.Severity == "error" && d.Snippet != nil && d.Snippet.Context == context && d.Summary == row.summary &&
				words(d.Snippet.Code) == wantLine && detail.MatchString(words(d.Detail)) {
				found = true
				break
			}
		}
		if !found {
			var got []string
			for _, d := range out.Diagnostics {
				if d.Snippet != nil && d.Snippet.Context == context {
					got = append(got, fmt.Sprintf("%q at %q: %q", d.Summary, strings.TrimSpace(d.Snippet.Code), words(d.Detail)))
				}
			}
			t.Errorf("row %q: no error %q at %q with %q; the resource's diagnostics: %v", row.name, row.summary, wantLine, row.detail, got)
		}
	}

	writes := func() int {
		if env.srv == nil {
			return 0 // a real server keeps no counters
		}
		return env.srv.Requests(rocketchattest.EndpointCreate) + env.srv.Requests(rocketchattest.EndpointUpdate) +
			env.srv.Requests(rocketchattest.EndpointRemove)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config:      env.config(config.String()),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(regexp.QuoteMeta(rows[0].summary)),
		}},
	})
	if n := writes(); n != 0 {
		t.Errorf("%d write requests reached Rocket.Chat", n)
	}
}

// detailPattern matches a detail fragment in whitespace-normalised text. go-cty
// 1.16.3 and later (OpenTofu 1.12.6 is built with 1.18) name the given type
// after a type mismatch: "string required, but have tuple." Earlier ones
// (Terraform 1.11.4: 1.16.0) stop at "string required.". A fragment written
// in the longer form matches either.
func detailPattern(d string) *regexp.Regexp {
	quote := func(s string) string { return strings.Join(strings.Fields(regexp.QuoteMeta(s)), " ") }
	if req, given, ok := strings.Cut(d, " required, but have "); ok && strings.HasSuffix(given, ".") {
		return regexp.MustCompile(quote(req+" required") + `(?:, but have ` + quote(strings.TrimSuffix(given, ".")) + `)?\.`)
	}
	return regexp.MustCompile(quote(d))
}

// commonValidationRows are the checks of the attributes both kinds share.
// notRoom is the end of the message for an entry of channels that is no
// target, which differs between the kinds.
func commonValidationRows(notRoom string) []validationRow {
	invalid := func(attr string) string { return "Invalid " + attr }
	const empty = "The value is empty. Give a non-empty value, or leave the attribute out."
	return []validationRow{
		// name is required: the message must not suggest leaving it out.
		{name: "name empty", set: map[string]string{"name": `""`}, at: "name", summary: invalid("name"), detail: "The value is empty. Give a non-empty value, such as Alertmanager."},
		{name: "name whitespace", set: map[string]string{"name": `"  \t "`}, at: "name", summary: invalid("name"), detail: "The value is empty. Give a non-empty value, such as Alertmanager."},
		{name: "name missing", omit: []string{"name"}, summary: "Missing required argument", detail: `The argument "name" is required, but no definition was found.`},
		{name: "name wrong type", set: map[string]string{"name": `["a"]`}, at: "name", summary: "Incorrect attribute value type", detail: `Inappropriate value for attribute "name": string required, but have tuple.`},

		{name: "username empty", set: map[string]string{"username": `""`}, at: "username", summary: invalid("username"), detail: "The username is empty. Give the username of an existing user, such as rocket.cat."},
		{name: "username with @", set: map[string]string{"username": `"@rocket.cat"`}, at: "username", summary: invalid("username"), detail: `"@rocket.cat" starts with @. Give the username alone, such as "rocket.cat".`},
		{name: "username with whitespace", set: map[string]string{"username": `"rocket cat"`}, at: "username", summary: invalid("username"), detail: `"rocket cat" contains whitespace or a comma, which no Rocket.Chat username has.`},
		{name: "username with trailing whitespace", set: map[string]string{"username": `"rocket.cat\n"`}, at: "username", summary: invalid("username"), detail: "contains whitespace or a comma"},
		{name: "username with comma", set: map[string]string{"username": `"rocket.cat,alice"`}, at: "username", summary: invalid("username"), detail: `"rocket.cat,alice" contains whitespace or a comma`},
		{name: "username missing", omit: []string{"username"}, summary: "Missing required argument", detail: `The argument "username" is required`},

		{name: "channels empty list", set: map[string]string{"channels": `[]`}, at: "channels", summary: "Invalid Attribute Value", detail: "Attribute channels list must contain at least 1 elements, got: 0"},
		{name: "channels entry without # or @", set: map[string]string{"channels": `["general"]`}, at: "channels", summary: "Invalid channels entry", detail: `"general" is not a room or a user. ` + notRoom},
		{name: "channels later entry without # or @", set: map[string]string{"channels": `["#general", "dev"]`}, at: "channels", summary: "Invalid channels entry", detail: `"dev" is not a room or a user.`},
		{name: "channels entry # alone", set: map[string]string{"channels": `["#"]`}, at: "channels", summary: "Invalid channels entry", detail: `"#" is not a room or a user.`},
		{name: "channels entry empty", set: map[string]string{"channels": `[""]`}, at: "channels", summary: "Invalid channels entry", detail: `"" is not a room or a user.`},
		{name: "channels entry with inner whitespace", set: map[string]string{"channels": `["#dev ops"]`}, at: "channels", summary: "Invalid channels entry", detail: `"#dev ops" contains whitespace, which no room name or username has.`},
		{name: "channels entry with surrounding whitespace", set: map[string]string{"channels": `[" #general"]`}, at: "channels", summary: "Invalid channels entry", detail: `" #general" starts or ends with whitespace, which Rocket.Chat trims. Remove it.`},
		{name: "channels entry with comma", set: map[string]string{"channels": `["#general,#dev"]`}, at: "channels", summary: "Invalid channels entry", detail: `"#general,#dev" contains a comma. Give each room or user as its own list entry.`},
		{name: "channels entry null", set: map[string]string{"channels": `["#general", null]`}, at: "channels", summary: "Null List Value", detail: "This attribute contains a null value."},
		{name: "channels wrong type", set: map[string]string{"channels": `"#general"`}, at: "channels", summary: "Incorrect attribute value type", detail: `Inappropriate value for attribute "channels": list of string required, but have string.`},

		{name: "alias with surrounding whitespace", set: map[string]string{"alias": `" CI "`}, at: "alias", summary: invalid("alias"), detail: `" CI " starts or ends with whitespace, which Rocket.Chat does not keep. Remove it.`},
		{name: "alias empty", set: map[string]string{"alias": `""`}, at: "alias", summary: invalid("alias"), detail: empty},
		{name: "avatar without scheme", set: map[string]string{"avatar": `"example.com/ci.png"`}, at: "avatar", summary: invalid("avatar"), detail: "The value is not an absolute URL: it has no scheme, such as https:."},
		{name: "avatar relative path", set: map[string]string{"avatar": `"/avatars/ci.png"`}, at: "avatar", summary: invalid("avatar"), detail: "The value is not an absolute URL: it has no scheme, such as https:."},
		{name: "avatar without host", set: map[string]string{"avatar": `"https://"`}, at: "avatar", summary: invalid("avatar"), detail: "The value is not an absolute URL: it has no host."},
		{name: "avatar with whitespace", set: map[string]string{"avatar": `" https://example.com/ci.png"`}, at: "avatar", summary: invalid("avatar"), detail: "The value is not an absolute URL: it starts or ends with whitespace."},
		{name: "emoji without colons", set: map[string]string{"emoji": `"ghost"`}, at: "emoji", summary: invalid("emoji"), detail: `"ghost" is not an emoji name. Write it between colons, such as :ghost: or :white_check_mark:.`},
		{name: "emoji with one colon", set: map[string]string{"emoji": `":ghost"`}, at: "emoji", summary: invalid("emoji"), detail: `":ghost" is not an emoji name.`},
		{name: "emoji with whitespace", set: map[string]string{"emoji": `":white check:"`}, at: "emoji", summary: invalid("emoji"), detail: `":white check:" is not an emoji name.`},
		{name: "script empty", set: map[string]string{"script": `""`}, at: "script", summary: invalid("script"), detail: empty},
		{name: "script blank", set: map[string]string{"script": `"  \n  "`}, at: "script", summary: invalid("script"), detail: empty},
		{name: "script_engine vm2", set: map[string]string{"script_engine": `"vm2"`}, at: "script_engine", summary: "Invalid Attribute Value Match", detail: `Attribute script_engine value must be one of: ["isolated-vm"], got: "vm2"`},
		{name: "enabled wrong type", set: map[string]string{"enabled": `"maybe"`}, at: "enabled", summary: "Incorrect attribute value type", detail: `Inappropriate value for attribute "enabled": a bool is required.`},
		{name: "script_enabled wrong type", set: map[string]string{"script_enabled": `"sometimes"`}, at: "script_enabled", summary: "Incorrect attribute value type", detail: `Inappropriate value for attribute "script_enabled": a bool is required.`},

		// Rocket.Chat's own field names are a likely slip.
		{name: "unknown attribute channel", set: map[string]string{"channel": `"#general"`}, at: "channel", summary: "Unsupported argument", detail: `An argument named "channel" is not expected here.`},
		{name: "unknown attribute scriptEnabled", set: map[string]string{"scriptEnabled": `true`}, at: "scriptEnabled", summary: "Unsupported argument", detail: `An argument named "scriptEnabled" is not expected here.`},
		{name: "read-only id", set: map[string]string{"id": `"659ea5b72dd9f928ada3e43e"`}, at: "id", summary: "Invalid Configuration for Read-Only Attribute", detail: "Cannot set value for this attribute as the provider has marked it as read-only."},
		{name: "read-only user_id", set: map[string]string{"user_id": `"rocket.cat"`}, at: "user_id", summary: "Invalid Configuration for Read-Only Attribute"},
		{name: "read-only created_by", set: map[string]string{"created_by": `"admin"`}, at: "created_by", summary: "Invalid Configuration for Read-Only Attribute"},
		{name: "read-only script_error", set: map[string]string{"script_error": `"none"`}, at: "script_error", summary: "Invalid Configuration for Read-Only Attribute"},
	}
}

func TestAccIncomingIntegration_validation(t *testing.T) {
	res := validationResource{typ: "rocketchat_incoming_integration", base: [][2]string{
		{"name", `"validation"`}, {"username", `"rocket.cat"`}, {"channels", `["#general"]`},
	}}
	// The all_* targets exist for outgoing integrations only (spec §3.1.2 #4).
	notRoom := "Write a room as #name (e.g. #general) and a user as @username (e.g. @alice)."
	rows := append(commonValidationRows(notRoom), []validationRow{
		{name: "channels missing", omit: []string{"channels"}, summary: "Missing required argument", detail: `The argument "channels" is required`},
		{name: "scoped all_public_channels", set: map[string]string{"channels": `["all_public_channels"]`}, at: "channels", summary: "Invalid channels entry", detail: `"all_public_channels" is not a room or a user. ` + notRoom},
		{name: "scoped all_private_groups", set: map[string]string{"channels": `["#general", "all_private_groups"]`}, at: "channels", summary: "Invalid channels entry", detail: `"all_private_groups" is not a room or a user. ` + notRoom},
		{name: "scoped all_direct_messages", set: map[string]string{"channels": `["all_direct_messages"]`}, at: "channels", summary: "Invalid channels entry", detail: `"all_direct_messages" is not a room or a user. ` + notRoom},
		{name: "scoped target in upper case", set: map[string]string{"channels": `["ALL_PUBLIC_CHANNELS"]`}, at: "channels", summary: "Invalid channels entry", detail: `"ALL_PUBLIC_CHANNELS" is not a room or a user. ` + notRoom},
		{name: "override_destination_channel_enabled wrong type", set: map[string]string{"override_destination_channel_enabled": `"yes please"`}, at: "override_destination_channel_enabled", summary: "Incorrect attribute value type", detail: "a bool is required."},
		{name: "read-only token", set: map[string]string{"token": `"a-token"`}, at: "token", summary: "Invalid Configuration for Read-Only Attribute"},
		{name: "read-only webhook_url", set: map[string]string{"webhook_url": `"https://chat.example.com/hooks/x/y"`}, at: "webhook_url", summary: "Invalid Configuration for Read-Only Attribute"},
		{name: "outgoing attribute event", set: map[string]string{"event": `"sendMessage"`}, at: "event", summary: "Unsupported argument", detail: `An argument named "event" is not expected here.`},
		{name: "outgoing attribute urls", set: map[string]string{"urls": `["https://bot.example.com/hook"]`}, at: "urls", summary: "Unsupported argument", detail: `An argument named "urls" is not expected here.`},
	}...)
	runValidationRows(t, res, rows)
}

func TestAccOutgoingIntegration_validation(t *testing.T) {
	res := validationResource{typ: "rocketchat_outgoing_integration", base: [][2]string{
		{"name", `"validation"`}, {"event", `"sendMessage"`}, {"username", `"rocket.cat"`}, {"channels", `["#general"]`},
		{"urls", `["https://bot.example.com/hook"]`},
	}}
	notRoom := "Write a room as #name (e.g. #general) and a user as @username (e.g. @alice), or use all_public_channels, all_private_groups, all_direct_messages."
	const empty = "The value is empty. Give a non-empty value, or leave the attribute out."
	noChannels := []string{"channels"}
	rows := append(commonValidationRows(notRoom), []validationRow{
		// Rocket.Chat checks the scoped targets' permissions case-sensitively,
		// so only the lower-case spelling means them (spec §3.1.3 quirk).
		{name: "ALL_PUBLIC_CHANNELS", set: map[string]string{"channels": `["ALL_PUBLIC_CHANNELS"]`}, at: "channels", summary: "Invalid channels entry", detail: `"ALL_PUBLIC_CHANNELS" must be written in lower case: all_public_channels.`},
		{name: "All_Private_Groups", set: map[string]string{"channels": `["#general", "All_Private_Groups"]`}, at: "channels", summary: "Invalid channels entry", detail: `"All_Private_Groups" must be written in lower case: all_private_groups.`},
		{name: "ALL_DIRECT_MESSAGES", set: map[string]string{"channels": `["ALL_DIRECT_MESSAGES"]`}, at: "channels", summary: "Invalid channels entry", detail: `"ALL_DIRECT_MESSAGES" must be written in lower case: all_direct_messages.`},

		{name: "event not in the enum", set: map[string]string{"event": `"messageCreated"`}, at: "event", summary: "Invalid Attribute Value Match", detail: `Attribute event value must be one of: ["sendMessage" "fileUploaded" "roomArchived" "roomCreated" "roomJoined" "roomLeft" "userCreated" "messageEdited" "messageDeleted"], got: "messageCreated"`},
		{name: "event in the wrong case", set: map[string]string{"event": `"SendMessage"`}, at: "event", summary: "Invalid Attribute Value Match", detail: `got: "SendMessage"`},
		{name: "event empty", set: map[string]string{"event": `""`}, at: "event", summary: "Invalid Attribute Value Match", detail: `got: ""`},
		{name: "event missing", omit: []string{"event"}, summary: "Missing required argument", detail: `The argument "event" is required`},

		{name: "urls empty list", set: map[string]string{"urls": `[]`}, at: "urls", summary: "Invalid Attribute Value", detail: "Attribute urls list must contain at least 1 elements, got: 0"},
		{name: "urls relative", set: map[string]string{"urls": `["/hook"]`}, at: "urls", summary: "Invalid urls entry", detail: "The value is not an absolute http:// or https:// URL: it has no scheme (it must start with https:// or http://). Give a full URL such as https://example.com/hook."},
		{name: "urls without scheme", set: map[string]string{"urls": `["bot.example.com/hook"]`}, at: "urls", summary: "Invalid urls entry", detail: "The value is not an absolute http:// or https:// URL: it has no scheme (it must start with https:// or http://)."},
		{name: "urls ftp", set: map[string]string{"urls": `["ftp://files.example.com/hook"]`}, at: "urls", summary: "Invalid urls entry", detail: "The value is not an absolute http:// or https:// URL: its scheme is ftp, not http or https."},
		{name: "urls with surrounding whitespace", set: map[string]string{"urls": `["https://bot.example.com/hook "]`}, at: "urls", summary: "Invalid urls entry", detail: "it starts or ends with whitespace."},
		{name: "urls with inner whitespace", set: map[string]string{"urls": `["https://bot example.com/hook"]`}, at: "urls", summary: "Invalid urls entry", detail: "it contains whitespace."},
		{name: "urls later entry empty", set: map[string]string{"urls": `["https://bot.example.com/hook", ""]`}, at: "urls", summary: "Invalid urls entry", detail: "The value is not an absolute http:// or https:// URL: it is empty."},
		{name: "urls entry null", set: map[string]string{"urls": `[null]`}, at: "urls", summary: "Null List Value", detail: "This attribute contains a null value."},
		{name: "urls missing", omit: []string{"urls"}, summary: "Missing required argument", detail: `The argument "urls" is required`},
		{name: "urls wrong type", set: map[string]string{"urls": `"https://bot.example.com/hook"`}, at: "urls", summary: "Incorrect attribute value type", detail: `Inappropriate value for attribute "urls": list of string required, but have string.`},

		{name: "trigger_words empty list", set: map[string]string{"trigger_words": `[]`}, at: "trigger_words", summary: "Invalid Attribute Value", detail: "Attribute trigger_words list must contain at least 1 elements, got: 0"},
		{name: "trigger_words blank entry", set: map[string]string{"trigger_words": `["!deploy", " "]`}, at: "trigger_words", summary: "Invalid trigger_words entry", detail: "The entry is empty. Give a non-empty value, or remove the entry."},
		{name: "trigger_words empty entry", set: map[string]string{"trigger_words": `[""]`}, at: "trigger_words", summary: "Invalid trigger_words entry", detail: "The entry is empty. Give a non-empty value, or remove the entry."},
		{name: "trigger_words entry null", set: map[string]string{"trigger_words": `["!deploy", null]`}, at: "trigger_words", summary: "Null List Value", detail: "This attribute contains a null value."},
		{name: "trigger_words wrong type", set: map[string]string{"trigger_words": `"!deploy"`}, at: "trigger_words", summary: "Incorrect attribute value type", detail: "list of string required, but have string."},

		{name: "target_room empty", set: map[string]string{"target_room": `""`}, at: "target_room", summary: "Invalid target_room", detail: empty},
		{name: "target_room blank", set: map[string]string{"target_room": `"   "`}, at: "target_room", summary: "Invalid target_room", detail: empty},

		{name: "token empty", set: map[string]string{"token": `""`}, at: "token", summary: "Invalid token", detail: empty},
		{name: "token blank", set: map[string]string{"token": `" \t"`}, at: "token", summary: "Invalid token", detail: empty},
		{name: "token with token_wo", set: map[string]string{"token": `"a-token"`, "token_wo": `"another-token"`, "token_wo_version": `1`}, at: "token", summary: "Invalid Attribute Combination", detail: `Attribute "token_wo" cannot be specified when "token" is specified`},
		{name: "token_wo with token", set: map[string]string{"token": `"a-token"`, "token_wo": `"another-token"`, "token_wo_version": `1`}, at: "token_wo", summary: "Invalid Attribute Combination", detail: `Attribute "token" cannot be specified when "token_wo" is specified`},
		{name: "token_wo blank", set: map[string]string{"token_wo": `" "`, "token_wo_version": `1`}, at: "token_wo", summary: "Invalid token_wo", detail: empty},
		{name: "token_wo without token_wo_version", set: map[string]string{"token_wo": `"a-token"`}, at: "token_wo", summary: "Invalid Attribute Combination", detail: `Attribute "token_wo_version" must be specified when "token_wo" is specified`},
		{name: "token_wo_version without token_wo", set: map[string]string{"token_wo_version": `1`}, at: "token_wo_version", summary: "Invalid Attribute Combination", detail: `Attribute "token_wo" must be specified when "token_wo_version" is specified`},
		{name: "token_wo_version wrong type", set: map[string]string{"token_wo": `"a-token"`, "token_wo_version": `"first"`}, at: "token_wo_version", summary: "Incorrect attribute value type", detail: "a number is required."},

		{name: "retry_count zero", set: map[string]string{"retry_failed_calls": `true`, "retry_count": `0`}, at: "retry_count", summary: "Invalid Attribute Value", detail: "Attribute retry_count value must be at least 1, got: 0"},
		{name: "retry_count negative", set: map[string]string{"retry_failed_calls": `true`, "retry_count": `-3`}, at: "retry_count", summary: "Invalid Attribute Value", detail: "Attribute retry_count value must be at least 1, got: -3"},
		// The framework, not the provider, refuses a fraction for a whole
		// number; its message blames the provider, but the plan stops.
		{name: "retry_count fraction", set: map[string]string{"retry_failed_calls": `true`, "retry_count": `2.5`}, at: "retry_count", summary: "Value Conversion Error", detail: "is not an integer."},
		{name: "retry_count wrong type", set: map[string]string{"retry_failed_calls": `true`, "retry_count": `"three"`}, at: "retry_count", summary: "Incorrect attribute value type", detail: `Inappropriate value for attribute "retry_count": a number is required.`},
		{name: "retry_delay not in the enum", set: map[string]string{"retry_failed_calls": `true`, "retry_delay": `"fibonacci"`}, at: "retry_delay", summary: "Invalid Attribute Value Match", detail: `Attribute retry_delay value must be one of: ["powers-of-ten" "powers-of-two" "increments-of-two"], got: "fibonacci"`},
		// Rocket.Chat would store it lower-cased, and the next plan would differ.
		{name: "retry_delay upper case", set: map[string]string{"retry_failed_calls": `true`, "retry_delay": `"POWERS-OF-TEN"`}, at: "retry_delay", summary: "Invalid Attribute Value Match", detail: `got: "POWERS-OF-TEN"`},
		{name: "retry_failed_calls wrong type", set: map[string]string{"retry_failed_calls": `"always"`}, at: "retry_failed_calls", summary: "Incorrect attribute value type", detail: "a bool is required."},

		// Rules that tie attributes together (outgoingIntegrationModel.validate, spec §8).
		{name: "sendMessage without channels", omit: noChannels, summary: "Missing channels", detail: "The event sendMessage needs channels: list the rooms (#name) or users (@username) to watch, or use all_public_channels."},
		{name: "fileUploaded without channels", omit: noChannels, set: map[string]string{"event": `"fileUploaded"`}, summary: "Missing channels", detail: "The event fileUploaded needs channels"},
		{name: "roomJoined without channels", omit: noChannels, set: map[string]string{"event": `"roomJoined"`}, summary: "Missing channels", detail: "The event roomJoined needs channels"},
		{name: "roomLeft without channels", omit: noChannels, set: map[string]string{"event": `"roomLeft"`}, summary: "Missing channels", detail: "The event roomLeft needs channels"},
		{name: "messageEdited without channels", omit: noChannels, set: map[string]string{"event": `"messageEdited"`}, summary: "Missing channels", detail: "The event messageEdited needs channels"},
		{name: "messageDeleted without channels", omit: noChannels, set: map[string]string{"event": `"messageDeleted"`}, summary: "Missing channels", detail: "The event messageDeleted needs channels"},
		{name: "roomArchived with channels", set: map[string]string{"event": `"roomArchived"`}, at: "channels", summary: "channels has no effect for this event", detail: "Rocket.Chat ignores channels for the event roomArchived and stores none. Remove channels."},
		{name: "roomCreated with channels", set: map[string]string{"event": `"roomCreated"`, "channels": `["all_public_channels"]`}, at: "channels", summary: "channels has no effect for this event", detail: "Rocket.Chat ignores channels for the event roomCreated"},
		{name: "userCreated with channels", set: map[string]string{"event": `"userCreated"`, "target_room": `"#general"`, "channels": `["#general"]`}, at: "channels", summary: "channels has no effect for this event", detail: "Rocket.Chat ignores channels for the event userCreated"},
		{name: "trigger_words with fileUploaded", set: map[string]string{"event": `"fileUploaded"`, "trigger_words": `["!deploy"]`}, at: "trigger_words", summary: "trigger_words has no effect for this event", detail: "Only the event sendMessage uses trigger words; Rocket.Chat drops them for fileUploaded. Remove trigger_words."},
		{name: "trigger_words with roomJoined", set: map[string]string{"event": `"roomJoined"`, "trigger_words": `["!deploy"]`}, at: "trigger_words", summary: "trigger_words has no effect for this event", detail: "Rocket.Chat drops them for roomJoined."},
		{name: "trigger_words with roomLeft", set: map[string]string{"event": `"roomLeft"`, "trigger_words": `["!deploy"]`}, at: "trigger_words", summary: "trigger_words has no effect for this event", detail: "Rocket.Chat drops them for roomLeft."},
		{name: "trigger_words with messageEdited", set: map[string]string{"event": `"messageEdited"`, "trigger_words": `["!deploy"]`}, at: "trigger_words", summary: "trigger_words has no effect for this event", detail: "Rocket.Chat drops them for messageEdited."},
		{name: "trigger_words with roomArchived", omit: noChannels, set: map[string]string{"event": `"roomArchived"`, "trigger_words": `["!deploy"]`}, at: "trigger_words", summary: "trigger_words has no effect for this event", detail: "Rocket.Chat drops them for roomArchived."},
		{name: "trigger_words with userCreated", omit: noChannels, set: map[string]string{"event": `"userCreated"`, "target_room": `"#general"`, "trigger_words": `["!deploy"]`}, at: "trigger_words", summary: "trigger_words has no effect for this event", detail: "Rocket.Chat drops them for userCreated."},
		{name: "userCreated without target_room", omit: noChannels, set: map[string]string{"event": `"userCreated"`}, summary: "Missing target_room", detail: "The event userCreated needs target_room: the room the integration posts to."},
		{name: "retry_count without retry_failed_calls", set: map[string]string{"retry_count": `3`}, at: "retry_count", summary: "retry_count needs retry_failed_calls", detail: "retry_count only matters when Rocket.Chat retries failed calls. Set retry_failed_calls = true, or remove retry_count."},
		{name: "retry_count with retry_failed_calls false", set: map[string]string{"retry_failed_calls": `false`, "retry_count": `3`}, at: "retry_count", summary: "retry_count needs retry_failed_calls"},
		{name: "retry_delay without retry_failed_calls", set: map[string]string{"retry_delay": `"powers-of-two"`}, at: "retry_delay", summary: "retry_delay needs retry_failed_calls", detail: "Set retry_failed_calls = true, or remove retry_delay."},
		{name: "retry_delay with retry_failed_calls false", set: map[string]string{"retry_failed_calls": `false`, "retry_delay": `"powers-of-two"`}, at: "retry_delay", summary: "retry_delay needs retry_failed_calls"},

		{name: "unknown attribute triggerWords", set: map[string]string{"triggerWords": `["!deploy"]`}, at: "triggerWords", summary: "Unsupported argument", detail: `An argument named "triggerWords" is not expected here.`},
		{name: "incoming attribute override_destination_channel_enabled", set: map[string]string{"override_destination_channel_enabled": `true`}, at: "override_destination_channel_enabled", summary: "Unsupported argument", detail: `An argument named "override_destination_channel_enabled" is not expected here.`},
		{name: "incoming attribute webhook_url", set: map[string]string{"webhook_url": `"https://chat.example.com/hooks/x/y"`}, at: "webhook_url", summary: "Unsupported argument"},
	}...)
	runValidationRows(t, res, rows)
}

// TestAccIntegration_validationServerVersion refuses skip_transpile at plan
// time when the server is older than 8.4, whose request schema rejects it.
func TestAccIntegration_validationServerVersion(t *testing.T) {
	env := newAccEnv(t)
	env.fake(t)
	old := rocketchattest.NewServer(rocketchattest.WithVersion("8.3.2"))
	t.Cleanup(old.Close)
	admin := old.Admin()
	provider := fmt.Sprintf("provider \"rocketchat\" {\n  server_url = %q\n  user_id    = %q\n  auth_token = %q\n}\n",
		old.URL(), admin.UserID, admin.AuthToken)
	in := validationResource{typ: "rocketchat_incoming_integration", base: [][2]string{
		{"name", `"old server"`}, {"username", `"rocket.cat"`}, {"channels", `["#general"]`}, {"skip_transpile", `true`},
	}}
	out := validationResource{typ: "rocketchat_outgoing_integration", base: [][2]string{
		{"name", `"old server"`}, {"event", `"sendMessage"`}, {"username", `"rocket.cat"`}, {"channels", `["#general"]`},
		{"urls", `["https://bot.example.com/hook"]`}, {"skip_transpile", `false`},
	}}
	row := func(val string) validationRow {
		return validationRow{
			set: map[string]string{"skip_transpile": val}, at: "skip_transpile",
			summary: "skip_transpile needs Rocket.Chat 8.4 or later",
			detail:  "The server runs Rocket.Chat 8.3",
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: provider + in.config(row("true")), PlanOnly: true, ExpectError: in.want(row("true"))},
			{Config: provider + out.config(row("false")), PlanOnly: true, ExpectError: out.want(row("false"))},
		},
	})
	for _, ep := range []string{rocketchattest.EndpointCreate, rocketchattest.EndpointUpdate, rocketchattest.EndpointRemove} {
		if n := old.Requests(ep); n != 0 {
			t.Errorf("%d requests to %s reached Rocket.Chat", n, ep)
		}
	}
}

// TestDiagAt makes sure a summary is matched only with its own diagnostic's
// source line and detail, so that rows cannot pass on another error's text.
func TestDiagAt(t *testing.T) {
	out := "Error running non-refresh plan: exit status 1\n\n" +
		"Error: Invalid name\n\n  with rocketchat_incoming_integration.test,\n" +
		"  on terraform_plugin_test.tf line 7, in resource \"rocketchat_incoming_integration\" \"test\":\n" +
		"   7:   name = \"\"\n\nThe value is empty. Give a non-empty value, or leave the\nattribute out.\n\n" +
		"Error: Unsupported argument\n\n" +
		"  on terraform_plugin_test.tf line 9, in resource \"rocketchat_incoming_integration\" \"test\":\n" +
		"   9:   channel = \"#general\"\n\nAn argument named \"channel\" is not expected here.\n"
	for _, tc := range []struct {
		re   *regexp.Regexp
		want bool
	}{
		{diagAt("Invalid name", `name = ""`, "The value is empty. Give a non-empty value, or leave the attribute out."), true},
		{diagAt("Unsupported argument", `channel = "#general"`, `An argument named "channel" is not expected here.`), true},
		{diagAt("Invalid name", `channel = "#general"`), false},
		{diagAt("Invalid name", `name = ""`, `An argument named "channel"`), false},
		{diagAt("Unsupported argument", `name = ""`), false},
	} {
		if got := tc.re.MatchString(out); got != tc.want {
			t.Errorf("%s: matched %v, want %v", tc.re, got, tc.want)
		}
	}
}
