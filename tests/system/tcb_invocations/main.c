/* TCB_Configure, SetSpace, SetIPCBuffer, SetTLSBase, SetFlags, SetTimeoutEndpoint and an
 * unknown label (abi §5.3, §3): every error path in the sheet's order with the exact error
 * reply, and the effects that a test can see: a thread configured with a new CNode (and
 * guard data) uses it; without an IPC buffer a thread's 20-register read is cut to 4 MRs. */
#include <stdio.h>
#include <string.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/thread.h"
#include "../common/sched_util.h"

static seL4_CPtr done_ntfn;
static volatile seL4_Word seen_label, seen_length, seen_mr3;

/* Runs in a CSpace of its own: slot 1 = a notification to the root task, slot 2 = its TCB. */
static void own_cspace_fn(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    seL4_Signal(1);
    seL4_TCB_Suspend(2);
}

/* Reads 20 registers of TCB `other` and reports what came back. */
static void read_regs_fn(seL4_Word other, seL4_Word a1)
{
    (void)a1;
    seL4_SetMR(0, 0);
    seL4_SetMR(1, 20);
    seL4_MessageInfo_t info = seL4_Call(other, seL4_MessageInfo_new(TCBReadRegisters, 0, 0, 2));
    seen_label = seL4_MessageInfo_get_label(info);
    seen_length = seL4_MessageInfo_get_length(info);
    seen_mr3 = seL4_GetMR(3);
    seL4_Signal(done_ntfn);
    for (;;)
        seL4_Yield();
}

static volatile uint64_t counter;
static void count_fn(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    for (;;)
        counter++;
}

static void idle_fn(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    for (;;)
        seL4_Yield();
}

/* A 4 KiB frame from a device untyped (0 if there is none). */
static seL4_CPtr device_frame(void)
{
    seL4_BootInfo *bi = cairn_bootinfo();
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        if (!bi->untypedList[i].isDevice || bi->untypedList[i].sizeBits < seL4_PageBits)
            continue;
        seL4_CPtr slot;
        cairn_alloc_slot(&test_alloc, &slot);
        if (seL4_Untyped_Retype(bi->untyped.start + i, seL4_X86_4K, 0, seL4_CapInitThreadCNode, 0, 0, slot, 1) == 0)
            return slot;
    }
    return 0;
}

static seL4_CPtr mint(seL4_CPtr src, seL4_CapRights_t rights, seL4_Word badge)
{
    seL4_CPtr slot;
    cairn_alloc_slot(&test_alloc, &slot);
    seL4_CNode_Mint(seL4_CapInitThreadCNode, slot, 64, seL4_CapInitThreadCNode, src, 64, rights, badge);
    return slot;
}

