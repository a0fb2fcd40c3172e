/* The root task's start state and BootInfo (abi §7): layout, initial caps, extra BootInfo. */
#include <stdio.h>
#include <string.h>
#include <sel4/sel4.h>
#include <sel4platsupport/bootinfo.h>
#include "../common/check.h"

static __thread int tls_initialised = 42;
static __thread int tls_zeroed;
extern char __ehdr_start[], _end[];

int main(void)
{
    seL4_BootInfo *bi = platsupport_get_bootinfo();

    CHECK("nodeID is 0", bi->nodeID == 0);
    CHECK("numNodes is 1", bi->numNodes == 1);
    CHECK("numIOPTLevels is -1 without an IOMMU", bi->numIOPTLevels == (seL4_Word)-1);
    CHECK("initThreadCNodeSizeBits is the configured size",
          bi->initThreadCNodeSizeBits == CONFIG_ROOT_CNODE_SIZE_BITS);
    CHECK("initThreadDomain is 0", bi->initThreadDomain == 0);

    /* IPC buffer right after the image, BootInfo after it, extra BootInfo after that. */
    seL4_Word image_end = ((seL4_Word)_end + 4095) & ~4095ul;
    CHECK("IPC buffer is the page after the image", (seL4_Word)bi->ipcBuffer == image_end);
    CHECK("BootInfo is the page after the IPC buffer", (seL4_Word)bi == image_end + 4096);
    CHECK("the runtime's IPC buffer pointer is BootInfo's", seL4_GetIPCBuffer() == bi->ipcBuffer);

    /* TLS was set up through seL4_SetTLSBase. */
    CHECK("TLS variable keeps its initial value", tls_initialised == 42);
    CHECK("TLS bss variable is zero", tls_zeroed == 0);
    tls_zeroed = 7;
    CHECK("TLS variable is writable", tls_zeroed == 7);

    /* Slot regions, in seL4's order: schedcontrol, paging, extra BI, image frames, untyped, empty. */
    CHECK("schedcontrol is slot 16", bi->schedcontrol.start == seL4_NumInitialCaps &&
                                          bi->schedcontrol.end == seL4_NumInitialCaps + 1);
    CHECK("userImagePaging follows schedcontrol", bi->userImagePaging.start == bi->schedcontrol.end);
    CHECK("userImagePaging has at least PDPT, PD and PT",
          bi->userImagePaging.end - bi->userImagePaging.start >= 3);
    CHECK("extraBIPages follows userImagePaging", bi->extraBIPages.start == bi->userImagePaging.end &&
                                                       bi->extraBIPages.end == bi->extraBIPages.start + 1);
    seL4_Word image_pages = (image_end - ((seL4_Word)__ehdr_start & ~4095ul)) / 4096;
    CHECK("userImageFrames has one frame per image page",
          bi->userImageFrames.start == bi->extraBIPages.end &&
              bi->userImageFrames.end - bi->userImageFrames.start == image_pages);
    CHECK("untyped follows userImageFrames", bi->untyped.start == bi->userImageFrames.end);
    CHECK("empty follows untyped", bi->empty.start == bi->untyped.end);
    CHECK("empty ends at the CNode's end", bi->empty.end == (1ul << bi->initThreadCNodeSizeBits));
    CHECK("sharedFrames and ioSpaceCaps are empty", bi->sharedFrames.start == bi->sharedFrames.end &&
                                                        bi->ioSpaceCaps.start == bi->ioSpaceCaps.end);

    /* Initial caps by type (DebugCapIdentify tags, abi §13.1). */
    static const struct { seL4_CPtr slot; unsigned type; const char *what; } caps[] = {
        { seL4_CapNull, 0, "null" }, { seL4_CapInitThreadTCB, 12, "TCB" },
        { seL4_CapInitThreadCNode, 10, "CNode" }, { seL4_CapInitThreadVSpace, 9, "PML4" },
        { seL4_CapIRQControl, 14, "IRQControl" }, { seL4_CapASIDControl, 11, "ASIDControl" },
        { seL4_CapInitThreadASIDPool, 13, "ASID pool" }, { seL4_CapIOPortControl, 31, "IOPortControl" },
        { seL4_CapIOSpace, 0, "no IOSpace" }, { seL4_CapBootInfoFrame, 1, "BootInfo frame" },
        { seL4_CapInitThreadIPCBuffer, 1, "IPC buffer frame" }, { seL4_CapDomain, 20, "Domain" },
        { seL4_CapSMMUSIDControl, 0, "no SMMU" }, { seL4_CapSMMUCBControl, 0, "no SMMU CB" },
        { seL4_CapInitThreadSC, 22, "SchedContext" }, { seL4_CapSMC, 0, "no SMC" },
    };
    for (unsigned i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
        char name[64];
        snprintf(name, sizeof(name), "slot %lu holds %s", (unsigned long)caps[i].slot, caps[i].what);
        CHECK(name, seL4_DebugCapIdentify(caps[i].slot) == caps[i].type);
    }
    CHECK("schedcontrol slot holds SchedControl", seL4_DebugCapIdentify(bi->schedcontrol.start) == 24);
    CHECK("paging slots hold PDPT, PD, PT", seL4_DebugCapIdentify(bi->userImagePaging.start) == 7 &&
                                                 seL4_DebugCapIdentify(bi->userImagePaging.start + 1) == 5 &&
                                                 seL4_DebugCapIdentify(bi->userImagePaging.end - 1) == 3);
    CHECK("image frames are frame caps", seL4_DebugCapIdentify(bi->userImageFrames.start) == 1 &&
                                             seL4_DebugCapIdentify(bi->userImageFrames.end - 1) == 1);
    CHECK("first empty slot is empty", seL4_DebugCapIdentify(bi->empty.start) == 0);
    CHECK("last empty slot is empty", seL4_DebugCapIdentify(bi->empty.end - 1) == 0);

    /* Extra BootInfo: RSDP, multiboot memory map, TSC frequency (abi §7.4). */
    unsigned char *extra = (unsigned char *)bi + 4096;
    seL4_BootInfoHeader *h0 = (seL4_BootInfoHeader *)extra;
    seL4_BootInfoHeader *h1 = (seL4_BootInfoHeader *)(extra + 52);
    seL4_BootInfoHeader *h2 = (seL4_BootInfoHeader *)(extra + 52 + 1220);
    CHECK("extraLen is 1292 (RSDP + MBMMAP + TSC)", bi->extraLen == 1292);
    CHECK("chunk 1 is the ACPI RSDP, 52 bytes", h0->id == SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP && h0->len == 52);
    CHECK("the RSDP copy starts with its signature", memcmp(extra + 16, "RSD PTR ", 8) == 0);
    CHECK("chunk 2 is the memory map, 1220 bytes", h1->id == SEL4_BOOTINFO_HEADER_X86_MBMMAP && h1->len == 1220);
    seL4_Uint32 mmap_len;
    memcpy(&mmap_len, extra + 52 + 16, 4);
    CHECK("the memory map has entries", mmap_len > 0 && mmap_len % 24 == 0);
    CHECK("chunk 3 is the TSC frequency, 20 bytes", h2->id == SEL4_BOOTINFO_HEADER_X86_TSC_FREQ && h2->len == 20);
    seL4_Uint32 mhz;
    memcpy(&mhz, extra + 52 + 1220 + 16, 4);
    CHECK("the TSC frequency is plausible", mhz >= 100 && mhz < 100000);
    CHECK("extraBIPages frame is mapped where BootInfo says", seL4_DebugCapIdentify(bi->extraBIPages.start) == 1);
    return 0;
}
