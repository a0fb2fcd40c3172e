/*
 * Message and capability transfer (abi §2, §3, §10.5, §11): badged messages of every length
 * 0..120 between threads in the same CSpace and in different CSpaces, the 120-word clamp,
 * and capability transfer: Grant moves a cap into the receiver's one receive slot, no Grant
 * moves nothing, an extra cap to the endpoint the message travels on is unwrapped to its
 * badge, a missing or occupied receive slot stops the transfer, an extra cap whose lookup
 * fails is a cap fault for the sender (and nothing for NBSend), and a reply carries caps
 * only when the reply cap has Grant, whatever rights the caller's endpoint cap had; a queued
 * sender's extra caps are looked up again on delivery. Without an IPC buffer only the 4
 * register MRs travel, and no caps.
 */
#include <stdio.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/ipc_helpers.h"

/* Slots of the second CSpace (2^6 slots, depth 64 with guard 58). */
enum {
    C_EP_X = 1,           /* the cap-transfer endpoint (the recorder receives on it) */
    C_REPLY_X = 2,        /* the recorder's reply object */
    C_REPLY_X_NOGRANT = 3, /* the same reply object without Grant */
    C_SELF = 4,           /* this CNode, for the receive path */
    C_NTFN_R = 5,         /* a notification cap (badge 0x5000) the recorder replies with */
    C_PARK = 6,
    C_EP_E = 7,           /* echo endpoint */
    C_REPLY_E = 8,
    C_EP_S = 9,           /* badged (0x5e5e) cap to the root task's receive endpoint */
    C_RECV = 10,          /* the receive slot */
    C_OCC = 11,           /* an occupied slot */
};
#define CS_BITS 6

/* What the recorder saw in its last message. */
static volatile struct {
    seL4_Word count, info, badge, badges[3], slot_type, occ_type, mr0;
} got;
static volatile seL4_CPtr recorder_reply_cptr = C_REPLY_X;
static volatile bool recorder_replies_with_cap;

static void recorder(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(C_EP_X, &badge, C_REPLY_X);
    for (;;) {
        got.info = info.words[0];
        got.badge = badge;
        for (int i = 0; i < 3; i++)
            got.badges[i] = seL4_GetBadge(i);
        got.mr0 = seL4_GetMR(0);
        got.slot_type = seL4_DebugCapIdentify(C_RECV);
        got.occ_type = seL4_DebugCapIdentify(C_OCC);
        if (got.slot_type == 6)
            seL4_Signal(C_RECV); /* so the root task can tell which notification cap it is */
        got.count++;
        seL4_MessageInfo_t r = seL4_MessageInfo_new(0, 0, 0, 0);
        if (recorder_replies_with_cap) {
            seL4_SetCap(0, C_NTFN_R);
            r = seL4_MessageInfo_new(0, 0, 1, 0);
        }
        info = seL4_ReplyRecv(C_EP_X, r, &badge, recorder_reply_cptr);
    }
}

/* Echo server: MR i comes back as ~MR i ^ badge, the label as label + 1. */
static void echo(seL4_Word ep, seL4_Word reply)
{
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge, reply);
    for (;;) {
        seL4_Word n = seL4_MessageInfo_get_length(info);
        for (seL4_Word i = 0; i < n; i++)
            seL4_SetMR(i, ~seL4_GetMR(i) ^ badge);
        info = seL4_ReplyRecv(ep, seL4_MessageInfo_new(seL4_MessageInfo_get_label(info) + 1, 0, 0, n), &badge, reply);
    }
}

