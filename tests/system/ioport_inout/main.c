/*
 * IOPort In/Out (abi §5.10): 8, 16 and 32-bit accesses with exact values, against two real
 * devices: QEMU's pc-testdev storage register (ports 0xe0..0xe3, a 32-bit word readable and
 * writable in any width) and the PCI configuration mechanism of the i440FX host bridge
 * (0xcf8 address, 0xcfc data: vendor 0x8086, device 0x1237). Then the refusals: the access
 * [port, port + width - 1] outside the cap's range, short messages, unknown labels.
 */
#include <stdio.h>
#include <sel4/sel4.h>
#include <sel4platsupport/bootinfo.h>
#include "../common/check.h"
#include "../common/cnode_helpers.h"

#define ROOT seL4_CapInitThreadCNode
#define TESTDEV 0xe0 /* 4 ports */
#define PCI_ADDR 0xcf8
#define PCI_DATA 0xcfc

static seL4_MessageInfo_t io_raw(seL4_CPtr cap, seL4_Word label, seL4_Word length, seL4_Word m0, seL4_Word m1)
{
    const seL4_Word mr[2] = { m0, m1 };
    return call_raw(cap, label, length, 0, NULL, mr);
}

int main(void)
{
    seL4_BootInfo *bi = platsupport_get_bootinfo();
    seL4_CPtr dev = bi->empty.start, pci = dev + 1, again = dev + 2;
    CHECK("setup: IOPort caps for [0xe0, 0xe3] and [0xcf8, 0xcff]",
          seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, TESTDEV, TESTDEV + 3, ROOT, dev, 64) == 0 &&
              seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, PCI_ADDR, PCI_ADDR + 7, ROOT, pci, 64) == 0);

    /* Widths and values. */
    CHECK("Out32(0xe0, 0x12345678)", seL4_X86_IOPort_Out32(dev, TESTDEV, 0x12345678) == seL4_NoError);
    seL4_X86_IOPort_In32_t w = seL4_X86_IOPort_In32(dev, TESTDEV);
    CHECK("In32(0xe0) = 0x12345678", w.error == 0 && w.result == 0x12345678);
    seL4_X86_IOPort_In16_t lo = seL4_X86_IOPort_In16(dev, TESTDEV), hi = seL4_X86_IOPort_In16(dev, TESTDEV + 2);
    CHECK("In16(0xe0) = 0x5678, In16(0xe2) = 0x1234", lo.error == 0 && lo.result == 0x5678 && hi.error == 0 &&
                                                          hi.result == 0x1234);
    seL4_X86_IOPort_In8_t b = seL4_X86_IOPort_In8(dev, TESTDEV + 3);
    CHECK("In8(0xe3) = 0x12 (the last port of the cap)", b.error == 0 && b.result == 0x12);
    CHECK("Out8(0xe1, 0x3ab): the data is cut to 8 bits", seL4_X86_IOPort_Out8(dev, TESTDEV + 1, 0x3ab) == 0 &&
                                                              seL4_X86_IOPort_In32(dev, TESTDEV).result == 0x1234ab78);
    CHECK("Out16(0xe2, 0xfffff00d): cut to 16 bits", seL4_X86_IOPort_Out16(dev, TESTDEV + 2, 0xfffff00dul) == 0 &&
                                                         seL4_X86_IOPort_In32(dev, TESTDEV).result == 0xf00dab78);
    CHECK("Out32 of a 64-bit word: cut to 32 bits", seL4_X86_IOPort_Out32(dev, TESTDEV, 0xdeadbeef0badf00dul) == 0 &&
                                                        seL4_X86_IOPort_In32(dev, TESTDEV).result == 0x0badf00d);
    CHECK("In8 reply: label 0, one MR, the byte zero-extended",
          reply_is(io_raw(dev, X86IOPortIn8, 1, TESTDEV + 3, 0), seL4_NoError, 1, 0x0b));
    CHECK("In16 reply: one MR with the 16-bit value", reply_is(io_raw(dev, X86IOPortIn16, 1, TESTDEV, 0), seL4_NoError, 1, 0xf00d));
    CHECK("the port is taken mod 2^16: In8(0x100e0) reads port 0xe0",
          reply_is(io_raw(dev, X86IOPortIn8, 1, 0x100e0, 0), seL4_NoError, 1, 0x0d));
    CHECK("Out replies have no MRs", reply_is(io_raw(dev, X86IOPortOut8, 2, TESTDEV, 0x42), seL4_NoError, 0));

    /* A real register file: PCI configuration space of device 0:0.0. */
    CHECK("Out32(0xcf8, bus 0 device 0 function 0 register 0)", seL4_X86_IOPort_Out32(pci, PCI_ADDR, 0x80000000u) == 0);
    CHECK("In32(0xcf8) reads the address back", seL4_X86_IOPort_In32(pci, PCI_ADDR).result == 0x80000000u);
    CHECK("In32(0xcfc) = 0x12378086 (i440FX vendor and device)", seL4_X86_IOPort_In32(pci, PCI_DATA).result == 0x12378086);
    CHECK("In16(0xcfc) = 0x8086, In16(0xcfe) = 0x1237", seL4_X86_IOPort_In16(pci, PCI_DATA).result == 0x8086 &&
                                                            seL4_X86_IOPort_In16(pci, PCI_DATA + 2).result == 0x1237);
    CHECK("In8(0xcfd) = 0x80", seL4_X86_IOPort_In8(pci, PCI_DATA + 1).result == 0x80);

    /* The access must lie inside the cap's range. */
    CHECK("In8 below the range: IllegalOperation", seL4_X86_IOPort_In8(dev, TESTDEV - 1).error == seL4_IllegalOperation);
    CHECK("In8 above the range: IllegalOperation", seL4_X86_IOPort_In8(dev, TESTDEV + 4).error == seL4_IllegalOperation);
    CHECK("In16 at the last port (one byte past the end): IllegalOperation",
          seL4_X86_IOPort_In16(dev, TESTDEV + 3).error == seL4_IllegalOperation);
    CHECK("In32 at 0xe1 (one byte past the end): IllegalOperation",
          seL4_X86_IOPort_In32(dev, TESTDEV + 1).error == seL4_IllegalOperation);
    CHECK("Out32 at 0xe2: IllegalOperation", seL4_X86_IOPort_Out32(dev, TESTDEV + 2, 0) == seL4_IllegalOperation);
    CHECK("Out16 at 0xe3: IllegalOperation", seL4_X86_IOPort_Out16(dev, TESTDEV + 3, 0) == seL4_IllegalOperation);
    CHECK("Out8 below the range: IllegalOperation, no MRs",
          reply_is(io_raw(dev, X86IOPortOut8, 2, TESTDEV - 1, 0), seL4_IllegalOperation, 0));
    CHECK("In32 at 0xffff through the mod-2^16 port: IllegalOperation",
          reply_is(io_raw(dev, X86IOPortIn32, 1, 0x1ffff, 0), seL4_IllegalOperation, 0));
    CHECK("the refused writes changed nothing", seL4_X86_IOPort_In32(dev, TESTDEV).result == 0x0badf042);

    /* Messages. */
    CHECK("In8 with no MR: TruncatedMessage", reply_is(io_raw(dev, X86IOPortIn8, 0, TESTDEV, 0), seL4_TruncatedMessage, 0));
    CHECK("Out32 with one MR: TruncatedMessage",
          reply_is(io_raw(dev, X86IOPortOut32, 1, TESTDEV, 0), seL4_TruncatedMessage, 0));
    CHECK("an IOPortControl label on an IOPort cap: IllegalOperation",
          reply_is(io_raw(dev, X86IOPortControlIssue, 2, TESTDEV, 0), seL4_IllegalOperation, 0));
    CHECK("a label past Out32: IllegalOperation", reply_is(io_raw(dev, X86IOPortOut32 + 1, 2, TESTDEV, 0),
                                                           seL4_IllegalOperation, 0));

    /* A range is free again once its last cap is deleted. */
    CHECK("Delete of the testdev cap, then Issue of [0xe0, 0xe3] again",
          seL4_CNode_Delete(ROOT, dev, 64) == 0 &&
              seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, TESTDEV, TESTDEV + 3, ROOT, again, 64) == 0);
    CHECK("...and the new cap reads the device", seL4_X86_IOPort_In32(again, TESTDEV).result == 0x0badf042);
    return 0;
}
