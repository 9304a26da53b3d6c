package rocketchattest_test

import (
	"strings"
)

// §8 Outgoing events

func spec8() []row {
	var rows []row
	for _, ev := range []struct {
		name                  string
		channel, triggerWords bool
	}{
		{"sendMessage", true, true},
		{"fileUploaded", true, false},
		{"roomArchived", false, false},
		{"roomCreated", false, false},
		{"roomJoined", true, false},
		{"roomLeft", true, false},
		{"userCreated", false, false},
	} {
		want := map[string]any{"integration.event": ev.name, "integration.channel": []string{}, "integration.triggerWords": absent}
		uses := []string{}
		if ev.channel {
			want["integration.channel"] = []string{"#general"}
			uses = append(uses, "channel")
		}
		if ev.triggerWords {
			want["integration.triggerWords"] = []string{"!x"}
			uses = append(uses, "triggerWords")
		}
		rows = append(rows, row{
			name:   "§8 " + ev.name + " uses [" + strings.Join(uses, ", ") + "]",
			req:    create("admin", outgoingBody(map[string]any{"event": ev.name, "triggerWords": []string{"!x"}, "targetRoom": "#general"})),
			status: 200,
			want:   want,
		})
	}
	return rows
}
