package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestConfigurationsAreValidHCL formats each generated configuration with
// terraform fmt, which refuses invalid HCL, and checks the counts and
// providers it names.
func TestConfigurationsAreValidHCL(t *testing.T) {
	tf, err := exec.LookPath("terraform")
	if err != nil {
		t.Skip("terraform is not on the PATH")
	}
	cases := []struct {
		name, config string
		want         []string
	}{
		{"provider", integrations("rocketchat", 5), []string{`provider "rocketchat"`, `"rocketchat_incoming_integration" "in"`, "count    = 2", `"rocketchat_outgoing_integration" "out"`, "count         = 3"}},
		{"no-op", integrations("noop", 4), []string{`provider "noop"`, `"noop_incoming_integration" "in"`, "count    = 2", `"noop_outgoing_integration" "out"`, "count         = 2"}},
		{"terraform_data", terraformData(3), []string{`"terraform_data" "d"`, "count = 3"}},
		{"spread over rooms", spread(6, 3), []string{`provider "rocketchat"`, `"rocketchat_incoming_integration" "in"`, "count    = 6", `channels = ["#room-${count.index % 3 + 1}"]`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "main.tf")
			if err := os.WriteFile(path, []byte(tc.config), 0o600); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.CommandContext(t.Context(), tf, "fmt", "-check", path).CombinedOutput(); err != nil {
				t.Fatalf("terraform fmt -check: %v\n%s\n%s", err, out, tc.config)
			}
			for _, w := range tc.want {
				if !strings.Contains(tc.config, w) {
					t.Errorf("configuration lacks %q:\n%s", w, tc.config)
				}
			}
		})
	}
}
