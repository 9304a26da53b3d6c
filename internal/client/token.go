package client

import (
	"crypto/rand"
	"math/big"
)

// unmistakableChars is Meteor's Random alphabet, which Rocket.Chat uses for
// tokens: no characters that are easy to confuse (0/O, 1/l/I).
const unmistakableChars = "23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz"

// outgoingTokenLength is what Rocket.Chat's UI generates (Random.id(24)).
const outgoingTokenLength = 24

// NewOutgoingToken returns a random token for an outgoing integration, as
// Rocket.Chat's UI makes one: 24 characters of Meteor's unmistakable
// alphabet. Every update of an outgoing integration must send its token, so a
// caller that has none generates one at create and keeps it.
func NewOutgoingToken() (string, error) {
	b := make([]byte, outgoingTokenLength)
	n := big.NewInt(int64(len(unmistakableChars)))
	for i := range b {
		k, err := rand.Int(rand.Reader, n)
		if err != nil {
			return "", err
		}
		b[i] = unmistakableChars[k.Int64()]
	}
	return string(b), nil
}
