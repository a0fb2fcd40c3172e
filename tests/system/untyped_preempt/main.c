/* A Retype whose reset (zeroing a large boot untyped) is preempted again and again: the
 * kernel runs with test_preempt_every=3 (see qemu_args), so the syscall restarts after
 * every third 256-byte chunk and must continue where it stopped. Then the same after a
 * Revoke (which is preempted too). */
#include <stdio.h>
#include <sel4/sel4.h>
#include <sel4platsupport/bootinfo.h>
#include "../common/check.h"

/* The biggest RAM untyped of at most 2^max_bits bytes, or 0. */
static seL4_CPtr biggest_untyped(seL4_BootInfo *bi, unsigned max_bits, unsigned *bits)
{
    seL4_CPtr best = 0;
    *bits = 0;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        seL4_UntypedDesc *d = &bi->untypedList[i];
        if (!d->isDevice && d->sizeBits <= max_bits && d->sizeBits > *bits) {
            best = bi->untyped.start + i;
            *bits = d->sizeBits;
        }
    }
    return best;
}

int main(void)
{
    seL4_BootInfo *bi = platsupport_get_bootinfo();
    seL4_CPtr slot = bi->empty.start;
    unsigned bits;
    seL4_CPtr ut = biggest_untyped(bi, 27, &bits);
    CHECK("a RAM untyped of 2^20 bytes or more", ut && bits >= 20);
    printf("retyping from a 2^%u-byte untyped: %lu chunks to zero, restarting every 3\n", bits,
           1ul << (bits - 8));

    seL4_Error err = seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, seL4_CapInitThreadCNode, 0, 0, slot, 1);
    CHECK("the preempted Retype completes", err == seL4_NoError);
    CHECK("it made one endpoint", seL4_DebugCapIdentify(slot) == 4 && seL4_DebugCapIdentify(slot + 1) == 0);
    /* The endpoint is at offset 0: all but 16 bytes are left. */
    err = seL4_Untyped_Retype(ut, seL4_UntypedObject, bits, seL4_CapInitThreadCNode, 0, 0, slot + 1, 1);
    CHECK("the watermark is right after the endpoint",
          err == seL4_NotEnoughMemory && seL4_GetMR(0) == (1ul << bits) - 16);
    err = seL4_Untyped_Retype(ut, seL4_UntypedObject, bits - 1, seL4_CapInitThreadCNode, 0, 0, slot + 1, 1);
    CHECK("the upper half becomes a child untyped", err == seL4_NoError && seL4_DebugCapIdentify(slot + 1) == 2);
    err = seL4_Untyped_Retype(slot + 1, seL4_TCBObject, 0, seL4_CapInitThreadCNode, 0, 0, slot + 2, 256);
    CHECK("256 TCBs from the child (no reset: a new untyped is already zero)",
          err == seL4_NoError && seL4_DebugCapIdentify(slot + 257) == 12);

    /* Revoke (preempted too) and retype again: this reset zeroes what the objects used. */
    err = seL4_CNode_Revoke(seL4_CapInitThreadCNode, ut, seL4_WordBits);
    CHECK("revoking the untyped", err == seL4_NoError && seL4_DebugCapIdentify(slot) == 0 &&
                                      seL4_DebugCapIdentify(slot + 1) == 0 && seL4_DebugCapIdentify(slot + 257) == 0);
    err = seL4_Untyped_Retype(ut, seL4_TCBObject, 0, seL4_CapInitThreadCNode, 0, 0, slot, 1);
    CHECK("the next Retype resets it (preempted) and starts at 0", err == seL4_NoError &&
                                                                     seL4_DebugCapIdentify(slot) == 12);
    err = seL4_Untyped_Retype(ut, seL4_UntypedObject, bits, seL4_CapInitThreadCNode, 0, 0, slot + 1, 1);
    CHECK("all but the TCB is free", err == seL4_NotEnoughMemory && seL4_GetMR(0) == (1ul << bits) - 2048);
    return 0;
}