/* Sends every length 0..120 (label = length, MR i = length * 1000 + i), then 127 words. */
static void sender(seL4_Word ep, seL4_Word park_ntfn)
{
    for (seL4_Word len = 0; len <= seL4_MsgMaxLength; len++) {
        for (seL4_Word i = 0; i < len; i++)
            seL4_SetMR(i, len * 1000 + i);
        seL4_Send(ep, seL4_MessageInfo_new(len, 0, 0, len));
    }
    for (seL4_Word i = 0; i < seL4_MsgMaxLength; i++)
        seL4_SetMR(i, 7000 + i);
    seL4_Send(ep, seL4_MessageInfo_new(127, 0, 0, 127));
    park(park_ntfn);
}

/* Sends with an extra cap whose lookup fails (after the fault handler fixed the cap, the
 * Send is restarted), then NBSends with a bad extra cap, which must be silently dropped. */
#define BAD_CPTR ((1ul << 40) | 5) /* the root CNode's guard is 48 zero bits */
static volatile int bad_cap_sender_done;
static void bad_cap_sender(seL4_Word ep, seL4_Word park_ntfn)
{
    seL4_SetMR(0, 0xf00d);
    seL4_SetCap(0, BAD_CPTR);
    seL4_Send(ep, seL4_MessageInfo_new(0x66, 0, 1, 1));
    seL4_SetCap(0, BAD_CPTR);
    seL4_NBSend(ep, seL4_MessageInfo_new(0x67, 0, 1, 1));
    bad_cap_sender_done = 1;
    park(park_ntfn);
}

static seL4_CPtr ntfn, park_ntfn;
static struct test_thread rec;
static struct cspace cs;

/* Call the recorder through `via` with label 0x77, MR0 = 0xfeed and up to three extra caps. */
static seL4_MessageInfo_t send_caps(seL4_CPtr via, unsigned ncaps, seL4_CPtr c0, seL4_CPtr c1, seL4_CPtr c2)
{
    seL4_CPtr c[3] = { c0, c1, c2 };
    for (unsigned i = 0; i < ncaps; i++)
        seL4_SetCap((int)i, c[i]);
    for (int i = 0; i < 3; i++)
        rec.ipc->caps_or_badges[i] = 0;
    seL4_SetMR(0, 0xfeed);
    return seL4_Call(via, seL4_MessageInfo_new(0x77, 0, ncaps, 1));
}

static void set_receive_path(seL4_CPtr cnode, seL4_Word index, seL4_Word depth)
{
    rec.ipc->receiveCNode = cnode;
    rec.ipc->receiveIndex = index;
    rec.ipc->receiveDepth = depth;
}

static bool got_tag(seL4_Word extra, seL4_Word unwrapped)
{
    seL4_MessageInfo_t m = { .words = { got.info } };
    return seL4_MessageInfo_get_label(m) == 0x77 && seL4_MessageInfo_get_length(m) == 1 &&
           seL4_MessageInfo_get_extraCaps(m) == extra && seL4_MessageInfo_get_capsUnwrapped(m) == unwrapped &&
           got.mr0 == 0xfeed;
}

static void clear_receive_slot(void) { seL4_CNode_Delete(cs.cnode, C_RECV, CS_BITS); }

