package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/client"
)

// stringCheck is a string validator made of a description and a check that
// returns what is wrong with a value ("" when nothing is).
type stringCheck struct {
	description string
	check       func(string) string
}

func (v stringCheck) Description(context.Context) string         { return v.description }
func (v stringCheck) MarkdownDescription(context.Context) string { return v.description }

func (v stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if problem := v.check(req.ConfigValue.ValueString()); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+attributeName(req.Path.String()), problem)
	}
}

// attributeName turns a path such as channels[0] into "channels entry" for summaries.
func attributeName(p string) string {
	if i := strings.Index(p, "["); i >= 0 {
		return p[:i] + " entry"
	}
	return p
}

// notBlank rejects empty and whitespace-only values of an optional
// attribute, which may be left out instead.
func notBlank() validator.String {
	return stringCheck{"must not be empty or only whitespace", func(s string) string {
		if strings.TrimSpace(s) == "" {
			return "The value is empty. Give a non-empty value, or leave the attribute out."
		}
		return ""
	}}
}

// notBlankEntry rejects empty and whitespace-only entries of a list.
func notBlankEntry() validator.String {
	return stringCheck{"must not be empty or only whitespace", func(s string) string {
		if strings.TrimSpace(s) == "" {
			return "The entry is empty. Give a non-empty value, or remove the entry."
		}
		return ""
	}}
}

// requiredNotBlank rejects empty and whitespace-only values of a required
// attribute, which cannot be left out.
func requiredNotBlank(example string) validator.String {
	return stringCheck{"must not be empty or only whitespace", func(s string) string {
		if strings.TrimSpace(s) == "" {
			return "The value is empty. Give a non-empty value, such as " + example + "."
		}
		return ""
	}}
}

// trimmed rejects values with leading or trailing whitespace, which
// Rocket.Chat would trim or reject and which would then never match the
// configuration.
func trimmed() validator.String {
	return stringCheck{"must not start or end with whitespace", func(s string) string {
		if strings.TrimSpace(s) == "" {
			return "The value is empty. Give a non-empty value, or leave the attribute out."
		}
		if strings.TrimSpace(s) != s {
			return fmt.Sprintf("%q starts or ends with whitespace, which Rocket.Chat does not keep. Remove it.", s)
		}
		return ""
	}}
}

// absoluteHTTPURL accepts only absolute http and https URLs with a host.
// Its messages never quote the value: a URL may carry a secret in its user
// info, path or query, and Terraform does not tell a provider which values
// came from sensitive variables.
func absoluteHTTPURL() validator.String {
	return stringCheck{"must be an absolute http or https URL", func(s string) string {
		if problem := client.URLProblem(s, true); problem != "" {
			return "The value is not an absolute http:// or https:// URL: " + problem +
				". Give a full URL such as https://example.com/hook. (The value is not shown: it may hold a secret.)"
		}
		return ""
	}}
}

// absoluteURL accepts any absolute URL (an avatar may be a data: URL); like
// absoluteHTTPURL, it never quotes the value.
func absoluteURL() validator.String {
	return stringCheck{"must be an absolute URL", func(s string) string {
		if problem := client.URLProblem(s, false); problem != "" {
			return "The value is not an absolute URL: " + problem +
				". Give a full URL such as https://example.com/avatar.png. (The value is not shown: it may hold a secret.)"
		}
		return ""
	}}
}

var emojiPattern = regexp.MustCompile(`^:[^:\s]+:$`)

// emojiName accepts Rocket.Chat's emoji notation, e.g. :ghost:.
func emojiName() validator.String {
	return stringCheck{"must be an emoji name between colons, such as :ghost:", func(s string) string {
		if !emojiPattern.MatchString(s) {
			return fmt.Sprintf("%q is not an emoji name. Write it between colons, such as :ghost: or :white_check_mark:.", s)
		}
		return ""
	}}
}

// postAsUsername accepts a username as Rocket.Chat stores it: no leading @,
// no whitespace.
func postAsUsername() validator.String {
	return stringCheck{"must be a Rocket.Chat username without a leading @", func(s string) string {
		switch {
		case strings.TrimSpace(s) == "":
			return "The username is empty. Give the username of an existing user, such as rocket.cat."
		case strings.HasPrefix(s, "@"):
			return fmt.Sprintf("%q starts with @. Give the username alone, such as %q.", s, strings.TrimPrefix(s, "@"))
		case strings.ContainsAny(s, " \t\r\n,"):
			return fmt.Sprintf("%q contains whitespace or a comma, which no Rocket.Chat username has.", s)
		}
		return ""
	}}
}

// The targets an outgoing integration may use besides #room and @user.
var scopedTargets = []string{client.AllPublicChannels, client.AllPrivateGroups, client.AllDirectMessages}

// channelTarget accepts one entry of channels: "#room" or "@user", and for
// outgoing integrations also the scoped all_* targets (lower case: Rocket.Chat
// checks their permissions case-sensitively).
func channelTarget(allowScoped bool) validator.String {
	desc := "must be #room or @user"
	if allowScoped {
		desc += ", or one of " + strings.Join(scopedTargets, ", ")
	}
	return stringCheck{desc, func(s string) string {
		if allowScoped {
			for _, t := range scopedTargets {
				if s == t {
					return ""
				}
				if strings.EqualFold(s, t) {
					return fmt.Sprintf("%q must be written in lower case: %s.", s, t)
				}
			}
		}
		switch {
		case strings.TrimSpace(s) != s:
			return fmt.Sprintf("%q starts or ends with whitespace, which Rocket.Chat trims. Remove it.", s)
		case strings.Contains(s, ","):
			return fmt.Sprintf("%q contains a comma. Give each room or user as its own list entry.", s)
		case len(s) < 2 || (s[0] != '#' && s[0] != '@'):
			hint := "Write a room as #name (e.g. #general) and a user as @username (e.g. @alice)"
			if allowScoped {
				hint += ", or use " + strings.Join(scopedTargets, ", ")
			}
			return fmt.Sprintf("%q is not a room or a user. %s.", s, hint)
		case strings.ContainsAny(s, " \t\r\n"):
			return fmt.Sprintf("%q contains whitespace, which no room name or username has.", s)
		}
		return ""
	}}
}

// positiveDuration accepts Go durations longer than zero.
func positiveDuration() validator.String {
	return stringCheck{"must be a Go duration longer than zero, such as 30s", func(s string) string {
		if _, err := parsePositiveDuration(s); err != nil {
			return fmt.Sprintf("%q %s.", s, err)
		}
		return ""
	}}
}
