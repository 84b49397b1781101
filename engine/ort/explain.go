package ort

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// Best returns the adapter a GPU provider most likely runs on (Dawn and the
// vendors' providers prefer a discrete GPU, then an integrated one), and
// false when there is none.
func Best(adapters []Adapter) (Adapter, bool) {
	rank := map[string]int{"discrete": 4, "integrated": 3, "virtual": 2, "other": 1, "software": 0}
	best, ok := Adapter{}, false
	for _, a := range adapters {
		if !ok || rank[a.Type] > rank[best.Type] {
			best, ok = a, true
		}
	}
	return best, ok
}

// ratio compares t with the CPU: how many times slower (> 1) or faster
// (< 1) it is, and whether that is only a lower bound (t was given up on).
func ratio(cpu, t Timing) (r float64, atLeast bool) {
	switch {
	case t.Err == nil && t.Warm > 0 && cpu.Warm > 0:
		return float64(t.Warm) / float64(cpu.Warm), false
	case errors.Is(t.Err, ErrTooSlow) && t.First > 0 && cpu.First > 0:
		// Its warm run outlasted 3× the CPU's; its first run says more
		// when it was slower still.
		return math.Max(3, float64(t.First)/float64(cpu.First)), true
	case errors.Is(t.Err, ErrTooSlow) && t.Spent > 0 && cpu.Load+cpu.First > 0:
		// Given up on before its first run ended: it had had this many
		// times what the CPU took to load the model and run it once.
		return float64(t.Spent) / float64(cpu.Load+cpu.First), true
	}
	return 0, false
}

func times(r float64) string {
	if r >= 9.95 {
		return fmt.Sprintf("%.0f×", r)
	}
	return fmt.Sprintf("%.1f×", r)
}

// Explain says in one sentence what a measurement chose and why, e.g.
// "WebGPU on NVIDIA GeForce RTX 4070 (Vulkan): 14× faster than the
// processor" or "Processor: the only graphics adapter is a software one
// (llvmpipe …), more than 60× slower".
func (m Measurement) Explain(adapters []Adapter) string {
	on := func(p Provider) string {
		if a, ok := Best(adapters); ok {
			return fmt.Sprintf("%s on %s (%s)", p.Label(), a.Name, a.Backend)
		}
		return p.Label()
	}
	if m.Chosen != CPU {
		for _, t := range m.Others {
			if t.Provider == m.Chosen {
				r, _ := ratio(m.CPU, t)
				return fmt.Sprintf("%s: %s faster than the processor", on(m.Chosen), times(1/r))
			}
		}
	}
	// The CPU won: say about the GPU provider that came closest.
	var slower []string
	var loadErrs []string
	for _, t := range m.Others {
		if r, atLeast := ratio(m.CPU, t); r > 0 {
			s := times(r) + " slower"
			if atLeast {
				s = "more than " + s
			}
			slower = append(slower, fmt.Sprintf("%s %s", t.Provider.Label(), s))
			if OnlySoftware(adapters) {
				a, _ := Best(adapters)
				return fmt.Sprintf("Processor: the only graphics adapter is a software one (%s), %s", a.Name, s)
			}
		} else if t.Err != nil && !errors.Is(t.Err, ErrNotMeasured) {
			loadErrs = append(loadErrs, t.Provider.Label())
		}
	}
	if len(slower) > 0 {
		return fmt.Sprintf("Processor: faster than the graphics adapter here (%s)", strings.Join(slower, ", "))
	}
	if len(adapters) == 0 {
		return "Processor: no graphics adapter was found"
	}
	return fmt.Sprintf("Processor: no GPU provider could run the models (%s failed to load)", strings.Join(loadErrs, ", "))
}

// Summary lists each provider's timing for `doctor`.
func (m Measurement) Summary() []string {
	line := func(t Timing) string {
		if t.Err != nil {
			return fmt.Sprintf("%-8s %s", t.Provider.Label(), t.Err)
		}
		return fmt.Sprintf("%-8s load %v, first run %v, warm run %v", t.Provider.Label(),
			t.Load.Round(time.Millisecond/10), t.First.Round(time.Millisecond/10), t.Warm.Round(time.Millisecond/10))
	}
	out := []string{line(m.CPU)}
	for _, t := range m.Others {
		out = append(out, line(t))
	}
	return out
}