static void test_lengths(void)
{
    /* Call/ReplyRecv with a badged cap, every length, to an echo thread in our CSpace and in
     * a CSpace of its own. */
    seL4_CPtr ep_e = test_alloc_obj(seL4_EndpointObject, 0), reply_e = test_alloc_obj(seL4_ReplyObject, 0);
    seL4_CPtr ep_e2 = test_alloc_obj(seL4_EndpointObject, 0), reply_e2 = test_alloc_obj(seL4_ReplyObject, 0);
    cspace_put(cs, C_EP_E, ep_e2, seL4_AllRights, 0);
    cspace_put(cs, C_REPLY_E, reply_e2, seL4_AllRights, 0);
    test_thread_new("echo-same-cspace", 100, echo, ep_e, reply_e, false, true);
    struct test_thread e2 = test_thread_new("echo-own-cspace", 100, echo, C_EP_E, C_REPLY_E, false, false);
    thread_use_cspace(&e2, cs);
    seL4_TCB_Resume(e2.tcb);
    const seL4_Word badges[2] = { 0xb0b, 0xc0ffee };
    const seL4_CPtr eps[2] = { mint_cap(ep_e, seL4_AllRights, badges[0]), mint_cap(ep_e2, seL4_AllRights, badges[1]) };
    for (int k = 0; k < 2; k++) {
        int bad = 0;
        for (seL4_Word len = 0; len <= seL4_MsgMaxLength; len++) {
            for (seL4_Word i = 0; i < len; i++)
                seL4_SetMR(i, len * 1000 + i);
            seL4_MessageInfo_t r = seL4_Call(eps[k], seL4_MessageInfo_new(0x40 + len, 0, 0, len));
            if (seL4_MessageInfo_get_label(r) != 0x41 + len || seL4_MessageInfo_get_length(r) != len ||
                seL4_MessageInfo_get_extraCaps(r) != 0)
                bad++;
            for (seL4_Word i = 0; i < len; i++)
                if (seL4_GetMR(i) != (~(len * 1000 + i) ^ badges[k]))
                    bad++;
        }
        CHECK(k == 0 ? "same CSpace: badged Call/ReplyRecv echo of every length 0..120"
                     : "different CSpace: badged Call/ReplyRecv echo of every length 0..120",
              bad == 0);
    }

    /* Send/Recv of every length from a thread in our CSpace and from one in its own CSpace. */
    seL4_CPtr ep_s = test_alloc_obj(seL4_EndpointObject, 0), reply_s = test_alloc_obj(seL4_ReplyObject, 0);
    cspace_put(cs, C_EP_S, ep_s, seL4_AllRights, 0x5e5e);
    test_thread_new("sender-same-cspace", 80, sender, mint_cap(ep_s, seL4_AllRights, 0x1e1e), park_ntfn, false, true);
    struct test_thread s2 = test_thread_new("sender-own-cspace", 80, sender, C_EP_S, C_PARK, false, false);
    thread_use_cspace(&s2, cs);
    const seL4_Word sbadge[2] = { 0x1e1e, 0x5e5e };
    for (int k = 0; k < 2; k++) {
        if (k == 1)
            seL4_TCB_Resume(s2.tcb);
        int bad = 0;
        seL4_Word badge;
        for (seL4_Word len = 0; len <= seL4_MsgMaxLength; len++) {
            seL4_MessageInfo_t m = seL4_Recv(ep_s, &badge, reply_s);
            if (badge != sbadge[k] || seL4_MessageInfo_get_label(m) != len || seL4_MessageInfo_get_length(m) != len)
                bad++;
            for (seL4_Word i = 0; i < len; i++)
                if (seL4_GetMR(i) != len * 1000 + i)
                    bad++;
        }
        CHECK(k == 0 ? "same CSpace: Send/Recv of every length 0..120 with the sender's badge"
                     : "different CSpace: Send/Recv of every length 0..120 with the sender's badge",
              bad == 0);
        seL4_MessageInfo_t m = seL4_Recv(ep_s, &badge, reply_s);
        bool ok = seL4_MessageInfo_get_length(m) == seL4_MsgMaxLength && seL4_MessageInfo_get_label(m) == 127;
        for (seL4_Word i = 0; i < seL4_MsgMaxLength; i++)
            ok &= seL4_GetMR(i) == 7000 + i;
        if (k == 0)
            CHECK("a length of 127 arrives as 120 words", ok);
    }
}

