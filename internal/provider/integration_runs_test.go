package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

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

// postMessage posts text into a room as the user, as a person in the chat would.
func postMessage(srv *rocketchattest.Server, as rocketchattest.Credentials, channel, text string) error {
	body, _ := json.Marshal(map[string]string{"channel": channel, "text": text})
	req, err := http.NewRequest(http.MethodPost, srv.URL()+"/api/v1/chat.postMessage", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-User-Id", as.UserID)
	req.Header.Set("X-Auth-Token", as.AuthToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("chat.postMessage answered %d: %s", resp.StatusCode, answer)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.WaitOutgoing(ctx)
}

// TestAccOutgoingIntegration_triggerWordReachesReceiver posts a message with
// the trigger word: the receiver gets Rocket.Chat's payload with the token
// Terraform set, and its answer appears in the room as the integration's reply.
func TestAccOutgoingIntegration_triggerWordReachesReceiver(t *testing.T) {
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
