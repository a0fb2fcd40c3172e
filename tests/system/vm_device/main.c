/*
 * Device memory (abi §5.9, §9.1): a frame retyped from device untyped at a physical address
 * we choose (the VGA text buffer at 0xb8000, by carving the device untyped that starts at 0
 * into untypeds of falling sizes first), mapped uncached as MMIO wants; GetAddress gives that
 * address; what we write stays in the device (device frames are never zeroed: a new frame
 * over the same memory still shows it); a device frame cannot be an IPC buffer; the kernel's
 * own device pages (local APIC, IOAPIC) are in no device untyped.
 */
#include <stdio.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/thread.h"
#include "../common/vspace.h"

#define CN seL4_CapInitThreadCNode
#define VGA 0xb8000ul
#define WIN 0x20000000000ul

static seL4_CPtr slot(void)
{
    seL4_CPtr s = 0;
    cairn_alloc_slot(&test_alloc, &s);
    return s;
}

/* The device untyped that starts at physical 0. */
static seL4_CPtr low_device_untyped(void)
{
    const seL4_BootInfo *bi = cairn_bootinfo();
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++)
        if (bi->untypedList[i].isDevice && bi->untypedList[i].paddr == 0 && bi->untypedList[i].sizeBits >= 20)
            return bi->untyped.start + i;
    return 0;
}

/* A device frame at 0xb8000: untypeds of 2^19, 2^17, 2^16, 2^15 fill [0, 0xb8000) first. */
static seL4_CPtr vga_frame(seL4_CPtr ut)
{
    static const seL4_Word fill[] = { 19, 17, 16, 15 };
    seL4_Error e = 0;
    for (unsigned i = 0; i < 4 && !e; i++)
        e = seL4_Untyped_Retype(ut, seL4_UntypedObject, fill[i], CN, 0, 0, slot(), 1);
    seL4_CPtr f = slot();
    e = e ? e : seL4_Untyped_Retype(ut, seL4_X86_4K, 0, CN, 0, 0, f, 1);
    return e ? 0 : f;
}

static bool covers(const seL4_UntypedDesc *d, seL4_Word p) { return p >= d->paddr && p - d->paddr < (1ul << d->sizeBits); }

int main(void)
{
    test_init();
    seL4_CPtr ut = low_device_untyped();
    CHECK("a device untyped starts at physical 0", ut != 0);
    seL4_CPtr f = vga_frame(ut);
    seL4_X86_Page_GetAddress_t a = seL4_X86_Page_GetAddress(f);
    CHECK("a device frame is made at 0xb8000 (GetAddress)", f && a.error == 0 && a.paddr == VGA);
    CHECK("it maps uncached (seL4_X86_Uncacheable)",
          test_map_frame(seL4_CapInitThreadVSpace, f, WIN, seL4_ReadWrite, seL4_X86_Uncacheable) == 0);
    volatile uint16_t *text = (volatile uint16_t *)WIN;
    text[0] = 0x0743; /* 'C', grey on black */
    text[1] = 0x0761;
    text[79] = 0x1f21;
    CHECK("the device memory keeps what we write", text[0] == 0x0743 && text[1] == 0x0761 && text[79] == 0x1f21);
    seL4_CPtr tcb = test_alloc_obj(seL4_TCBObject, 0);
    CHECK("a device frame as IPC buffer: IllegalOperation",
          seL4_TCB_SetIPCBuffer(tcb, WIN, f) == seL4_IllegalOperation);
    CHECK("deleting the frame unmaps it; revoking the untyped frees the range",
          seL4_CNode_Delete(CN, f, 64) == 0 && seL4_CNode_Revoke(CN, ut, 64) == 0);
    seL4_CPtr g = vga_frame(ut);
    CHECK("a new device frame at 0xb8000, mapped write-combining, still shows our words (never zeroed)",
          g && test_map_frame(seL4_CapInitThreadVSpace, g, WIN + 0x1000, seL4_ReadWrite, seL4_X86_WriteCombining) == 0 &&
              ((volatile uint16_t *)(WIN + 0x1000))[0] == 0x0743 &&
              ((volatile uint16_t *)(WIN + 0x1000))[79] == 0x1f21);

    const seL4_BootInfo *bi = cairn_bootinfo();
    bool lapic = false, ioapic = false;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        lapic = lapic || covers(d, 0xfee00000ul);
        ioapic = ioapic || covers(d, 0xfec00000ul);
    }
    CHECK("no untyped covers the local APIC page (0xfee00000) or the IOAPIC page (0xfec00000)", !lapic && !ioapic);
    return 0;
}
