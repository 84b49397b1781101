//go:build linux && cgo

package ort

/*
#cgo LDFLAGS: -ldl
#include <dlfcn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// The few Vulkan declarations needed to list adapters, so that building
// needs no Vulkan headers; the loader itself is opened at run time and may
// be absent. Layouts follow vulkan_core.h.
typedef struct {
	int32_t sType; const void* pNext; uint32_t flags; const void* pApplicationInfo;
	uint32_t enabledLayerCount; const char* const* ppEnabledLayerNames;
	uint32_t enabledExtensionCount; const char* const* ppEnabledExtensionNames;
} vkInstanceCreateInfo;
typedef int32_t (*vkCreateInstanceFn)(const vkInstanceCreateInfo*, const void*, void**);
typedef void (*vkDestroyInstanceFn)(void*, const void*);
typedef int32_t (*vkEnumeratePhysicalDevicesFn)(void*, uint32_t*, void**);
typedef void (*vkGetPhysicalDevicePropertiesFn)(void*, void*);

typedef struct {
	uint32_t apiVersion, driverVersion, vendorID, deviceID;
	int32_t deviceType;
	char deviceName[256];
} adapterInfo;

// listAdapters fills up to max entries and returns how many adapters there
// are, or a negative number when Vulkan is unusable.
static int listAdapters(adapterInfo* out, int max) {
	void* lib = dlopen("libvulkan.so.1", RTLD_NOW | RTLD_LOCAL);
	if (!lib) return -1;
	vkCreateInstanceFn create = (vkCreateInstanceFn)dlsym(lib, "vkCreateInstance");
	vkDestroyInstanceFn destroy = (vkDestroyInstanceFn)dlsym(lib, "vkDestroyInstance");
	vkEnumeratePhysicalDevicesFn enumerate = (vkEnumeratePhysicalDevicesFn)dlsym(lib, "vkEnumeratePhysicalDevices");
	vkGetPhysicalDevicePropertiesFn props = (vkGetPhysicalDevicePropertiesFn)dlsym(lib, "vkGetPhysicalDeviceProperties");
	if (!create || !destroy || !enumerate || !props) { dlclose(lib); return -2; }
	vkInstanceCreateInfo info;
	memset(&info, 0, sizeof info);
	info.sType = 1; // VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO
	void* instance = NULL;
	if (create(&info, NULL, &instance) != 0) { dlclose(lib); return -3; }
	void* devices[16];
	uint32_t n = 16;
	int32_t r = enumerate(instance, &n, devices);
	if (r != 0 && r != 5) { destroy(instance, NULL); dlclose(lib); return -4; } // 5 = VK_INCOMPLETE
	// VkPhysicalDeviceProperties is 824 bytes; leave room to spare.
	uint64_t buf[256];
	for (uint32_t i = 0; i < n && (int)i < max; i++) {
		memset(buf, 0, sizeof buf);
		props(devices[i], buf);
		memcpy(&out[i], buf, sizeof(adapterInfo));
		out[i].deviceName[255] = 0;
	}
	destroy(instance, NULL);
	dlclose(lib);
	return (int)n;
}
*/
import "C"

import (
	"fmt"
	"sync"
	"unsafe"
)

var adapters struct {
	once sync.Once
	list []Adapter
	err  error
}

// Adapters lists the machine's graphics adapters through Vulkan, once per
// process; an error says why none could be listed (no Vulkan loader, no
// driver).
func Adapters() ([]Adapter, error) {
	adapters.once.Do(func() { adapters.list, adapters.err = listVulkan() })
	return adapters.list, adapters.err
}

func listVulkan() ([]Adapter, error) {
	const max = 16
	buf := (*[max]C.adapterInfo)(C.malloc(C.size_t(unsafe.Sizeof(C.adapterInfo{})) * max))
	defer C.free(unsafe.Pointer(buf))
	n := int(C.listAdapters(&buf[0], max))
	switch {
	case n == -1:
		return nil, fmt.Errorf("no Vulkan loader (libvulkan.so.1) is installed")
	case n < 0:
		return nil, fmt.Errorf("Vulkan is installed but has no usable driver (code %d)", n)
	}
	var out []Adapter
	for i := 0; i < min(n, max); i++ {
		a := buf[i]
		dv := uint32(a.driverVersion)
		out = append(out, Adapter{
			Name:     C.GoString(&a.deviceName[0]),
			Vendor:   vendorName(uint32(a.vendorID)),
			Type:     deviceType(int(a.deviceType)),
			Driver:   fmt.Sprintf("%d.%d.%d", dv>>22, (dv>>12)&0x3ff, dv&0xfff),
			Backend:  "Vulkan",
			Software: a.deviceType == 4, // VK_PHYSICAL_DEVICE_TYPE_CPU
		})
	}
	return out, nil
}
