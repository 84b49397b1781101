// Package dbusdial connects to a D-Bus bus under a context: godbus's
// handshake takes none, and a wedged bus must hang neither start-up (the
// keyring) nor the file chooser (the portal).
package dbusdial

import (
	"context"

	"github.com/godbus/dbus/v5"
)

// Dial connects to the bus at addr in the background and gives up when ctx
// ends; a connection that arrives after that is closed.
func Dial(ctx context.Context, addr string) (*dbus.Conn, error) {
	type result struct {
		conn *dbus.Conn
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		c, err := dbus.Connect(addr)
		ch <- result{c, err}
	}()
	select {
	case r := <-ch:
		return r.conn, r.err
	case <-ctx.Done():
		go func() {
			if r := <-ch; r.conn != nil {
				r.conn.Close()
			}
		}()
		return nil, ctx.Err()
	}
}
