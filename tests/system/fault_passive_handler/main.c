/*
 * A passive fault handler thread (abi §10.5, §10.9): the handler has no scheduling context
 * of its own; a fault message is delivered like a Call, so the faulting thread's SC is
 * donated to the handler, which runs on it, and goes back with the reply. The handler serves
 * two faulting threads in a ReplyRecv loop, tells them apart by the badges of their fault
 * endpoint caps, and makes each skip its ud2 (UserException reply with a new FaultIP).
 */
#include <stdio.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/thread.h"
#include "../common/fault_helpers.h"

#define ROUNDS 3
#define NLOG (2 * ROUNDS)

static seL4_CPtr fep, hreply, done_ntfn, park_ntfn;
static volatile unsigned nlog, rounds[2];
static struct {
    seL4_Word label, length, badge, ip, number;
} flog[NLOG + 2];
extern char pf_ud2_site[], pf_ud2_after[];

/* ud2 in a loop; the handler moves FaultIP past it each time. */
static void faulter(seL4_Word which, seL4_Word done_cap)
{
    for (unsigned i = 0; i < ROUNDS; i++) {
        __asm__ volatile(".global pf_ud2_site, pf_ud2_after\n"
                         "pf_ud2_site: ud2\n"
                         "pf_ud2_after:" ::: "memory");
        rounds[which]++;
    }
    seL4_Signal(done_cap);
    seL4_Word b;
    for (;;)
        seL4_Wait(park_ntfn, &b);
}

static void handler(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(fep, &badge, hreply);
    for (;;) {
        unsigned n = nlog;
        if (n < NLOG + 2) {
            flog[n].label = seL4_MessageInfo_get_label(info);
            flog[n].length = seL4_MessageInfo_get_length(info);
            flog[n].badge = badge;
            flog[n].ip = seL4_GetMR(seL4_UserException_FaultIP);
            flog[n].number = seL4_GetMR(seL4_UserException_Number);
            nlog = n + 1;
        }
        seL4_SetMR(0, (seL4_Word)pf_ud2_after);
        info = seL4_ReplyRecv(fep, seL4_MessageInfo_new(0, 0, 0, 1), &badge, hreply);
    }
}

int main(void)
{
    test_init();
    fep = test_alloc_obj(seL4_EndpointObject, 0);
    hreply = test_alloc_obj(seL4_ReplyObject, 0);
    park_ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    done_ntfn = test_alloc_obj(seL4_NotificationObject, 0);

    /* The handler reaches its Recv on its own SC, then gives the SC up. */
    struct test_thread h = test_thread_new("passive-handler", 200, handler, 0, 0, false, true);
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 150); /* it runs to its Recv */
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 255);
    seL4_Error e = seL4_SchedContext_UnbindObject(h.sc, h.tcb);
    CHECK("the handler waits for faults with no scheduling context of its own", e == seL4_NoError);

    faulter_new("faulter-a", 100, faulter, 0, mint_badged(done_ntfn, seL4_AllRights, 1),
                mint_badged(fep, seL4_AllRights, 0xa), true);
    faulter_new("faulter-b", 100, faulter, 1, mint_badged(done_ntfn, seL4_AllRights, 2),
                mint_badged(fep, seL4_CapRights_new(1, 0, 0, 1), 0xb), true);
    seL4_Word seen = 0, badge;
    while (seen != 3) {
        seL4_Wait(done_ntfn, &badge);
        seen |= badge;
    }
    CHECK("both faulters got past their ud2 3 times: the passive handler ran (on their donated SCs) and replied",
          rounds[0] == ROUNDS && rounds[1] == ROUNDS);
    unsigned from_a = 0, from_b = 0, bad = 0;
    for (unsigned i = 0; i < nlog; i++) {
        if (flog[i].badge == 0xa)
            from_a++;
        else if (flog[i].badge == 0xb)
            from_b++;
        if (flog[i].label != seL4_Fault_UserException || flog[i].length != seL4_UserException_Length ||
            flog[i].ip != (seL4_Word)pf_ud2_site || flog[i].number != 6)
            bad++;
    }
    CHECK("the handler got 6 UserException messages [ud2, .., 6, ..]: 3 with badge 0xa, 3 with badge 0xb",
          nlog == NLOG && from_a == ROUNDS && from_b == ROUNDS && bad == 0);
    /* The SCs went back with the replies: the handler is passive again, blocked in its Recv,
     * and a SchedContext_Unbind of its former SC finds nothing to unbind. */
    e = seL4_SchedContext_UnbindObject(h.sc, h.tcb);
    CHECK("the handler's own former SC is still unbound from it", e == seL4_IllegalOperation);
    return 0;
}
