// Package rocketchattest is an in-memory Rocket.Chat server for tests, in the
// spirit of net/http/httptest.
//
// It implements the parts of Rocket.Chat's REST API that manage integrations
// (incoming and outgoing webhooks) — login, me, /api/info,
// integrations.create/get/list/update/remove/history, chat.postMessage and the
// /hooks receiver —
// with Rocket.Chat's checks in Rocket.Chat's order, the same HTTP statuses, the
// same JSON bodies and error strings, and stored documents shaped like
// Rocket.Chat's. The behaviour follows Rocket.Chat 8.x (request schemas of
// @rocket.chat/rest-typings 8.8.1); where the real behaviour could not be
// confirmed, the code says so next to the choice it made.
//
// A test starts a server, takes the seeded credentials and points the code
// under test at URL():
//
//	srv := rocketchattest.NewServer()
//	defer srv.Close()
//	admin := srv.Admin()
//	// use srv.URL(), admin.UserID, admin.AuthToken ...
//
// A message saved by chat.postMessage, by an incoming webhook or by an
// integration's reply fires the enabled outgoing integrations it triggers,
// as Rocket.Chat does: in the background, each URL gets a history document
// and a JSON POST, whose answer may be posted back, with Rocket.Chat's
// retries. The server calls only loopback addresses unless WithOutgoingHosts
// or WithAnyOutgoingHost allows more; WithRetrySleep replaces the wait before
// a retry, WaitOutgoing waits until no call is under way, and Close stops them.
//
// Beyond the API, a test can inspect and steer the server: stored documents
// (Integration, Integrations), messages posted into rooms (Messages),
// permissions (SetPermission), per-endpoint request counters (Requests) and
// injected faults (Fail).
//
// A server can also stand where a company network puts Rocket.Chat: behind
// HTTPS with a throwaway certificate authority (WithTLS, CACertPEM), asking
// for client certificates (WithClientAuth, ClientCertificate), or behind an
// access gateway that wants headers of its own (WithRequiredHeader).
//
// Integration scripts are compiled as Rocket.Chat compiles them (esbuild
// decides their syntax) and run as it runs them (goja), with the results the
// webhook receiver gives (SPEC.md §S1–§S3). Besides those two, the package
// uses only the standard library.
package rocketchattest
