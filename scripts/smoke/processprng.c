/* bcryptprimitives.dll for wine 8, which lacks ProcessPrng: the Go >= 1.24
   runtime asks for it at start. It fills the buffer from RtlGenRandom
   (SystemFunction036 in advapi32), as Windows' own ProcessPrng never fails.
   Built and installed into the wine prefix by check_windows.sh only. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
