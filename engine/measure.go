package engine

import (
	"context"
	"fmt"
	"strings"
	"time"

	"studioheadshot/engine/ort"
	"studioheadshot/models"
)

// ProbeSide is the side of the fixed picture a device measurement times:
// small enough that the CPU takes milliseconds, large enough that a GPU's
// advantage shows.
const ProbeSide = 64

// MeasureBudget bounds a whole measurement, the CPU's probe runs included,
// so that `auto`'s first use costs at most 1.5 s more than the CPU path
// (README, Devices); the rest is slack for a loaded machine.
const MeasureBudget = 1300 * time.Millisecond

// probeModel is the mosaic style net (the catalog's first NCHW style net
// with "mosaic" in its id), else the first style's model.
func (e *Engine) probeModel() (models.Model, error) {
	var first models.Model
	for _, st := range e.cat.Styles {
		m, ok := e.cat.Model(st.Model)
		if !ok || m.Scale > 1 || m.Input.Layout != models.NCHW {
			continue
		}
		if strings.Contains(m.ID, "mosaic") {
			return m, nil
		}
		if first.ID == "" {
			first = m
		}
	}
	if first.ID == "" {
		return first, fmt.Errorf("no style net to measure devices with")
	}
	return first, nil
}

// probe is the fixed job of MeasureDevices and PlaceNodes.
func (e *Engine) probe() (ort.Probe, error) {
	m, err := e.probeModel()
	if err != nil {
		return ort.Probe{}, err
	}
	path, err := e.modelPath(m)
	if err != nil {
		return ort.Probe{}, err
	}
	outputs := make([]string, len(m.Outputs))
	for i, o := range m.Outputs {
		outputs[i] = o.Name
	}
	return ort.Probe{
		Path: path, Input: m.Input.Name, Outputs: outputs,
		Shape: []int64{1, 3, ProbeSide, ProbeSide}, Threads: e.cfg.Threads,
	}, nil
}

// PlaceNodes says which of the probe model's operators provider p runs and
// which fall back to the CPU (one profiled run; see ort.PlaceNodes).
func (e *Engine) PlaceNodes(ctx context.Context, p ort.Provider) (ort.Placement, error) {
	probe, err := e.probe()
	if err != nil {
		return ort.Placement{}, err
	}
	return ort.PlaceNodes(ctx, probe, p)
}

// MeasureDevices times one warm run of the mosaic net at ProbeSide² on the
// CPU and on each GPU provider (bounded by budget; see
// ort.MeasureProviders) and says which is fastest.
func (e *Engine) MeasureDevices(ctx context.Context, budget time.Duration) (ort.Measurement, error) {
	probe, err := e.probe()
	if err != nil {
		return ort.Measurement{}, err
	}
	return ort.MeasureProviders(ctx, probe, ort.GPUProviders, budget)
}