static void test_caps(void)
{
    seL4_CPtr ep_x = test_alloc_obj(seL4_EndpointObject, 0), reply_x = test_alloc_obj(seL4_ReplyObject, 0);
    seL4_CPtr other_ep = test_alloc_obj(seL4_EndpointObject, 0);
    cspace_put(cs, C_EP_X, ep_x, seL4_AllRights, 0);
    cspace_put(cs, C_REPLY_X, reply_x, seL4_AllRights, 0);
    cspace_put(cs, C_REPLY_X_NOGRANT, reply_x, seL4_CapRights_new(1, 0, 1, 1), 0);
    cspace_put(cs, C_NTFN_R, ntfn, seL4_AllRights, 0x5000);
    cspace_put(cs, C_OCC, other_ep, seL4_AllRights, 0);
    rec = test_thread_new("recorder", 100, recorder, 0, 0, false, false);
    thread_use_cspace(&rec, cs);
    seL4_TCB_Resume(rec.tcb);

    seL4_CPtr x_all = mint_cap(ep_x, seL4_AllRights, 0x1111);
    seL4_CPtr x_nogrant = mint_cap(ep_x, seL4_CapRights_new(1, 0, 0, 1), 0x2222); /* GrantReply + Write */
    seL4_CPtr sent_ntfn = mint_cap(ntfn, seL4_AllRights, 0x77);
    seL4_CPtr x99 = mint_cap(ep_x, seL4_AllRights, 0x99), xaa = mint_cap(ep_x, seL4_AllRights, 0xaa);
    seL4_CPtr xbb = mint_cap(ep_x, seL4_CapRights_new(0, 0, 0, 1), 0xbb); /* rights do not matter */
    seL4_CPtr xcc = mint_cap(ep_x, seL4_AllRights, 0xcc), xdd = mint_cap(ep_x, seL4_AllRights, 0xdd);
    seL4_CPtr empty_slot;
    cairn_alloc_slot(&test_alloc, &empty_slot);
    seL4_Word badge;

    /* Grant: the cap lands in the receive slot, the sender keeps its own. */
    set_receive_path(C_SELF, C_RECV, 64);
    seL4_MessageInfo_t r = send_caps(x_all, 1, sent_ntfn, 0, 0);
    CHECK("Grant: the receiver gets extraCaps 1, nothing unwrapped, MRs and the sender's badge",
          got_tag(1, 0) && got.badge == 0x1111 && seL4_MessageInfo_get_label(r) == 0);
    CHECK("Grant: the receive slot (in the receiver's own CSpace) holds a notification cap", got.slot_type == 6);
    seL4_Poll(ntfn, &badge);
    CHECK("Grant: it is the sent cap with its badge (0x77), and the sender still has its copy",
          badge == 0x77 && seL4_DebugCapIdentify(sent_ntfn) == 6);
    clear_receive_slot();

    /* No Grant (GrantReply only): the Call works, but no cap moves and nothing is unwrapped. */
    r = send_caps(x_nogrant, 2, sent_ntfn, x99, 0);
    CHECK("no Grant: the message arrives with extraCaps 0, no cap in the receive slot, nothing unwrapped",
          got_tag(0, 0) && got.badge == 0x2222 && got.slot_type == 0 && got.badges[1] == 0);
    CHECK("GrantReply without Grant: the caller got its reply (it did not become Inactive)",
          seL4_MessageInfo_get_label(r) == 0 && seL4_MessageInfo_get_length(r) == 0);

    /* Unwrapping: a cap to the endpoint the message travels on becomes its badge. */
    send_caps(x_all, 1, x99, 0, 0);
    CHECK("an extra cap to the same endpoint is unwrapped: capsUnwrapped 1, caps_or_badges[0] = 0x99, slot empty",
          got_tag(1, 1) && got.badges[0] == 0x99 && got.slot_type == 0);
    send_caps(x_all, 3, xaa, sent_ntfn, xbb);
    CHECK("caps [ep 0xaa, notification, ep 0xbb]: extraCaps 3, capsUnwrapped 0b101, badges 0xaa and 0xbb",
          got_tag(3, 5) && got.badges[0] == 0xaa && got.badges[2] == 0xbb && got.slot_type == 6);
    seL4_Poll(ntfn, &badge);
    clear_receive_slot();
    send_caps(x_all, 3, sent_ntfn, other_ep, xcc);
    CHECK("caps [notification, other endpoint, ep 0xcc]: only one receive slot, so extraCaps 1",
          got_tag(1, 0) && got.slot_type == 6 && got.badges[2] == 0);
    seL4_Poll(ntfn, &badge);
    clear_receive_slot();

    /* A missing receive slot. */
    set_receive_path(0, C_RECV, 64);
    send_caps(x_all, 1, sent_ntfn, 0, 0);
    bool no_slot = got_tag(0, 0) && got.slot_type == 0;
    set_receive_path(C_SELF, C_RECV, 0);
    send_caps(x_all, 1, sent_ntfn, 0, 0);
    no_slot &= got_tag(0, 0) && got.slot_type == 0;
    CHECK("no receive slot (receiveCNode null, or depth 0): extraCaps 0, nothing moves", no_slot);
    set_receive_path(0, 0, 0);
    send_caps(x_all, 2, xdd, sent_ntfn, 0);
    CHECK("no receive slot: unwrapping still happens (extraCaps 1, capsUnwrapped 1, badge 0xdd)",
          got_tag(1, 1) && got.badges[0] == 0xdd);

    /* An occupied receive slot. */
    set_receive_path(C_SELF, C_OCC, 64);
    send_caps(x_all, 1, sent_ntfn, 0, 0);
    CHECK("occupied receive slot: extraCaps 0, and the slot keeps its endpoint cap",
          got_tag(0, 0) && got.occ_type == 4);

    /* Extra caps that cannot be derived. */
    set_receive_path(C_SELF, C_RECV, 64);
    send_caps(x_all, 1, empty_slot, 0, 0);
    CHECK("an empty slot as the extra cap: the message arrives with extraCaps 0", got_tag(0, 0) && got.slot_type == 0);
    seL4_CPtr busy_untyped = 0;
    for (seL4_Word i = 0; i < test_alloc.bi->untyped.end - test_alloc.bi->untyped.start; i++)
        if (test_alloc.used[i])
            busy_untyped = test_alloc.bi->untyped.start + i;
    send_caps(x_all, 1, busy_untyped, 0, 0);
    CHECK("an untyped cap with children cannot be derived: extraCaps 0, slot empty",
          busy_untyped && got_tag(0, 0) && got.slot_type == 0);

    /* Caps in replies: the reply cap's Grant decides, not the caller's endpoint rights. */
    seL4_CPtr my_slot;
    cairn_alloc_slot(&test_alloc, &my_slot);
    seL4_SetCapReceivePath(seL4_CapInitThreadCNode, my_slot, 64);
    recorder_replies_with_cap = true;
    r = send_caps(x_nogrant, 0, 0, 0, 0);
    bool reply_cap_ok = seL4_MessageInfo_get_extraCaps(r) == 1 && seL4_DebugCapIdentify(my_slot) == 6;
    seL4_Signal(my_slot);
    seL4_Poll(ntfn, &badge);
    CHECK("a reply through a reply cap with Grant carries a cap to a GrantReply-only caller", reply_cap_ok &&
          badge == 0x5000);
    seL4_CNode_Delete(seL4_CapInitThreadCNode, my_slot, 64);
    recorder_reply_cptr = C_REPLY_X_NOGRANT; /* read by the recorder when it replies to the next Call */
    r = send_caps(x_all, 0, 0, 0, 0);
    CHECK("a reply through a reply cap without Grant carries no cap",
          seL4_MessageInfo_get_extraCaps(r) == 0 && seL4_DebugCapIdentify(my_slot) == 0);
    recorder_reply_cptr = C_REPLY_X;
    send_caps(x_all, 0, 0, 0, 0);
    recorder_replies_with_cap = false;
    seL4_SetCapReceivePath(0, 0, 0);

    /* A failed extra-cap lookup: a cap fault for a blocking send; nothing for NBSend. */
    seL4_CPtr fault_ep = test_alloc_obj(seL4_EndpointObject, 0), fault_reply = test_alloc_obj(seL4_ReplyObject, 0);
    struct test_thread f = test_thread_new("bad-cap-sender", 90, bad_cap_sender, mint_cap(ep_x, seL4_AllRights, 0x3333),
                                           park_ntfn, false, false);
    thread_set_fault_handler(&f, 90, mint_cap(fault_ep, seL4_AllRights, 0xfa));
    seL4_TCB_Resume(f.tcb);
    seL4_Word count = got.count;
    seL4_MessageInfo_t m = seL4_Recv(fault_ep, &badge, fault_reply);
    seL4_Word mr[7];
    get_mrs(mr, 7);
    CHECK("failed extra-cap lookup on Send: a CapFault (label 1, length 7) to the handler with its badge",
          seL4_MessageInfo_get_label(m) == seL4_Fault_CapFault && seL4_MessageInfo_get_length(m) == 7 && badge == 0xfa);
    CHECK("the fault names the extra cptr, send phase, GuardMismatch(bitsLeft 64, guard 0, guard size 48)",
          is_syscall_insn(mr[0]) && mr[1] == BAD_CPTR && mr[2] == 0 && mr[3] == seL4_GuardMismatch && mr[4] == 64 &&
              mr[5] == 0 && mr[6] == 48);
    CHECK("nothing was delivered to the receiver", got.count == count);
    f.ipc->caps_or_badges[0] = sent_ntfn; /* fix the cap; the Send is restarted by the reply */
    seL4_Send(fault_reply, seL4_MessageInfo_new(0, 0, 0, 0));
    let_others_run();
    CHECK("after the fault reply the restarted Send delivers the message with the cap",
          got.count == count + 1 && got.badge == 0x3333 && got.mr0 == 0xf00d && got.slot_type == 6);
    CHECK("an NBSend whose extra-cap lookup fails is dropped without a fault", bad_cap_sender_done == 1 &&
          got.count == count + 1);
    seL4_Poll(ntfn, &badge);
    clear_receive_slot();
}

