/* Passive threads (abi §10.4, §10.5): a thread without an SC is never scheduled, even with a
 * message delivered to it, until an SC is bound; a passive server runs on the SC donated by
 * each caller -- clients of different priorities, served in priority order, each charged
 * for the server's work (Consumed), a budget-limited client's server work limited by that
 * budget -- and has no SC of its own between calls. */
#include <stdio.h>
#include <string.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/thread.h"
#include "../common/sched_util.h"

static seL4_CPtr ep, reply_obj, root_ntfn, park_ntfn, spare_sc, server_tcb;
static volatile int served, order[8], bind_mid_call = -1;
static volatile bool try_bind;
static seL4_CPtr client_sc[4];
static volatile uint64_t consumed[4], wall[4];

static void park(void)
{
    seL4_Word b;
    for (;;)
        seL4_Wait(park_ntfn, &b);
}

/* Busy for `us` microseconds of CPU time (gaps of 300 us or more are time not running). */
static void work_us(uint64_t us)
{
    uint64_t need = us_to_tsc(us), gap = us_to_tsc(300), done = 0, last = rdtsc();
    while (done < need) {
        uint64_t now = rdtsc();
        if (now - last < gap)
            done += now - last;
        last = now;
    }
}

/* MR0 = microseconds of work, MR1 = client id. */
static void server_fn(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge, reply_obj);
    for (;;) {
        seL4_Word us = seL4_GetMR(0), id = seL4_GetMR(1);
        order[served++] = (int)id;
        if (try_bind)
            bind_mid_call = seL4_SchedContext_Bind(spare_sc, server_tcb);
        work_us(us);
        (void)info;
        seL4_SetMR(0, (seL4_Word)served);
        info = seL4_ReplyRecv(ep, seL4_MessageInfo_new(0, 0, 0, 1), &badge, reply_obj);
    }
}

static void client_fn(seL4_Word id, seL4_Word us)
{
    seL4_SchedContext_Consumed(client_sc[id]);
    uint64_t t0 = rdtsc();
    seL4_SetMR(0, us);
    seL4_SetMR(1, id);
    seL4_Call(ep, seL4_MessageInfo_new(0, 0, 0, 2));
    wall[id] = tsc_to_us(rdtsc() - t0);
    consumed[id] = seL4_SchedContext_Consumed(client_sc[id]).consumed;
    seL4_Signal(root_ntfn);
    park();
}

int main(void)
{
    test_init();
    ep = test_alloc_obj(seL4_EndpointObject, 0);
    reply_obj = test_alloc_obj(seL4_ReplyObject, 0);
    root_ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    park_ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    spare_sc = test_alloc_obj(seL4_SchedContextObject, 8);
    test_sc_configure(spare_sc, 5000, 5000);
    seL4_CPtr self = seL4_CapInitThreadTCB;
    seL4_Word b;

    /* The server reaches its Recv on its own SC, which is then taken away. */
    struct test_thread s = test_thread_new("server", 200, server_fn, 0, 0, false, true);
    server_tcb = s.tcb;
    seL4_TCB_SetPriority(self, self, 199);
    seL4_TCB_SetPriority(self, self, 255);
    CHECK("the server is made passive (UnbindObject of its SC) while it waits in Recv",
          seL4_SchedContext_UnbindObject(s.sc, s.tcb) == seL4_NoError);

    /* A plain Send wakes it but gives it no SC: it does not run. */
    seL4_SetMR(0, 100);
    seL4_SetMR(1, 9);
    seL4_Send(ep, seL4_MessageInfo_new(0, 0, 0, 2));
    seL4_TCB_SetPriority(self, self, 0);
    seL4_Yield();
    seL4_TCB_SetPriority(self, self, 255);
    CHECK("a Send to the passive server delivers the message, but it does not run without an SC", served == 0);
    CHECK("Bind an SC to it: success (below the root task it does not run yet)",
          seL4_SchedContext_Bind(spare_sc, s.tcb) == 0 && served == 0);
    seL4_TCB_SetPriority(self, self, 199);
    seL4_TCB_SetPriority(self, self, 255);
    CHECK("... once the root task steps below it, it serves the message", served == 1 && order[0] == 9);
    CHECK("UnbindObject: passive again, back in Recv", seL4_SchedContext_UnbindObject(spare_sc, s.tcb) == 0);

    /* Clients at 150 and 50 call the passive server; the higher one goes first. */
    served = 0;
    try_bind = true;
    struct test_thread c[3];
    c[0] = test_thread_new("client-50", 50, client_fn, 0, 1000, false, false);
    c[1] = test_thread_new("client-150", 150, client_fn, 1, 3000, false, false);
    for (int i = 0; i < 2; i++)
        client_sc[i] = c[i].sc;
    seL4_TCB_Resume(c[0].tcb);
    seL4_TCB_Resume(c[1].tcb);
    seL4_Wait(root_ntfn, &b);
    seL4_Wait(root_ntfn, &b);
    printf("passive server: client 150 asked for 3000 us, Consumed %lu us; client 50 asked for 1000 us, "
           "Consumed %lu us\n", (unsigned long)consumed[1], (unsigned long)consumed[0]);
    CHECK("both calls served, the priority-150 client first", served == 2 && order[0] == 1 && order[1] == 0);
    CHECK("while it serves on a donated SC, the server cannot be bound to another SC (IllegalOperation)",
          bind_mid_call == seL4_IllegalOperation);
    CHECK("the 150 client's SC paid for the server's 3000 us (Consumed 3000..5000 us)",
          consumed[1] >= 3000 && consumed[1] <= 5000);
    CHECK("the 50 client's SC paid for the server's 1000 us only (Consumed 1000..2500 us)",
          consumed[0] >= 1000 && consumed[0] <= 2500);
    CHECK("after the replies the server has no SC: binding one succeeds",
          seL4_SchedContext_Bind(spare_sc, s.tcb) == 0 && seL4_SchedContext_UnbindObject(spare_sc, s.tcb) == 0);
    try_bind = false;

    /* A client with 1 ms every 20 ms asks for 3 ms of work: the server works on that budget. */
    c[2] = test_thread_new("client-budget", 150, client_fn, 2, 3000, false, false);
    client_sc[2] = c[2].sc;
    seL4_Error e = test_sc_configure(c[2].sc, 1000, 20000);
    seL4_TCB_Resume(c[2].tcb);
    seL4_Wait(root_ntfn, &b);
    printf("a 1 ms / 20 ms client asking for 3000 us of server work: answered after %lu us, Consumed %lu us\n",
           (unsigned long)wall[2], (unsigned long)consumed[2]);
    CHECK("a passive server on a 1 ms / 20 ms client's SC needs more than two periods for 3 ms of work",
          e == 0 && wall[2] >= 35000 && wall[2] <= 200000);
    CHECK("... and that client's SC is charged the 3 ms (Consumed 3000..4500 us)",
          consumed[2] >= 3000 && consumed[2] <= 4500);
    return check_failures;
}
