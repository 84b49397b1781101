package ort

import (
	"context"
	"testing"
)

func TestPlaceNodesOnWebGPU(t *testing.T) {
	requireSoftwareVulkan(t)
	probe := Probe{Path: model(t), Input: "inputImage", Outputs: []string{"outputImage"}, Shape: []int64{1, 3, 48, 48}, Threads: 2}
	cpu, err := PlaceNodes(context.Background(), probe, CPU)
	if err != nil {
		t.Fatal(err)
	}
	if cpu.OnIt == 0 || len(cpu.OnCPU) != 0 {
		t.Errorf("on the CPU: %+v", cpu)
	}
	web, err := PlaceNodes(context.Background(), probe, WebGPU)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(web)
	if web.OnIt == 0 {
		t.Errorf("no operator ran on WebGPU: %s", web)
	}
}