/* ---- threads without an IPC buffer: only the 4 register MRs travel ---- */
static volatile seL4_Word nb_info, nb_mr[4], nb_count;
static void no_buffer_receiver(seL4_Word ep, seL4_Word a1)
{
    (void)a1;
    for (;;) {
        seL4_Word badge, m[4];
        seL4_MessageInfo_t info = seL4_WaitWithMRs(ep, &badge, &m[0], &m[1], &m[2], &m[3]);
        nb_info = info.words[0];
        for (int i = 0; i < 4; i++)
            nb_mr[i] = m[i];
        nb_count++;
    }
}

static void no_buffer_sender(seL4_Word ep, seL4_Word park_ntfn)
{
    seL4_Word m[4] = { 0x10, 0x11, 0x12, 0x13 };
    seL4_SendWithMRs(ep, seL4_MessageInfo_new(0x88, 0, 0, 10), &m[0], &m[1], &m[2], &m[3]);
    park(park_ntfn);
}

static void test_no_ipc_buffer(void)
{
    seL4_CPtr ep = test_alloc_obj(seL4_EndpointObject, 0), reply = test_alloc_obj(seL4_ReplyObject, 0);
    struct test_thread r = test_thread_new("no-buffer-receiver", 100, no_buffer_receiver, ep, 0, false, false);
    seL4_Error e = seL4_TCB_SetIPCBuffer(r.tcb, 0, image_frame_cap(r.ipc));
    seL4_TCB_Resume(r.tcb);
    let_others_run();
    for (int i = 0; i < 10; i++) {
        seL4_SetMR(i, 0x100 + i);
        r.ipc->msg[i] = 0xee; /* its page, which the kernel does not know as its IPC buffer now */
    }
    seL4_SetCap(0, ntfn);
    seL4_Send(ep, seL4_MessageInfo_new(0x99, 0, 1, 10));
    let_others_run();
    seL4_MessageInfo_t m = { .words = { nb_info } };
    bool untouched = true;
    for (int i = 0; i < 10; i++)
        untouched &= r.ipc->msg[i] == 0xee;
    CHECK("a receiver without an IPC buffer gets length 4, the register MRs, no cap",
          e == seL4_NoError && nb_count == 1 && seL4_MessageInfo_get_label(m) == 0x99 &&
              seL4_MessageInfo_get_length(m) == 4 && seL4_MessageInfo_get_extraCaps(m) == 0 && nb_mr[0] == 0x100 &&
              nb_mr[3] == 0x103 && untouched);

    struct test_thread sd = test_thread_new("no-buffer-sender", 100, no_buffer_sender, ep, park_ntfn, false, false);
    e = seL4_TCB_SetIPCBuffer(sd.tcb, 0, image_frame_cap(sd.ipc));
    seL4_TCB_Resume(sd.tcb);
    seL4_Word badge;
    for (int i = 0; i < 10; i++)
        seL4_SetMR(i, 0);
    m = seL4_Recv(ep, &badge, reply);
    CHECK("a sender without an IPC buffer sends only its 4 register MRs (length 10 becomes 4)",
          e == seL4_NoError && seL4_MessageInfo_get_label(m) == 0x88 && seL4_MessageInfo_get_length(m) == 4 &&
              seL4_GetMR(0) == 0x10 && seL4_GetMR(3) == 0x13 && seL4_GetMR(4) == 0);
}

