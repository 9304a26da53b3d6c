package rocketchattest

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"sync/atomic"
	"time"
)

// Alphabets of Meteor's Random package, which Rocket.Chat uses for ids and tokens.
const (
	unmistakableChars = "23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz"
	base64Chars       = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"
)

// randomString returns n characters drawn uniformly from alphabet.
func randomString(alphabet string, n int) string {
	out := make([]byte, n)
	buf := make([]byte, 1)
	limit := 256 - 256%len(alphabet) // rejection sampling keeps the draw uniform
	for i := 0; i < n; {
		if _, err := rand.Read(buf); err != nil {
			panic("rocketchattest: no randomness: " + err.Error())
		}
		if int(buf[0]) >= limit {
			continue
		}
		out[i] = alphabet[int(buf[0])%len(alphabet)]
		i++
	}
	return string(out)
}

// meteorID is Random.id(): 17 unmistakable characters, the shape of user ids.
func meteorID() string { return randomString(unmistakableChars, 17) }

// incomingToken is Random.id(48), the token of an incoming integration.
func incomingToken() string { return randomString(unmistakableChars, 48) }

// loginToken is Random.secret(): 43 characters of Meteor's base64 alphabet.
func loginToken() string { return randomString(base64Chars, 43) }

// hashLoginToken is Accounts._hashLoginToken: base64(sha256(token)). The
// server keeps only hashes, as Rocket.Chat does.
func hashLoginToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return base64.StdEncoding.EncodeToString(sum[:])
}

var (
	objectIDCounter atomic.Uint32
	// objectIDProcess is the random value a MongoDB driver draws once per
	// process, so that the _ids one process makes sort in the order it made
	// them.
	objectIDProcess [5]byte
)

func init() {
	var b [4]byte
	_, _ = rand.Read(b[:])
	objectIDCounter.Store(binary.BigEndian.Uint32(b[:]))
	_, _ = rand.Read(objectIDProcess[:])
}

// objectID is new ObjectId().toHexString(): 24 lowercase hex characters made
// of a 4-byte timestamp, 5 bytes random per process and a 3-byte counter. New
// integration documents get such an _id.
func objectID(now time.Time) string {
	var b [12]byte
	binary.BigEndian.PutUint32(b[0:4], uint32(now.Unix()))
	copy(b[4:9], objectIDProcess[:])
	c := objectIDCounter.Add(1)
	b[9], b[10], b[11] = byte(c>>16), byte(c>>8), byte(c)
	return hex.EncodeToString(b[:])
}

// isoDate formats a time the way Rocket.Chat serialises dates in JSON.
func isoDate(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
