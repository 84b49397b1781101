package ort

import "fmt"

// Adapter is a graphics adapter as its driver describes it. ORT does not
// say which adapter its WebGPU provider picked, so the app asks Vulkan
// (Linux); it identifies the machine's GPUs for the measured choice and says
// when the only one is a software rasteriser such as lavapipe.
type Adapter struct {
	Name     string // e.g. "NVIDIA GeForce RTX 4070" or "llvmpipe (LLVM 19.1.7, 256 bits)"
	Vendor   string // PCI vendor name when known, else its id in hex
	Type     string // discrete, integrated, virtual, software or other
	Driver   string // driver version as the driver encodes it
	Backend  string // the API it was found through: "Vulkan"
	Software bool   // a CPU emulating a GPU
}

func (a Adapter) String() string {
	return fmt.Sprintf("%s (%s, %s %s)", a.Name, a.Type, a.Backend, a.Driver)
}

// pciVendors names the vendor ids seen on desktop GPUs.
var pciVendors = map[uint32]string{
	0x10de: "NVIDIA", 0x1002: "AMD", 0x8086: "Intel", 0x13b5: "ARM", 0x5143: "Qualcomm",
	0x106b: "Apple", 0x10005: "Mesa",
}

func vendorName(id uint32) string {
	if n, ok := pciVendors[id]; ok {
		return n
	}
	return fmt.Sprintf("0x%04x", id)
}

// deviceTypes follows VkPhysicalDeviceType.
var deviceTypes = []string{"other", "integrated", "discrete", "virtual", "software"}

func deviceType(t int) string {
	if t >= 0 && t < len(deviceTypes) {
		return deviceTypes[t]
	}
	return "other"
}

// OnlySoftware reports whether every adapter found is a software one (and at
// least one was found).
func OnlySoftware(adapters []Adapter) bool {
	for _, a := range adapters {
		if !a.Software {
			return false
		}
	}
	return len(adapters) > 0
}
