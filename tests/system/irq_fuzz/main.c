/*
 * Randomized IRQ capability operations (seeded, reproducible): GetIOAPIC and GetMSI with
 * valid and invalid arguments, SetNotification with good and bad caps, Ack, Clear, Copy and
 * Delete of handler caps, Revoke of IRQControl and of the notifications' caps, interrupt
 * lines of QEMU's pc-testdev raised and lowered at random (pins 3 and 5), signals drained.
 * A model of which vectors are active and what each slot holds predicts every reply; the
 * kernel checks its invariants after every syscall (check_invariants), so any corruption of
 * the derivation tree by the kernel's IRQ slots stops the test.
 */
#include <stdio.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/ipc_helpers.h"

#define ROOT seL4_CapInitThreadCNode
#define OPS 3000
#define NSLOTS 8
#define NVEC 6
static const seL4_Word vectors[NVEC] = { 0, 1, 2, 50, 106, 107 };
static const unsigned pins[2] = { 3, 5 };

static uint64_t rng = 0x1234abcd5678ef01ull;
static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

static seL4_CPtr slots[NSLOTS], lines, ntfn[2], badged, ep, ro_ntfn;
static int holds[NSLOTS]; /* -1 empty, else the index of the vector of its handler cap */
static unsigned failures, checked;

static bool active(int v)
{
    for (int i = 0; i < NSLOTS; i++)
        if (holds[i] == v)
            return true;
    return false;
}

static void expect(const char *what, unsigned op, seL4_Error got, seL4_Error want)
{
    checked++;
    if (got != want && failures++ < 10)
        printf("FAIL: op %u: %s returned %d, the model says %d\n", op, what, (int)got, (int)want);
}

static seL4_CPtr slot(void)
{
    seL4_CPtr s = 0;
    cairn_alloc_slot(&test_alloc, &s);
    return s;
}