/* ---- extra caps are looked up when the message is delivered ---- */
static void queued_cap_sender(seL4_Word ep, seL4_Word badged_ep)
{
    for (;;) {
        seL4_SetCap(0, badged_ep);
        seL4_SetCap(1, ntfn);
        seL4_SetMR(0, 0xd0);
        seL4_Send(ep, seL4_MessageInfo_new(0x55, 0, 2, 1));
    }
}

static void test_late_lookup(void)
{
    seL4_CPtr ep = test_alloc_obj(seL4_EndpointObject, 0), reply = test_alloc_obj(seL4_ReplyObject, 0);
    struct test_thread q = test_thread_new("queued-cap-sender", 100, queued_cap_sender, ep,
                                           mint_cap(ep, seL4_AllRights, 0x42), false, true);
    seL4_SetCapReceivePath(0, 0, 0);
    seL4_Word badge;
    let_others_run(); /* it blocks in Send, its caps [ep 0x42, notification] named in its buffer */
    seL4_MessageInfo_t m = seL4_Recv(ep, &badge, reply);
    bool normal = seL4_MessageInfo_get_extraCaps(m) == 1 && seL4_MessageInfo_get_capsUnwrapped(m) == 1 &&
                  seL4_GetBadge(0) == 0x42;
    let_others_run(); /* it blocks in Send again; now its second cptr stops resolving */
    q.ipc->caps_or_badges[1] = BAD_CPTR;
    m = seL4_Recv(ep, &badge, reply);
    CHECK("a queued sender's extra caps are looked up at delivery: one failing lookup and no cap is processed",
          normal && seL4_MessageInfo_get_label(m) == 0x55 && seL4_GetMR(0) == 0xd0 &&
              seL4_MessageInfo_get_extraCaps(m) == 0 && seL4_MessageInfo_get_capsUnwrapped(m) == 0);
    seL4_TCB_Suspend(q.tcb);
}

int main(void)
{
    test_init();
    ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    park_ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    cs = cspace_new(CS_BITS);
    cspace_put_self(cs, C_SELF);
    cspace_put(cs, C_PARK, park_ntfn, seL4_AllRights, 0);
    test_lengths();
    test_caps();
    test_no_ipc_buffer();
    test_late_lookup();
    return 0;
}
