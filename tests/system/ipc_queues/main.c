/*
 * Endpoint queues are ordered by priority, FIFO among equal priorities (abi §10.1): blocked
 * senders are received in that order, blocked receivers are served in that order, and a
 * priority change re-sorts a thread inside the queue it is blocked in.
 */
#include <stdio.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/ipc_helpers.h"

#define MAXQ 8
static seL4_CPtr park_ntfn;
/* Each thread takes a ticket right before it blocks: equal priorities must keep that order. */
static volatile seL4_Word ticket, my_ticket[MAXQ], got_by[MAXQ];

static void queued_sender(seL4_Word ep, seL4_Word id)
{
    my_ticket[id] = ++ticket;
    seL4_SetMR(0, id);
    seL4_Send(ep, seL4_MessageInfo_new(0x100 + id, 0, 0, 1));
    park(park_ntfn);
}

static void queued_receiver(seL4_Word ep, seL4_Word id)
{
    my_ticket[id] = ++ticket;
    seL4_Wait(ep, NULL);
    got_by[id] = seL4_GetMR(0);
    park(park_ntfn);
}

/* The ids sorted by priority (highest first), then by ticket. */
static void expected_order(const int *prio, int n, int *order)
{
    for (int i = 0; i < n; i++)
        order[i] = i;
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0; j--) {
            int a = order[j - 1], b = order[j];
            bool swap = prio[b] > prio[a] || (prio[b] == prio[a] && my_ticket[b] < my_ticket[a]);
            if (!swap)
                break;
            order[j - 1] = b;
            order[j] = a;
        }
}

/* Receive n messages on ep; true if they came from the ids in `order`. */
static bool receive_in_order(seL4_CPtr ep, const int *order, int n)
{
    bool ok = true;
    for (int k = 0; k < n; k++) {
        seL4_MessageInfo_t m = seL4_Wait(ep, NULL);
        if (seL4_GetMR(0) != (seL4_Word)order[k] || seL4_MessageInfo_get_label(m) != 0x100 + (seL4_Word)order[k]) {
            printf("  message %d came from sender %lu, expected %d\n", k, (unsigned long)seL4_GetMR(0), order[k]);
            ok = false;
        }
    }
    return ok;
}

int main(void)
{
    test_init();
    park_ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    char name[32];
    int order[MAXQ];

    /* Senders of mixed priorities. */
    seL4_CPtr ep = test_alloc_obj(seL4_EndpointObject, 0);
    static const int sprio[6] = { 20, 50, 20, 80, 50, 10 };
    for (int i = 0; i < 6; i++) {
        snprintf(name, sizeof(name), "sender-%d-prio-%d", i, sprio[i]);
        test_thread_new(name, sprio[i], queued_sender, ep, i, false, true);
    }
    let_others_run();
    expected_order(sprio, 6, order);
    CHECK("blocked senders are received by priority, FIFO among equals (80, 50, 50, 20, 20, 10)",
          receive_in_order(ep, order, 6));

    /* Re-sorting: three equal senders; the last one is raised, the first one lowered. */
    seL4_CPtr ep2 = test_alloc_obj(seL4_EndpointObject, 0);
    struct test_thread t[3];
    for (int i = 0; i < 3; i++) {
        snprintf(name, sizeof(name), "resorted-sender-%d", i);
        t[i] = test_thread_new(name, 30, queued_sender, ep2, i, false, true);
    }
    ticket = 0;
    let_others_run();
    int first = 0, last = 0;
    for (int i = 0; i < 3; i++) {
        if (my_ticket[i] < my_ticket[first])
            first = i;
        if (my_ticket[i] > my_ticket[last])
            last = i;
    }
    seL4_Error e1 = seL4_TCB_SetPriority(t[last].tcb, seL4_CapInitThreadTCB, 60);
    seL4_Error e2 = seL4_TCB_SetPriority(t[first].tcb, seL4_CapInitThreadTCB, 5);
    int middle = 3 - first - last;
    int want[3] = { last, middle, first };
    CHECK("a priority change re-sorts a blocked sender: raised first, lowered last",
          e1 == seL4_NoError && e2 == seL4_NoError && receive_in_order(ep2, want, 3));

    /* Receivers of mixed priorities: message k goes to the k-th receiver in queue order. */
    seL4_CPtr ep3 = test_alloc_obj(seL4_EndpointObject, 0);
    static const int rprio[5] = { 40, 70, 40, 70, 10 };
    ticket = 0;
    for (int i = 0; i < 5; i++) {
        snprintf(name, sizeof(name), "receiver-%d-prio-%d", i, rprio[i]);
        test_thread_new(name, rprio[i], queued_receiver, ep3, i, false, true);
        got_by[i] = 99;
    }
    let_others_run();
    expected_order(rprio, 5, order);
    for (seL4_Word k = 0; k < 5; k++) {
        seL4_SetMR(0, k);
        seL4_Send(ep3, seL4_MessageInfo_new(0, 0, 0, 1));
    }
    let_others_run();
    bool ok = true;
    for (int k = 0; k < 5; k++)
        ok &= got_by[order[k]] == (seL4_Word)k;
    CHECK("blocked receivers are served by priority, FIFO among equals (70, 70, 40, 40, 10)", ok);
    return 0;
}
