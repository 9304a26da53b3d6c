#!/usr/bin/env bash
# The demo behind `make demo`: the provider against the in-memory Rocket.Chat,
# end to end, with the real terraform (or tofu: TF=tofu) binary.
#
# It builds the provider and the test server, starts the server on a free
# loopback port, points Terraform at the local build through a temporary CLI
# configuration (the user's own is never read or touched), applies
# examples/demo, posts through the created webhook and shows the message in
# #general, posts an Alertmanager payload that the scripted webhook turns into
# a message with attachments, posts "!deploy v1.2.3" and shows the outgoing
# integration call a local receiver and post its reply, shows that a second
# plan is empty, changes one attribute and shows
# an in-place update that keeps the webhook URL, shows a plan refuse a room
# that does not exist and a script that does not compile before anything
# changes, destroys everything and stops
# the server. It leaves no process and no file behind, and exits non-zero as
# soon as a step fails.
set -euo pipefail

TF="${TF:-terraform}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

if [[ -t 1 ]]; then
  bold() { printf '\033[1m%s\033[0m\n' "$*"; }
else
  bold() { printf '%s\n' "$*"; }
fi
step() { printf '\n'; bold "==> $*"; }
ok() { printf '    \342\234\223 %s\n' "$*"; }
fail() { printf '    \342\234\227 %s\n' "$*" >&2; exit 1; }

# OpenTofu is built from source by the same script CI uses (cached after the
# first, slow build) when no tofu is installed.
if [[ "$TF" == tofu ]] && ! command -v tofu >/dev/null; then
  step "tofu is not on PATH: OpenTofu from .ci/install-opentofu (built once, then cached)"
  TF="$(bash "$root/.ci/install-opentofu")" || fail "could not build OpenTofu"
  ok "using $TF"
fi
command -v "$TF" >/dev/null || fail "$TF is not on PATH (set TF=terraform or TF=tofu)"
tf_name="$(basename "$TF")"
command -v go >/dev/null || fail "go is not on PATH"
command -v curl >/dev/null || fail "curl is not on PATH"

work="$(mktemp -d "${TMPDIR:-/tmp}/rocketchat-demo.XXXXXX")"
server_pid=""
receiver_pid=""
cleanup() {
  status=$?
  for pid in "$server_pid" "$receiver_pid"; do
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$work"
  if [[ $status -ne 0 ]]; then
    printf '\nThe demo failed (exit %d).\n' "$status" >&2
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# mask shows a webhook URL without its secret token.
mask() { sed -E 's#(/hooks/[0-9a-f]+/)[^/[:space:]"]+#\1****#g'; }

step "1. Build the provider, the test server and the demo's receiver"
mkdir -p "$work/bin" "$work/tf"
(cd "$root" && go build -o "$work/bin/terraform-provider-rocketchat" .)
(cd "$root" && go build -o "$work/bin/rocketchat-test-server" ./internal/rocketchattest/cmd/rocketchat-test-server)
(cd "$root" && go build -o "$work/bin/receiver" ./examples/demo/receiver)
ok "built into a temporary directory"

step "2. Start the in-memory Rocket.Chat and the receiver on free loopback ports"
fifo="$work/server.out"
mkfifo "$fifo"
"$work/bin/rocketchat-test-server" -listen 127.0.0.1:0 >"$fifo" 2>"$work/server.log" &
server_pid=$!
exec 3<"$fifo"
ready=""
while IFS= read -r -t 20 line <&3; do
  case "$line" in
    export\ *) eval "$line" ;;
    ready) ready=1; break ;;
  esac