int main(void)
{
    test_init();
    for (int i = 0; i < NSLOTS; i++) {
        slots[i] = slot();
        holds[i] = -1;
    }
    lines = slot();
    CHECK("setup: pc-testdev's interrupt lines",
          seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, 0x2000, 0x200f, ROOT, lines, 64) == seL4_NoError);
    ntfn[0] = test_alloc_obj(seL4_NotificationObject, 0);
    ntfn[1] = test_alloc_obj(seL4_NotificationObject, 0);
    ep = test_alloc_obj(seL4_EndpointObject, 0);
    badged = mint_cap(ntfn[0], seL4_AllRights, 0x77);
    ro_ntfn = mint_cap(ntfn[1], seL4_CanRead, 0);

    for (unsigned op = 0; op < OPS; op++) {
        int s = (int)rnd(NSLOTS), v = (int)rnd(NVEC);
        seL4_CPtr dest = slots[s];
        switch (rnd(12)) {
        case 0:
        case 1: { /* GetIOAPIC, sometimes with a bad argument */
            seL4_Word vec = rnd(8) ? vectors[v] : 108 + rnd(100);
            seL4_Word pin = rnd(8) ? pins[rnd(2)] : 24 + rnd(10), level = rnd(8) ? rnd(2) : 2, pol = rnd(8) ? 0 : 2;
            seL4_Error want = vec > 107                   ? seL4_RangeError
                              : active(v)                 ? seL4_RevokeFirst
                              : holds[s] >= 0             ? seL4_DeleteFirst
                              : pin >= 24 || level > 1 || pol > 1 ? seL4_RangeError
                                                          : seL4_NoError;
            expect("GetIOAPIC", op, seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, ROOT, dest, 64, 0, pin, level, pol, vec),
                   want);
            if (want == seL4_NoError)
                holds[s] = v;
            break;
        }
        case 2: { /* GetMSI */
            seL4_Word bus = rnd(8) ? rnd(256) : 256, dev = rnd(32), func = rnd(8) ? rnd(8) : 8;
            seL4_Error want = active(v) ? seL4_RevokeFirst : holds[s] >= 0 ? seL4_DeleteFirst
                              : bus > 255 || func > 7 ? seL4_RangeError : seL4_NoError;
            expect("GetMSI", op, seL4_IRQControl_GetMSI(seL4_CapIRQControl, ROOT, dest, 64, bus, dev, func, rnd(1000),
                                                       vectors[v]), want);
            if (want == seL4_NoError)
                holds[s] = v;
            break;
        }
        case 3:
        case 4: { /* SetNotification with one of five caps */
            static const char *const names[5] = { "ntfn 0", "ntfn 1", "badged ntfn 0", "endpoint", "read-only ntfn" };
            unsigned c = rnd(5);
            seL4_CPtr caps[5] = { ntfn[0], ntfn[1], badged, ep, ro_ntfn };
            seL4_Error want = holds[s] < 0 || c >= 3 ? seL4_InvalidCapability : seL4_NoError;
            seL4_Error got = seL4_IRQHandler_SetNotification(dest, caps[c]);
            expect(names[c], op, got, want);
            if (got == seL4_InvalidCapability && seL4_GetMR(0) != 0 && failures++ < 10)
                printf("FAIL: op %u: InvalidCapability index %lu, not 0\n", op, (unsigned long)seL4_GetMR(0));
            break;
        }
        case 5:
            expect("Ack", op, seL4_IRQHandler_Ack(dest), holds[s] < 0 ? seL4_InvalidCapability : seL4_NoError);
            break;
        case 6:
            expect("Clear", op, seL4_IRQHandler_Clear(dest), holds[s] < 0 ? seL4_InvalidCapability : seL4_NoError);
            break;
        case 7:
            expect("Delete", op, seL4_CNode_Delete(ROOT, dest, 64), seL4_NoError);
            holds[s] = -1;
            break;
        case 8: { /* Copy a handler cap to another slot */
            int d = (int)rnd(NSLOTS);
            seL4_Error want = holds[d] >= 0 ? seL4_DeleteFirst : holds[s] < 0 ? seL4_FailedLookup : seL4_NoError;
            expect("Copy", op, seL4_CNode_Copy(ROOT, slots[d], 64, ROOT, dest, 64, seL4_AllRights), want);
            if (want == seL4_NoError)
                holds[d] = holds[s];
            break;
        }
        case 9: /* a line up or down; whatever is signalled is taken */
            seL4_X86_IOPort_Out8(lines, 0x2000 + pins[rnd(2)], rnd(2));
            for (int i = 0; i < 2; i++) {
                seL4_Word badge;
                seL4_Poll(ntfn[i], &badge);
            }
            break;
        case 10: /* rarely: revoke everything of one kind */
            if (rnd(20) == 0) {
                expect("Revoke of IRQControl", op, seL4_CNode_Revoke(ROOT, seL4_CapIRQControl, 64), seL4_NoError);
                for (int i = 0; i < NSLOTS; i++)
                    holds[i] = -1;
            } else if (rnd(10) == 0) {
                expect("Revoke of notification 0", op, seL4_CNode_Revoke(ROOT, ntfn[0], 64), seL4_NoError);
                badged = mint_cap(ntfn[0], seL4_AllRights, 0x77);
            }
            break;
        default: /* probe the model: is the vector active? */
            if (holds[s] < 0) {
                seL4_Error got = seL4_IRQControl_GetMSI(seL4_CapIRQControl, ROOT, dest, 64, 0, 0, 0, 0, vectors[v]);
                expect("GetMSI probe", op, got, active(v) ? seL4_RevokeFirst : seL4_NoError);
                if (got == seL4_NoError)
                    holds[s] = v;
            }
            break;
        }
    }
    printf("%u replies checked against the model\n", checked);
    CHECK("every reply matched the model", failures == 0);
    for (int i = 0; i < NSLOTS; i++)
        seL4_CNode_Delete(ROOT, slots[i], 64);
    for (int v = 0; v < NVEC; v++)
        if (seL4_IRQControl_GetMSI(seL4_CapIRQControl, ROOT, slots[0], 64, 0, 0, 0, 0, vectors[v]) ||
            seL4_CNode_Delete(ROOT, slots[0], 64))
            failures++;
    CHECK("with every handler cap deleted, every vector can be issued again", failures == 0);
    return 0;
}
