package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

// These tests show that an integration configured by the provider does its
// job in the in-memory Rocket.Chat, which runs scripts and fires outgoing
// integrations as Rocket.Chat does.

// receiver is a service an outgoing integration calls: it records each
// payload and answers with reply.
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	payloads []map[string]any
}

func newReceiver(t *testing.T, reply map[string]any) *receiver {
	r := &receiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		var p map[string]any
		if err := json.NewDecoder(req.Body).Decode(&p); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.mu.Lock()
		r.payloads = append(r.payloads, p)
		r.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(reply)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) received() []map[string]any {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]map[string]any(nil), r.payloads...)
}

// postMessage posts text into a room as the user, as a person in the chat
// would, and waits for the outgoing integrations it fires.
func postMessage(srv *rocketchattest.Server, as rocketchattest.Credentials, channel, text string) error {
	body, _ := json.Marshal(map[string]string{"channel": channel, "text": text})
	if err := postOK(srv.URL()+"/api/v1/chat.postMessage", string(body), "X-User-Id", as.UserID, "X-Auth-Token", as.AuthToken); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.WaitOutgoing(ctx)
}

// postOK posts a JSON body with postJSON and wants 200 back.
func postOK(url, body string, headers ...string) error {
	resp, err := postJSON(url, body, headers...)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("the POST answered %d: %s", resp.StatusCode, answer)
	}
	return nil
}

// TestAccOutgoingIntegration_triggerWordReachesReceiver posts a message with
// the trigger word: the receiver gets Rocket.Chat's payload with the token
// Terraform set, and its answer appears in the room as the integration's reply.
func TestAccOutgoingIntegration_triggerWordReachesReceiver(t *testing.T) {
	belowTheCLI(t)
	env := newAccEnv(t)
	srv := env.fake(t)
	rcv := newReceiver(t, map[string]any{"text": "Deploying v1.2.3"})
	const token = "a-token-only-the-receiver-knows"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: env.config(fmt.Sprintf(`
resource "rocketchat_outgoing_integration" "test" {
  name          = "Deploy command"
  event         = "sendMessage"
  username      = "rocket.cat"
  channels      = ["#general"]
  trigger_words = ["!deploy"]
  urls          = [%q]
  token         = %q
  alias         = "Deployer"
}
`, rcv.URL+"/deploy", token)),
			Check: func(*terraform.State) error {
				if err := postMessage(srv, srv.Admin(), "#general", "no trigger word here"); err != nil {
					return err
				}
				if got := rcv.received(); len(got) != 0 {
					return fmt.Errorf("a message without the trigger word reached the receiver: %v", got)
				}
				if err := postMessage(srv, srv.Admin(), "#general", "!deploy v1.2.3"); err != nil {
					return err
				}
				got := rcv.received()
				if len(got) != 1 {
					return fmt.Errorf("the receiver got %d calls, want 1", len(got))
				}
				p := got[0]
				for field, want := range map[string]any{
					"token": token, "trigger_word": "!deploy", "text": "!deploy v1.2.3",
					"channel_name": "general", "user_name": rocketchattest.AdminUsername, "bot": false,
				} {
					if p[field] != want {
						return fmt.Errorf("payload %s = %v, want %v (payload %v)", field, p[field], want, p)
					}
				}
				msgs := srv.Messages("#general")
				last := msgs[len(msgs)-1]
				if last.Text != "Deploying v1.2.3" || last.Alias != "Deployer" || last.User["username"] != "rocket.cat" {
					return fmt.Errorf("the reply in #general is %q by %v as %q", last.Text, last.User["username"], last.Alias)
				}
				return nil
			},
		}},
	})
}

func stateAttr(s *terraform.State, addr, name string) (string, error) {
	rs, ok := s.RootModule().Resources[addr]
	if !ok {
		return "", fmt.Errorf("%s not in state", addr)
	}
	v, ok := rs.Primary.Attributes[name]
	if !ok || strings.TrimSpace(v) == "" {
		return "", fmt.Errorf("%s has no %s", addr, name)
	}
	return v, nil
}

