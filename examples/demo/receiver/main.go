// Command receiver is the demo's stand-in for the service an outgoing
// integration calls: it listens on a loopback port, prints the URL to call
// and then one line per call it receives, and answers each call with a reply
// for Rocket.Chat to post in the room. A call is genuine when it carries the
// token in RECEIVER_TOKEN; the line says whether it did, never the token. It
// stops on SIGINT or SIGTERM.
package main

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// payload holds the fields of Rocket.Chat's outgoing payload the demo shows.
type payload struct {
	Token       string `json:"token"`
	ChannelName string `json:"channel_name"`
	UserName    string `json:"user_name"`
	Text        string `json:"text"`
	TriggerWord string `json:"trigger_word"`
}

func main() {
	want := os.Getenv("RECEIVER_TOKEN")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p payload
		if err := json.NewDecoder(r.Body).Decode(&p); err != nil {
			http.Error(w, "not JSON", http.StatusBadRequest)
			return
		}
		// The token proves the call comes from the integration. It is a
		// secret, so only whether it matches is shown.
		verdict := "matches"
		if subtle.ConstantTimeCompare([]byte(p.Token), []byte(want)) != 1 || want == "" {
			verdict = "WRONG"
		}
		fmt.Printf("received token=%s channel=%s user=%s trigger=%s text=%q\n",
			verdict, p.ChannelName, p.UserName, p.TriggerWord, p.Text)
		version := strings.TrimSpace(strings.TrimPrefix(p.Text, p.TriggerWord))
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"text": fmt.Sprintf("Deploying %s, as @%s asked.", version, p.UserName),
		})
	})}
	fmt.Printf("listening http://%s/deploy\n", ln.Addr())
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	if err := srv.Serve(ln); err != nil && err != http.ErrServerClosed {
		log.Fatal(err)
	}
}
