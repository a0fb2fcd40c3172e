/*
 * System-test helper (include after check.h, thread.h, vspace.h): a probe thread that touches
 * memory for the root task, which is its fault handler. probe(op, addr, value) has it read,
 * write or call one address; the result is the value read, or the VMFault the access raised
 * (abi §11: IP, Addr, PrefetchFault, FSR), after which the thread is reset to wait for the
 * next command. The probe runs in the root task's VSpace or in another that maps the image.
 */
#pragma once
#include <sel4/sel4.h>
#include "thread.h"
#include "vspace.h"

enum probe_op { PROBE_READ, PROBE_WRITE, PROBE_EXEC };
#define PROBE_DONE 0x77
#define PROBE_FAULT_BADGE 0x99

struct probe_result {
    bool faulted;
    seL4_Word value;                     /* read (PROBE_READ) */
    seL4_Word label, ip, addr, prefetch, fsr; /* the fault */
};

struct probe {
    seL4_CPtr ep, reply, ntfn;
    struct test_thread t;
    seL4_Word stack_top;
    volatile seL4_Word op, addr, value;
};
static struct probe probe_env;

static __attribute__((unused)) void probe_thread(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    for (;;) {
        seL4_Word badge;
        seL4_Wait(probe_env.ntfn, &badge);
        seL4_Word v = 0, addr = probe_env.addr;
        switch (probe_env.op) {
        case PROBE_READ:
            v = *(volatile seL4_Word *)addr;
            break;
        case PROBE_WRITE:
            *(volatile seL4_Word *)addr = probe_env.value;
            break;
        default:
            ((void (*)(void))addr)();
            break;
        }
        seL4_SetMR(0, v);
        seL4_Send(probe_env.ep, seL4_MessageInfo_new(PROBE_DONE, 0, 0, 1));
    }
}

/* Start the probe thread (priority 100) in vspace: the root task's, or another VSpace that
 * maps the image. */
static __attribute__((unused)) void probe_start(seL4_CPtr vspace)
{
    probe_env.ep = test_alloc_obj(seL4_EndpointObject, 0);
    probe_env.reply = test_alloc_obj(seL4_ReplyObject, 0);
    probe_env.ntfn = test_alloc_obj(seL4_NotificationObject, 0);
    if (vspace == seL4_CapInitThreadVSpace) {
        probe_env.t = test_thread_new("probe", 100, probe_thread, 0, 0, false, false);
        probe_env.stack_top = (seL4_Word)(test_stacks[test_threads_used - 1] + TEST_STACK_SIZE);
    } else {
        probe_env.t = test_thread_in(vspace, "probe", 100, probe_thread, 0, 0, false, false);
        seL4_UserContext regs;
        seL4_TCB_ReadRegisters(probe_env.t.tcb, false, 0, 2, &regs);
        probe_env.stack_top = regs.rsp + 8;
    }
    seL4_CPtr fault_ep = 0;
    cairn_alloc_slot(&test_alloc, &fault_ep);
    seL4_Error e = seL4_CNode_Mint(seL4_CapInitThreadCNode, fault_ep, 64, seL4_CapInitThreadCNode, probe_env.ep, 64,
                                   seL4_AllRights, PROBE_FAULT_BADGE);
    e = e ? e : seL4_TCB_SetSchedParams(probe_env.t.tcb, seL4_CapInitThreadTCB, 100, 100, probe_env.t.sc, fault_ep);
    e = e ? e : seL4_TCB_Resume(probe_env.t.tcb);
    if (e)
        printf("FAIL: starting the probe thread failed with error %d\n", (int)e);
}

/* Put the probe back at the top of its loop after a fault (this ends the fault). */
static __attribute__((unused)) void probe_reset(void)
{
    seL4_UserContext regs;
    const seL4_Word n = sizeof(regs) / sizeof(seL4_Word);
    seL4_Error e = seL4_TCB_ReadRegisters(probe_env.t.tcb, false, 0, n, &regs);
    regs.rip = (seL4_Word)probe_thread;
    regs.rsp = probe_env.stack_top - 8;
    e = e ? e : seL4_TCB_WriteRegisters(probe_env.t.tcb, true, 0, n, &regs);
    if (e)
        printf("FAIL: resetting the probe thread failed with error %d\n", (int)e);
}

/* One access by the probe thread. */
static __attribute__((unused)) struct probe_result probe(enum probe_op op, seL4_Word addr, seL4_Word value)
{
    struct probe_result r = { 0 };
    probe_env.op = op;
    probe_env.addr = addr;
    probe_env.value = value;
    seL4_Signal(probe_env.ntfn);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(probe_env.ep, &badge, probe_env.reply);
    r.label = seL4_MessageInfo_get_label(info);
    if (r.label == PROBE_DONE && badge == 0) {
        r.value = seL4_GetMR(0);
        return r;
    }
    r.faulted = true;
    r.ip = seL4_GetMR(seL4_VMFault_IP);
    r.addr = seL4_GetMR(seL4_VMFault_Addr);
    r.prefetch = seL4_GetMR(seL4_VMFault_PrefetchFault);
    r.fsr = seL4_GetMR(seL4_VMFault_FSR);
    if (r.label != seL4_Fault_VMFault || badge != PROBE_FAULT_BADGE)
        printf("  probe: unexpected message label %lu badge 0x%lx\n", (unsigned long)r.label, (unsigned long)badge);
    probe_reset();
    return r;
}

/* x86 page-fault error code bits in FSR (abi §11). */
#define FSR_PRESENT 1
#define FSR_WRITE 2
#define FSR_USER 4

static __attribute__((unused)) bool probe_reads(seL4_Word addr, seL4_Word want)
{
    struct probe_result r = probe(PROBE_READ, addr, 0);
    if (r.faulted || r.value != want)
        printf("  probe read 0x%lx: %s 0x%lx (FSR 0x%lx)\n", (unsigned long)addr, r.faulted ? "fault at" : "value",
               (unsigned long)(r.faulted ? r.addr : r.value), (unsigned long)r.fsr);
    return !r.faulted && r.value == want;
}
static __attribute__((unused)) bool probe_writes(seL4_Word addr, seL4_Word value)
{
    struct probe_result r = probe(PROBE_WRITE, addr, value);
    if (r.faulted)
        printf("  probe write 0x%lx: fault (FSR 0x%lx)\n", (unsigned long)addr, (unsigned long)r.fsr);
    return !r.faulted;
}
/* The access faults at addr with this FSR (data access: PrefetchFault 0). */
static __attribute__((unused)) bool probe_faults(enum probe_op op, seL4_Word addr, seL4_Word fsr)
{
    struct probe_result r = probe(op, addr, 0x5a5a);
    bool ok = r.faulted && r.label == seL4_Fault_VMFault && r.addr == addr && r.fsr == fsr && r.prefetch == 0 &&
              (op != PROBE_EXEC || r.ip == addr);
    if (!ok)
        printf("  probe %d at 0x%lx: faulted %d label %lu addr 0x%lx FSR 0x%lx IP 0x%lx; expected FSR 0x%lx\n", (int)op,
               (unsigned long)addr, (int)r.faulted, (unsigned long)r.label, (unsigned long)r.addr,
               (unsigned long)r.fsr, (unsigned long)r.ip, (unsigned long)fsr);
    return ok;
}