// TestAccIncomingIntegration_scriptTransformsMessage posts an
// Alertmanager-style payload to a webhook whose script turns it into a
// message with an attachment per firing alert.
func TestAccIncomingIntegration_scriptTransformsMessage(t *testing.T) {
	belowTheCLI(t)
	env := newAccEnv(t)
	srv := env.fake(t)
	script, err := os.ReadFile(filepath.Join("..", "..", "examples", "demo", "scripts", "alertmanager.js"))
	if err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: env.config(fmt.Sprintf(`
resource "rocketchat_incoming_integration" "test" {
  name           = "Alertmanager"
  username       = "rocket.cat"
  channels       = ["#general"]
  script_enabled = true
  script         = %q
}
`, hclEscape(string(script)))),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(incomingAddr, tfjsonpath.New("script_error"), knownvalue.Null()),
			},
			Check: func(s *terraform.State) error {
				url, err := stateAttr(s, incomingAddr, "webhook_url")
				if err != nil {
					return err
				}
				payload := `{"alerts":[{"status":"firing","labels":{"alertname":"DiskFull","severity":"critical"},"annotations":{"summary":"/var is 95% full"}},` +
					`{"status":"resolved","labels":{"alertname":"HighLoad"},"annotations":{}}]}`
				if err := postOK(url, payload); err != nil {
					return err
				}
				msgs := srv.Messages("#general")
				last := msgs[len(msgs)-1]
				want := []any{map[string]any{"title": "DiskFull", "text": "/var is 95% full", "color": "#d00000"}}
				if last.Text != "1 alert(s) firing" || !reflect.DeepEqual(last.Attachments, want) {
					return fmt.Errorf("the message is %q with attachments %v", last.Text, last.Attachments)
				}
				return nil
			},
		}},
	})
}

// TestAccIntegration_modernScriptsApply applies every script of the corpus
// that Rocket.Chat compiles and runs — every syntax form from ES2015 to
// ES2024 and scripts of the kind people publish — transpiled, and as written
// where Rocket.Chat accepts that too: each plans, applies and has no
// script_error.
func TestAccIntegration_modernScriptsApply(t *testing.T) {
	belowTheCLI(t)
	env := newAccEnv(t)
	transpiled, asWritten := map[string]string{}, map[string]string{}
	for _, c := range loadScriptCorpus(t).Cases {
		if c.Run == nil || !c.Run.Script || (c.Group != "syntax" && c.Group != "realworld") {
			continue
		}
		transpiled[c.Name] = c.Source
		if c.VM.OK {
			asWritten[c.Name] = c.Source
		}
	}
	dir := t.TempDir()
	for name, scripts := range map[string]map[string]string{"transpiled": transpiled, "as_written": asWritten} {
		data, _ := json.Marshal(scripts)
		if err := os.WriteFile(filepath.Join(dir, name+".json"), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.checkDestroyed("rocketchat_incoming_integration"),
		Steps: []resource.TestStep{{
			Config: env.config(fmt.Sprintf(`
# Counted rather than for_each: the test's state checks read instances by index.
locals {
  transpiled = jsondecode(file(%q))
  as_written = jsondecode(file(%q))
}

resource "rocketchat_incoming_integration" "transpiled" {
  count          = length(local.transpiled)
  name           = "transpiled ${keys(local.transpiled)[count.index]}"
  username       = "rocket.cat"
  channels       = ["#general"]
  script_enabled = true
  script         = values(local.transpiled)[count.index]
}

resource "rocketchat_incoming_integration" "as_written" {
  count          = length(local.as_written)
  name           = "as written ${keys(local.as_written)[count.index]}"
  username       = "rocket.cat"
  channels       = ["#general"]
  script_enabled = true
  skip_transpile = true
  script         = values(local.as_written)[count.index]
}
`, filepath.Join(dir, "transpiled.json"), filepath.Join(dir, "as_written.json"))),
			Check: func(s *terraform.State) error {
				n := 0
				for addr, rs := range s.RootModule().Resources {
					if rs.Type != "rocketchat_incoming_integration" {
						continue
					}
					n++
					if e := rs.Primary.Attributes["script_error"]; e != "" {
						return fmt.Errorf("%s: script_error %q", addr, e)
					}
				}
				if want := len(transpiled) + len(asWritten); n != want {
					return fmt.Errorf("%d integrations in the state, want %d", n, want)
				}
				return nil
			},
		}},
	})
}

// hclEscape keeps a script's ${ and %{ literal inside an HCL string.
func hclEscape(s string) string {
	return strings.NewReplacer("${", "$${", "%{", "%%{").Replace(s)
}
