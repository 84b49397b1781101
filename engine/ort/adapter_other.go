//go:build !linux || !cgo

package ort

import "errors"

// Adapters is only implemented through Vulkan on Linux; elsewhere the
// measurement alone decides and the adapter is not named.
func Adapters() ([]Adapter, error) {
	return nil, errors.New("graphics adapters are listed only on Linux")
}