done
[[ -n "$ready" ]] || fail "the test server did not become ready: $(cat "$work/server.log")"
export ROCKETCHAT_URL ROCKETCHAT_USER_ID ROCKETCHAT_AUTH_TOKEN
unset ROCKETCHAT_USERNAME ROCKETCHAT_PASSWORD
ok "Rocket.Chat answers at $ROCKETCHAT_URL ($(curl -fsS "$ROCKETCHAT_URL/api/info" | sed -E 's/.*"version":"([^"]+)".*/version \1/'))"

# A fresh token for the deploy command: Terraform sets it, Rocket.Chat sends it,
# the receiver checks it.
TF_VAR_deploy_token="demo-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
export TF_VAR_deploy_token
RECEIVER_TOKEN="$TF_VAR_deploy_token" "$work/bin/receiver" >"$work/receiver.out" 2>&1 &
receiver_pid=$!
for _ in $(seq 100); do
  grep -q '^listening ' "$work/receiver.out" 2>/dev/null && break
  sleep 0.1
done
receiver_url="$(sed -n 's/^listening //p' "$work/receiver.out")"
[[ -n "$receiver_url" ]] || fail "the receiver did not start: $(cat "$work/receiver.out")"
export TF_VAR_receiver_url="$receiver_url"
ok "a receiver for the deploy command listens at $receiver_url"

step "3. Point $tf_name at the local build (temporary CLI configuration)"
cat >"$work/cli.tfrc" <<EOF
provider_installation {
  dev_overrides {
    "registry.terraform.io/terraform-rocketchat/rocketchat" = "$work/bin"
    "registry.opentofu.org/terraform-rocketchat/rocketchat" = "$work/bin"
  }
  direct {}
}
EOF
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
cp -R "$here/main.tf" "$here/scripts" "$work/tf/"
cd "$work/tf"
ok "dev_overrides in $work/cli.tfrc; your own CLI configuration is not read"

step "4. $tf_name apply: two incoming integrations (one with a script) and one outgoing integration"
"$TF" apply -auto-approve -no-color -input=false >"$work/apply.txt" 2>&1 || { mask <"$work/apply.txt"; fail "apply failed"; }
grep -E '^  # |will be created|Plan:|Creation complete|Apply complete' "$work/apply.txt" | mask | sed 's/^/    /'
incoming_id="$("$TF" output -raw incoming_id)"
webhook_url="$("$TF" output -raw webhook_url)"
[[ "$webhook_url" == "$ROCKETCHAT_URL/hooks/$incoming_id/"* ]] || fail "unexpected webhook URL: $(echo "$webhook_url" | mask)"
ok "created incoming integration $incoming_id, the scripted Alertmanager webhook and outgoing integration $("$TF" output -raw outgoing_id)"
ok "webhook URL: $(echo "$webhook_url" | mask) (token hidden)"

step "5. Post a message through the webhook and find it in #general"
text="Deployed v1.2.3 to production"
answer="$(curl -sS -X POST -H 'Content-Type: application/json' -d "{\"text\":\"$text\"}" "$webhook_url")"
[[ "$answer" == *'"success":true'* ]] || fail "the webhook answered: $answer"
ok "the webhook answered $answer"
messages="$(curl -fsS -H "X-User-Id: $ROCKETCHAT_USER_ID" -H "X-Auth-Token: $ROCKETCHAT_AUTH_TOKEN" \
  "$ROCKETCHAT_URL/api/v1/channels.messages?roomName=general")"
[[ "$messages" == *"\"msg\":\"$text\""* ]] || fail "the message is not in #general: $messages"
[[ "$messages" == *'"alias":"Deploy notifier"'* ]] || fail "the message does not carry the alias: $messages"
ok "#general holds \"$text\", posted as \"Deploy notifier\""

step "6. Alertmanager posts two alerts: the script turns them into a message with an attachment"
alerts_url="$("$TF" output -raw alerts_webhook_url)"
payload='{"status":"firing","alerts":[{"status":"firing","labels":{"alertname":"DiskFull","severity":"critical"},"annotations":{"summary":"/var is 95% full on db-1"}},{"status":"resolved","labels":{"alertname":"HighLoad","severity":"warning"},"annotations":{"summary":"load is back to normal"}}]}'
answer="$(curl -sS -X POST -H 'Content-Type: application/json' -d "$payload" "$alerts_url")"
[[ "$answer" == *'"success":true'* ]] || fail "the scripted webhook answered: $answer"
messages="$(curl -fsS -H "X-User-Id: $ROCKETCHAT_USER_ID" -H "X-Auth-Token: $ROCKETCHAT_AUTH_TOKEN" \
  "$ROCKETCHAT_URL/api/v1/channels.messages?roomName=general&count=1")"
[[ "$messages" == *'"msg":"1 alert(s) firing"'* ]] || fail "the script's message is not in #general: $messages"
[[ "$messages" == *'"title":"DiskFull"'* && "$messages" == *'"text":"/var is 95% full on db-1"'* ]] \
  || fail "the message lacks the firing alert's attachment: $messages"
[[ "$messages" != *'HighLoad'* ]] || fail "the resolved alert was posted too: $messages"
ok "#general holds \"1 alert(s) firing\" with an attachment \"DiskFull: /var is 95% full on db-1\" (the resolved alert left out)"

step "7. \"!deploy v1.2.3\" in #general: the outgoing integration calls the receiver and posts its answer"
curl -fsS -X POST -H "X-User-Id: $ROCKETCHAT_USER_ID" -H "X-Auth-Token: $ROCKETCHAT_AUTH_TOKEN" \
  -H 'Content-Type: application/json' -d '{"channel":"#general","text":"!deploy v1.2.3"}' \
  "$ROCKETCHAT_URL/api/v1/chat.postMessage" >/dev/null || fail "chat.postMessage failed"
reply=""
for _ in $(seq 100); do
  messages="$(curl -fsS -H "X-User-Id: $ROCKETCHAT_USER_ID" -H "X-Auth-Token: $ROCKETCHAT_AUTH_TOKEN" \
    "$ROCKETCHAT_URL/api/v1/channels.messages?roomName=general&count=1")"
  if [[ "$messages" == *'"msg":"Deploying v1.2.3, as @admin asked."'* ]]; then reply=1; break; fi
  sleep 0.1
done
received="$(grep '^received ' "$work/receiver.out" || true)"
[[ -n "$received" ]] || fail "the receiver got no call"
[[ "$received" == *'token=matches '* && "$received" == *'text="!deploy v1.2.3"'* ]] || fail "the receiver got: $received"
ok "the receiver got: ${received#received }"
[[ -n "$reply" ]] || fail "the reply is not in #general: $messages"
[[ "$messages" == *'"alias":"Deployer"'* ]] || fail "the reply does not carry the alias: $messages"
ok "#general holds the reply \"Deploying v1.2.3, as @admin asked.\", posted as \"Deployer\""

step "8. A second plan has nothing to do"
set +e
"$TF" plan -detailed-exitcode -no-color -input=false >"$work/plan.txt" 2>&1
code=$?
set -e
[[ $code -eq 0 ]] || { mask <"$work/plan.txt"; fail "the second plan is not empty (exit $code)"; }
ok "$(grep -E 'No changes' "$work/plan.txt" | head -n1)"

step "9. Change the alias: an in-place update that keeps the webhook URL"
"$TF" plan -no-color -input=false -var 'alias=Release bot' -out "$work/update.tfplan" >"$work/plan.txt" 2>&1
grep -E 'update in-place|~ alias|Plan:' "$work/plan.txt" | sed 's/^/    /'
grep -q '1 to change, 0 to destroy' "$work/plan.txt" || fail "the plan is not a single in-place update"
"$TF" apply -no-color -input=false "$work/update.tfplan" 2>&1 | grep -E 'Modifications complete|Apply complete' | sed 's/^/    /'
[[ "$("$TF" output -raw webhook_url)" == "$webhook_url" ]] || fail "the webhook URL changed"
ok "same webhook URL after the update"
curl -fsS -X POST -H 'Content-Type: application/json' -d '{"text":"second message"}' "$webhook_url" >/dev/null
curl -fsS -H "X-User-Id: $ROCKETCHAT_USER_ID" -H "X-Auth-Token: $ROCKETCHAT_AUTH_TOKEN" \
  "$ROCKETCHAT_URL/api/v1/channels.messages?roomName=general" | grep -q '"alias":"Release bot"' \
  || fail "the updated alias did not reach the posted message"
ok "messages now arrive as \"Release bot\""

step "10. A room that does not exist is refused by the plan, before anything changes"
set +e
"$TF" plan -no-color -input=false -var 'alias=Release bot' -var 'channels=["#general", "#deploys"]' >"$work/plan.txt" 2>&1
code=$?
set -e
[[ $code -ne 0 ]] || fail "the plan accepted a room that does not exist"
grep -q 'No room #deploys' "$work/plan.txt" || { mask <"$work/plan.txt"; fail "the plan failed for another reason"; }
sed -n '/^Error: /,$p' "$work/plan.txt" | grep -vE '^$|^  (with|on) ' | sed 's/^/    /'
count="$(curl -fsS -H "X-User-Id: $ROCKETCHAT_USER_ID" -H "X-Auth-Token: $ROCKETCHAT_AUTH_TOKEN" \
  "$ROCKETCHAT_URL/api/v1/integrations.list" | sed -E 's/.*"total":([0-9]+).*/\1/')"
[[ "$count" == "3" ]] || fail "Rocket.Chat holds $count integrations, want the 3 made before"
ok "the plan names the entry; Rocket.Chat still holds just the 3 integrations"

step "11. A script with a syntax error is refused by the plan, with its line and column"
cp scripts/alertmanager.js "$work/alertmanager.js.orig"
sed 's/const firing = /const = /' "$work/alertmanager.js.orig" >scripts/alertmanager.js
set +e
"$TF" plan -no-color -input=false -var 'alias=Release bot' >"$work/plan.txt" 2>&1
code=$?
set -e
cp "$work/alertmanager.js.orig" scripts/alertmanager.js
[[ $code -ne 0 ]] || fail "the plan accepted a script that does not compile"
grep -q 'The script does not compile' "$work/plan.txt" || { mask <"$work/plan.txt"; fail "the plan failed for another reason"; }
sed -n '/^Error: /,/^ *|/p' "$work/plan.txt" | grep -vE '^$|^  (with|on) |^ *[0-9]+: ' | sed 's/^/    /'
ok "nothing was sent to Rocket.Chat; the script is restored"

step "12. $tf_name destroy"
"$TF" destroy -auto-approve -no-color -input=false -var 'alias=Release bot' 2>&1 | grep -E 'Destruction complete|Destroy complete' | sed 's/^/    /'
remaining="$(curl -fsS -H "X-User-Id: $ROCKETCHAT_USER_ID" -H "X-Auth-Token: $ROCKETCHAT_AUTH_TOKEN" \
  "$ROCKETCHAT_URL/api/v1/integrations.list" | sed -E 's/.*"total":([0-9]+).*/\1/')"
[[ "$remaining" == "0" ]] || fail "$remaining integrations remain in Rocket.Chat"
ok "Rocket.Chat holds no integration any more"

step "13. Stop the servers and clean up"
kill -TERM "$server_pid"
wait "$server_pid" || fail "the test server did not stop cleanly"
server_pid=""
kill -TERM "$receiver_pid"
wait "$receiver_pid" || fail "the receiver did not stop cleanly"
receiver_pid=""
ok "servers stopped; the temporary directory goes with the exit"

printf '\n'
bold "Demo complete."
