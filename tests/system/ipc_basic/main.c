/* IPC basics between the root task and a server thread in the same address space: Call and
 * ReplyRecv with messages of every length, badges, Send/Recv, NBSend to nobody, and a
 * notification. */
#include <stdio.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/thread.h"

static seL4_CPtr ep, reply, ntfn, badged_ep;

/* Echo server: replies with every MR + 1 and the label + 1, badge in MR0's place when
 * asked (label 99). */
static void server(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge, reply);
    for (;;) {
        seL4_Word n = seL4_MessageInfo_get_length(info);
        for (seL4_Word i = 0; i < n; i++)
            seL4_SetMR(i, seL4_GetMR(i) + 1);
        if (seL4_MessageInfo_get_label(info) == 99) {
            seL4_SetMR(0, badge);
            n = n ? n : 1;
        }
        info = seL4_ReplyRecv(ep, seL4_MessageInfo_new(seL4_MessageInfo_get_label(info) + 1, 0, 0, n), &badge, reply);
    }
}

static void sender(seL4_Word a0, seL4_Word a1)
{
    (void)a1;
    seL4_SetMR(0, 0xabc);
    seL4_Send((seL4_CPtr)a0, seL4_MessageInfo_new(5, 0, 0, 1));
    seL4_Signal(ntfn);
    seL4_TCB_Suspend(seL4_CapNull); /* not a TCB: harmless error; then wait forever */
    seL4_Word b;
    seL4_Wait(ntfn, &b);
}

int main(void)
{
    test_init();
    ep = test_alloc_obj(seL4_EndpointObject, 0);
    reply = test_alloc_obj(seL4_ReplyObject, 0);
    ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    test_thread_new("echo-server", 200, server, 0, 0, false, true);

    /* Call with every message length 0..120. */
    int bad = 0;
    for (seL4_Word len = 0; len <= seL4_MsgMaxLength; len++) {
        for (seL4_Word i = 0; i < len; i++)
            seL4_SetMR(i, len * 1000 + i);
        seL4_MessageInfo_t r = seL4_Call(ep, seL4_MessageInfo_new(7, 0, 0, len));
        if (seL4_MessageInfo_get_label(r) != 8 || seL4_MessageInfo_get_length(r) != len)
            bad++;
        for (seL4_Word i = 0; i < len; i++)
            if (seL4_GetMR(i) != len * 1000 + i + 1)
                bad++;
    }
    CHECK("Call/ReplyRecv echo of every length 0..120", bad == 0);

    /* A badged copy of the endpoint: the server sees the badge. */
    seL4_CPtr slot;
    cairn_alloc_slot(&test_alloc, &slot);
    badged_ep = slot;
    seL4_Error e = seL4_CNode_Mint(seL4_CapInitThreadCNode, badged_ep, 64, seL4_CapInitThreadCNode, ep, 64,
                                   seL4_AllRights, 0x1234);
    CHECK("Mint a badged endpoint cap", e == seL4_NoError);
    seL4_MessageInfo_t r = seL4_Call(badged_ep, seL4_MessageInfo_new(99, 0, 0, 0));
    CHECK("the server receives the badge", seL4_MessageInfo_get_label(r) == 100 && seL4_GetMR(0) == 0x1234);
    r = seL4_Call(ep, seL4_MessageInfo_new(99, 0, 0, 0));
    CHECK("an unbadged cap gives badge 0", seL4_GetMR(0) == 0);

    /* Send from another thread, Recv here (the server is busy in its own Recv: use a 2nd ep). */
    seL4_CPtr ep2 = test_alloc_obj(seL4_EndpointObject, 0), reply2 = test_alloc_obj(seL4_ReplyObject, 0);
    test_thread_new("sender", 100, sender, ep2, 0, false, true);
    seL4_Word badge = 77;
    r = seL4_Recv(ep2, &badge, reply2);
    CHECK("Recv gets a Send's message", seL4_MessageInfo_get_label(r) == 5 && seL4_GetMR(0) == 0xabc &&
                                           badge == 0 && seL4_MessageInfo_get_length(r) == 1);
    seL4_Wait(ntfn, &badge);
    CHECK("Wait on a notification gets the signal's badge (0)", badge == 0);

    /* NBSend with no receiver is dropped; NBRecv with no sender returns badge 0. */
    seL4_NBSend(ep2, seL4_MessageInfo_new(1, 0, 0, 0));
    badge = 55;
    seL4_NBRecv(ep2, &badge, reply2);
    CHECK("NBRecv with nothing pending gives badge 0", badge == 0);

    /* Signals accumulate by OR. */
    seL4_CPtr nslot;
    cairn_alloc_slot(&test_alloc, &nslot);
    seL4_CNode_Mint(seL4_CapInitThreadCNode, nslot, 64, seL4_CapInitThreadCNode, ntfn, 64, seL4_AllRights, 0x10);
    seL4_Signal(nslot);
    seL4_CPtr nslot2;
    cairn_alloc_slot(&test_alloc, &nslot2);
    seL4_CNode_Mint(seL4_CapInitThreadCNode, nslot2, 64, seL4_CapInitThreadCNode, ntfn, 64, seL4_AllRights, 0x3);
    seL4_Signal(nslot2);
    seL4_Poll(ntfn, &badge);
    CHECK("badges of two signals are OR-ed", badge == 0x13);
    seL4_Poll(ntfn, &badge);
    CHECK("a second Poll finds nothing", badge == 0);
    return 0;
}
