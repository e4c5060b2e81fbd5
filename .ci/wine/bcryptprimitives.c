/*
 * The one function of bcryptprimitives.dll that Rust's standard library calls on Windows, for
 * wine 8, which lacks it: `.ci/cross` builds this file into a DLL and puts it in the wine
 * prefix's system32, so that the course's Windows programs can start under wine. Windows itself
 * has the real one; nothing here is shipped to learners.
 *
 * ProcessPrng fills the buffer with random bytes and, as documented, always succeeds. The bytes
 * come from RtlGenRandom (exported by advapi32 as SystemFunction036), which wine 8 implements.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) {
            /* Windows' ProcessPrng cannot fail; a caller has no answer to a failure either. */
            ExitProcess(3);
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