int main(void)
{
    test_init();
    done_ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    seL4_CPtr ep = test_alloc_obj(seL4_EndpointObject, 0), ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    struct test_thread t = test_thread_new("target", 200, idle_fn, 0, 0, false, false);
    seL4_CPtr frame = image_frame_cap(t.ipc), dev = device_frame();
    seL4_Word buf = (seL4_Word)t.ipc;
    seL4_CPtr cnode = seL4_CapInitThreadCNode, vspace = seL4_CapInitThreadVSpace;
    struct raw_reply r;
    seL4_Word mrs[4] = { 0 };
    seL4_CPtr caps[3];
    seL4_Error e;
    CHECK("a device frame for the tests", dev != 0);

    /* ---- Configure ---- */
    caps[0] = cnode, caps[1] = vspace, caps[2] = frame;
    mrs[2] = buf;
    r = raw_invoke(t.tcb, TCBConfigure, 3, caps, 2, mrs);
    CHECK("Configure with 2 words: TruncatedMessage", is_error0(r, seL4_TruncatedMessage));
    r = raw_invoke(t.tcb, TCBConfigure, 2, caps, 3, mrs);
    CHECK("Configure with 2 caps: TruncatedMessage", is_error0(r, seL4_TruncatedMessage));
    e = seL4_TCB_Configure(t.tcb, cnode, 0, vspace, 0, buf, ep);
    CHECK("Configure with an endpoint as IPC buffer frame: IllegalOperation", e == seL4_IllegalOperation);
    e = seL4_TCB_Configure(t.tcb, cnode, 0, vspace, 0, buf, dev);
    CHECK("Configure with a device frame as IPC buffer: IllegalOperation", e == seL4_IllegalOperation);
    e = seL4_TCB_Configure(t.tcb, cnode, 0, vspace, 0, buf + 512, frame);
    CHECK("Configure with an IPC buffer not 1 KiB aligned: AlignmentError", e == seL4_AlignmentError);
    e = seL4_TCB_Configure(t.tcb, cnode, 0, vspace, 0, buf + 512, ep);
    CHECK("... a misaligned endpoint: the cap type is checked first (IllegalOperation)", e == seL4_IllegalOperation);
    e = seL4_TCB_Configure(t.tcb, ep, 0, vspace, 0, buf + 512, frame);
    CHECK("... the buffer is checked before the CSpace root (AlignmentError)", e == seL4_AlignmentError);
    e = seL4_TCB_Configure(t.tcb, ep, 0, vspace, 0, buf, frame);
    CHECK("Configure with an endpoint as CSpace root: IllegalOperation", e == seL4_IllegalOperation);
    e = seL4_TCB_Configure(t.tcb, seL4_CapNull, 0, vspace, 0, 0, seL4_CapNull);
    CHECK("Configure with a null CSpace root: IllegalOperation", e == seL4_IllegalOperation);
    e = seL4_TCB_Configure(t.tcb, cnode, 0, ep, 0, buf, frame);
    CHECK("Configure with an endpoint as VSpace root: IllegalOperation", e == seL4_IllegalOperation);
    e = seL4_TCB_Configure(t.tcb, cnode, 0, vspace, 0, 0, seL4_CapNull);
    CHECK("Configure with buffer 0 and a null frame cap: success", e == seL4_NoError);

    /* A thread configured with a CNode of its own (16 slots, guard of 60 bits) uses it. */
    struct test_thread o = test_thread_new("own-cspace", 200, own_cspace_fn, 0, 0, false, false);
    seL4_CPtr own = test_alloc_obj(seL4_CapTableObject, 4);
    seL4_CNode_Copy(own, 1, 4, cnode, done_ntfn, 64, seL4_AllRights);
    seL4_CNode_Copy(own, 2, 4, cnode, o.tcb, 64, seL4_AllRights);
    e = seL4_TCB_Configure(o.tcb, own, seL4_CNode_CapData_new(0, 60).words[0], vspace, 0, (seL4_Word)o.ipc,
                           image_frame_cap(o.ipc));
    seL4_TCB_Resume(o.tcb);
    seL4_Word badge;
    seL4_Wait(done_ntfn, &badge);
    CHECK("Configure with a new CNode and guard data: the thread signals and suspends through it", e == 0);

    /* With our cap to that CNode deleted, the TCB holds the CNode's final cap: deleting it would
     * be a long-running delete, so Configure and SetSpace refuse to replace it (abi §5.3). */
    CHECK("deleting our cap to the thread's CNode: success", seL4_CNode_Delete(cnode, own, 64) == 0);
    e = seL4_TCB_Configure(o.tcb, cnode, 0, vspace, 0, (seL4_Word)o.ipc + 8, image_frame_cap(o.ipc));
    CHECK("Configure of a thread whose CSpace root is a final CNode cap: the buffer is checked first",
          e == seL4_AlignmentError);
    e = seL4_TCB_Configure(o.tcb, cnode, 0, vspace, 0, (seL4_Word)o.ipc, image_frame_cap(o.ipc));
    CHECK("Configure of a thread whose CSpace root is a final CNode cap: IllegalOperation", e == seL4_IllegalOperation);
    e = seL4_TCB_SetSpace(o.tcb, seL4_CapNull, ntfn, 0, vspace, 0);
    CHECK("SetSpace of that thread: IllegalOperation, before the CSpace argument is looked at",
          e == seL4_IllegalOperation);
    e = seL4_TCB_SetSpace(o.tcb, seL4_CapNull, cnode, 0, vspace, 0);
    CHECK("SetSpace of that thread with valid arguments: IllegalOperation too", e == seL4_IllegalOperation);

    /* ---- SetSpace ---- */
    seL4_CPtr ep_w = mint(ep, seL4_CanWrite, 0), ep_wg = mint(ep, seL4_CapRights_new(0, 1, 0, 1), 0);
    seL4_CPtr ep_wgr = mint(ep, seL4_CapRights_new(1, 0, 0, 1), 0), ep_g = mint(ep, seL4_CapRights_new(1, 1, 1, 0), 0);
    caps[0] = seL4_CapNull, caps[1] = cnode, caps[2] = vspace;
    r = raw_invoke(t.tcb, TCBSetSpace, 3, caps, 1, mrs);
    CHECK("SetSpace with 1 word: TruncatedMessage", is_error0(r, seL4_TruncatedMessage));
    r = raw_invoke(t.tcb, TCBSetSpace, 2, caps, 2, mrs);
    CHECK("SetSpace with 2 caps: TruncatedMessage", is_error0(r, seL4_TruncatedMessage));
    caps[0] = ntfn;
    r = raw_invoke(t.tcb, TCBSetSpace, 3, caps, 2, (seL4_Word[]){ 0, 0 });
    CHECK("SetSpace with a notification as fault endpoint: InvalidCapability(1)", is_invalid_cap(r, 1));
    e = seL4_TCB_SetSpace(t.tcb, ntfn, ep, 0, vspace, 0);
    CHECK("SetSpace with a bad CSpace and a bad fault endpoint: the CSpace comes first (IllegalOperation)",
          e == seL4_IllegalOperation);
    e = seL4_TCB_SetSpace(t.tcb, ntfn, cnode, 0, ep, 0);
    CHECK("SetSpace with a bad VSpace and a bad fault endpoint: IllegalOperation", e == seL4_IllegalOperation);
    e = seL4_TCB_SetSpace(t.tcb, ep_w, cnode, 0, vspace, 0);
    CHECK("SetSpace with a Write-only endpoint: InvalidCapability(1)", e == seL4_InvalidCapability && seL4_GetMR(0) == 1);
    e = seL4_TCB_SetSpace(t.tcb, ep_g, cnode, 0, vspace, 0);
    CHECK("SetSpace with an endpoint without Write: InvalidCapability(1)", e == seL4_InvalidCapability && seL4_GetMR(0) == 1);
    CHECK("SetSpace with Write+Grant, Write+GrantReply or a null fault endpoint: success",
          seL4_TCB_SetSpace(t.tcb, ep_wg, cnode, 0, vspace, 0) == 0 &&
              seL4_TCB_SetSpace(t.tcb, ep_wgr, cnode, 0, vspace, 0) == 0 &&
              seL4_TCB_SetSpace(t.tcb, seL4_CapNull, cnode, 0, vspace, 0) == 0);

    /* ---- SetIPCBuffer ---- */
    caps[0] = frame;
    r = raw_invoke(t.tcb, TCBSetIPCBuffer, 1, caps, 0, mrs);
    CHECK("SetIPCBuffer with no words: TruncatedMessage", is_error0(r, seL4_TruncatedMessage));
    mrs[0] = buf;
    r = raw_invoke(t.tcb, TCBSetIPCBuffer, 0, caps, 1, mrs);
    CHECK("SetIPCBuffer with no cap: TruncatedMessage", is_error0(r, seL4_TruncatedMessage));
    CHECK("SetIPCBuffer misaligned (buffer + 8): AlignmentError", seL4_TCB_SetIPCBuffer(t.tcb, buf + 8, frame) == seL4_AlignmentError);
    CHECK("SetIPCBuffer with a notification cap: IllegalOperation", seL4_TCB_SetIPCBuffer(t.tcb, buf, ntfn) == seL4_IllegalOperation);
    CHECK("SetIPCBuffer with a device frame: IllegalOperation", seL4_TCB_SetIPCBuffer(t.tcb, buf, dev) == seL4_IllegalOperation);
    CHECK("SetIPCBuffer misaligned with a device frame: IllegalOperation first",
          seL4_TCB_SetIPCBuffer(t.tcb, buf + 8, dev) == seL4_IllegalOperation);

    /* Without an IPC buffer a reply of 20 MRs is cut to 4; with one it arrives whole. */
    struct test_thread rr = test_thread_new("reader", 200, read_regs_fn, t.tcb, 0, false, false);
    e = seL4_TCB_SetIPCBuffer(rr.tcb, 0, seL4_CapNull);
    seL4_TCB_Resume(rr.tcb);
    seL4_Wait(done_ntfn, &badge);
    CHECK("SetIPCBuffer(0): removed; ReadRegisters(20) by that thread comes back with length 4",
          e == 0 && seen_label == 0 && seen_length == 4);
    seL4_TCB_Suspend(rr.tcb);
    e = seL4_TCB_SetIPCBuffer(rr.tcb, (seL4_Word)rr.ipc, image_frame_cap(rr.ipc));
    seL4_UserContext regs;
    seL4_TCB_ReadRegisters(rr.tcb, false, 0, 20, &regs);
    regs.rip = (seL4_Word)read_regs_fn;
    regs.rsp = (seL4_Word)(test_stacks[((char *)rr.ipc - test_ipc_pages[0]) / 4096] + TEST_STACK_SIZE - 8);
    regs.rdi = t.tcb;
    seL4_TCB_WriteRegisters(rr.tcb, true, 0, 20, &regs);
    seL4_Wait(done_ntfn, &badge);
    CHECK("SetIPCBuffer(buffer, frame): restored; the same read comes back with length 20",
          e == 0 && seen_label == 0 && seen_length == 20);
    seL4_TCB_Suspend(rr.tcb);

    /* ---- SetTLSBase ---- */
    r = raw_invoke(t.tcb, TCBSetTLSBase, 0, NULL, 0, mrs);
    CHECK("SetTLSBase with no words: TruncatedMessage", is_error0(r, seL4_TruncatedMessage));
    e = seL4_TCB_SetTLSBase(t.tcb, 0x7ff012345000ul);
    seL4_TCB_ReadRegisters(t.tcb, false, 0, 20, &regs);
    CHECK("SetTLSBase sets fs_base (ReadRegisters index 18)", e == 0 && regs.fs_base == 0x7ff012345000ul);
    e = seL4_TCB_SetTLSBase(t.tcb, 0x0000900000000000ul);
    seL4_TCB_ReadRegisters(t.tcb, false, 0, 20, &regs);
    /* Cairn drops a non-canonical TLS base (loading it into the MSR would fault in the kernel). */
    CHECK("SetTLSBase with a non-canonical base: success, the base stays as it was",
          e == 0 && regs.fs_base == 0x7ff012345000ul);

    /* ---- SetFlags ---- */
    r = raw_invoke(t.tcb, TCBSetFlags, 0, NULL, 1, (seL4_Word[]){ 0 });
    CHECK("SetFlags with 1 word: TruncatedMessage", is_error0(r, seL4_TruncatedMessage));
    r = raw_invoke(t.tcb, TCBSetFlags, 0, NULL, 2, (seL4_Word[]){ 0, seL4_TCBFlag_fpuDisabled });
    CHECK("SetFlags set fpuDisabled: reply length 1, MR0 = 1", r.label == 0 && r.length == 1 && r.mr[0] == 1);
    seL4_TCB_SetFlags_t f = seL4_TCB_SetFlags(t.tcb, 0, ~0ul);
    CHECK("SetFlags set ~0: only fpuDisabled is kept", f.error == 0 && f.flags == 1);
    f = seL4_TCB_SetFlags(t.tcb, 0, 0);
    CHECK("SetFlags (0, 0) reports the current flags", f.error == 0 && f.flags == 1);
    f = seL4_TCB_SetFlags(t.tcb, 1, 0);
    CHECK("SetFlags clear fpuDisabled: 0", f.error == 0 && f.flags == 0);
    f = seL4_TCB_SetFlags(t.tcb, 1, 1);
    CHECK("SetFlags clear and set the same bit: set wins", f.error == 0 && f.flags == 1);
    seL4_TCB_SetFlags(t.tcb, 1, 0);

    /* ---- SetTimeoutEndpoint ---- */
    r = raw_invoke(t.tcb, TCBSetTimeoutEndpoint, 0, NULL, 0, mrs);
    CHECK("SetTimeoutEndpoint with no cap: TruncatedMessage", is_error0(r, seL4_TruncatedMessage));
    caps[0] = ntfn;
    r = raw_invoke(t.tcb, TCBSetTimeoutEndpoint, 1, caps, 0, mrs);
    CHECK("SetTimeoutEndpoint with a notification: InvalidCapability(1)", is_invalid_cap(r, 1));
    caps[0] = ep_w;
    r = raw_invoke(t.tcb, TCBSetTimeoutEndpoint, 1, caps, 0, mrs);
    CHECK("SetTimeoutEndpoint with a Write-only endpoint: InvalidCapability(1)", is_invalid_cap(r, 1));
    CHECK("SetTimeoutEndpoint with Write+Grant, Write+GrantReply, then null: success",
          seL4_TCB_SetTimeoutEndpoint(t.tcb, ep_wg) == 0 && seL4_TCB_SetTimeoutEndpoint(t.tcb, ep_wgr) == 0 &&
              seL4_TCB_SetTimeoutEndpoint(t.tcb, seL4_CapNull) == 0);

    /* ---- a TCB cap in the send phase of a combined syscall: refused (silently) ---- */
    struct test_thread cnt = test_thread_new("counter", 100, count_fn, 0, 0, false, true);
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 100);
    yield_for_us(6000);
    seL4_Signal(ntfn); /* so that the Wait half returns at once */
    seL4_NBSendWait(cnt.tcb, seL4_MessageInfo_new(TCBSuspend, 0, 0, 0), ntfn, &badge);
    uint64_t c1 = counter;
    yield_for_us(6000);
    uint64_t c2 = counter;
    seL4_TCB_Suspend(cnt.tcb);
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 255);
    CHECK("NBSendWait with a TCB cap as destination and label TCBSuspend: nothing happens, the thread runs on",
          c1 > 0 && c2 > c1);

    /* ---- labels that are not TCB invocations ---- */
    r = raw_invoke(t.tcb, InvalidInvocation, 0, NULL, 0, mrs);
    CHECK("label 0 on a TCB: IllegalOperation", is_error0(r, seL4_IllegalOperation));
    r = raw_invoke(t.tcb, CNodeRevoke, 0, NULL, 4, mrs);
    CHECK("a CNode label on a TCB: IllegalOperation", is_error0(r, seL4_IllegalOperation));
    return check_failures;
}
