package dbusdial

import (
	"context"
	"errors"
	"net"
	"path/filepath"
	"testing"
	"time"
)

// TestDialGivesUpWhenTheContextEnds: a bus that accepts and never answers
// the handshake does not hold the caller past its context.
func TestDialGivesUpWhenTheContextEnds(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "bus")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close() // silent: the handshake never completes
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := Dial(ctx, "unix:path="+sock); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Dial to a silent bus: %v, want the context's deadline", err)
	}
}
