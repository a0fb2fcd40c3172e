/* The calls whose shape depends on the kernel flavour (libsel4utils' mcs_api.h). Cairn is
 * always an MCS kernel; the classic forms are kept for code that tests the configuration. */
#pragma once

#include <autoconf.h>
#include <errno.h>
#include <stdint.h>
#include <sel4/sel4.h>
#include <sel4utils/sel4_zf_logif.h>

#if defined(CONFIG_KERNEL_MCS) && !defined(CONFIG_KERNEL_RT)
#define CONFIG_KERNEL_RT 1 /* the older name of the same option */
#endif

#ifdef CONFIG_KERNEL_MCS
#ifndef CONFIG_TIMER_TICK_MS
#define CONFIG_TIMER_TICK_MS CONFIG_BOOT_THREAD_TIME_SLICE
#endif
#else
#ifndef CONFIG_BOOT_THREAD_TIME_SLICE
#define CONFIG_BOOT_THREAD_TIME_SLICE CONFIG_TIMER_TICK_MS
#endif
#endif

static inline seL4_MessageInfo_t api_wait(seL4_CPtr ep, seL4_Word *badge)
{
#ifdef CONFIG_KERNEL_MCS
    return seL4_Wait(ep, badge);
#else
    return seL4_Recv(ep, badge);
#endif
}

static inline seL4_MessageInfo_t api_recv(seL4_CPtr ep, seL4_Word *badge, seL4_CPtr reply)
{
#ifdef CONFIG_KERNEL_MCS
    return seL4_Recv(ep, badge, reply);
#else
    (void)reply;
    return seL4_Recv(ep, badge);
#endif
}

static inline seL4_MessageInfo_t api_nbrecv(seL4_CPtr ep, seL4_Word *badge, seL4_CPtr reply)
{
#ifdef CONFIG_KERNEL_MCS
    return seL4_NBRecv(ep, badge, reply);
#else
    (void)reply;
    return seL4_NBRecv(ep, badge);
#endif
}

static inline void api_reply(seL4_CPtr reply, seL4_MessageInfo_t msg)
{
#ifdef CONFIG_KERNEL_MCS
    seL4_Send(reply, msg);
#else
    (void)reply;
    seL4_Reply(msg);
#endif
}

static inline seL4_MessageInfo_t api_reply_recv(seL4_CPtr ep, seL4_MessageInfo_t msg, seL4_Word *badge,
                                                seL4_CPtr reply)
{
#ifdef CONFIG_KERNEL_MCS
    return seL4_ReplyRecv(ep, msg, badge, reply);
#else
    (void)reply;
    return seL4_ReplyRecv(ep, msg, badge);
#endif
}

static inline seL4_MessageInfo_t api_nbsend_recv(seL4_CPtr send, seL4_MessageInfo_t info, seL4_CPtr recv,
                                                 seL4_Word *badge, seL4_CPtr reply)
{
#ifdef CONFIG_KERNEL_MCS
    return seL4_NBSendRecv(send, info, recv, badge, reply);
#else
    (void)send, (void)info, (void)recv, (void)badge, (void)reply;
    ZF_LOGF("NBSendRecv needs an MCS kernel");
    return seL4_MessageInfo_new(0, 0, 0, 0);
#endif
}

static inline seL4_MessageInfo_t api_nbsend_wait(seL4_CPtr send, seL4_MessageInfo_t info, seL4_CPtr recv,
                                                 seL4_Word *badge)
{
#ifdef CONFIG_KERNEL_MCS
    return seL4_NBSendWait(send, info, recv, badge);
#else
    (void)send, (void)info, (void)recv, (void)badge;
    ZF_LOGF("NBSendWait needs an MCS kernel");
    return seL4_MessageInfo_new(0, 0, 0, 0);
#endif
}

/* Fault endpoint, CSpace, VSpace and IPC buffer of a TCB in one go; on MCS also its timeout
 * endpoint and scheduling context (each only when given, i.e. not seL4_CapNull). */
static inline seL4_Error api_tcb_configure(seL4_CPtr tcb, seL4_CPtr ep, seL4_CPtr timeout_ep, seL4_CPtr sc,
                                           seL4_CPtr cspace, seL4_Word cdata, seL4_CPtr vspace,
                                           seL4_Word vdata, seL4_Word ipc_buffer_addr,
                                           seL4_CPtr ipc_buffer_cap)
{
#ifdef CONFIG_KERNEL_MCS
    seL4_Error error = seL4_TCB_SetSpace(tcb, ep, cspace, cdata, vspace, vdata);
    if (error == seL4_NoError) {
        error = seL4_TCB_SetIPCBuffer(tcb, ipc_buffer_addr, ipc_buffer_cap);
    }
    if (error == seL4_NoError && timeout_ep != seL4_CapNull) {
        error = seL4_TCB_SetTimeoutEndpoint(tcb, timeout_ep);
    }
    if (error == seL4_NoError && sc != seL4_CapNull) {
        error = seL4_SchedContext_Bind(sc, tcb);
    }
    return error;
#else
    (void)timeout_ep, (void)sc;
    return seL4_TCB_Configure(tcb, ep, cspace, cdata, vspace, vdata, ipc_buffer_addr, ipc_buffer_cap);
#endif
}

static inline seL4_Error api_tcb_set_sched_params(seL4_CPtr tcb, seL4_CPtr auth, seL4_Word prio, seL4_Word mcp,
                                                  seL4_CPtr sc, seL4_CPtr ep)
{
#ifdef CONFIG_KERNEL_MCS
    return seL4_TCB_SetSchedParams(tcb, auth, mcp, prio, sc, ep);
#else
    (void)sc, (void)ep;
    return seL4_TCB_SetSchedParams(tcb, auth, mcp, prio);
#endif
}

static inline seL4_Error api_tcb_set_space(seL4_CPtr tcb, seL4_CPtr ep, seL4_CPtr cspace, seL4_Word cdata,
                                           seL4_CPtr vspace, seL4_Word vdata)
{
    return seL4_TCB_SetSpace(tcb, ep, cspace, cdata, vspace, vdata);
}

static inline seL4_Error api_sc_bind(seL4_CPtr sc, seL4_CPtr tcb)
{
#ifdef CONFIG_KERNEL_MCS
    return seL4_SchedContext_Bind(sc, tcb);
#else
    (void)sc, (void)tcb;
    return (seL4_Error)-ENOSYS;
#endif
}

static inline seL4_Error api_sc_unbind_object(seL4_CPtr sc, seL4_CPtr tcb)
{
#ifdef CONFIG_KERNEL_MCS
    return seL4_SchedContext_UnbindObject(sc, tcb);
#else
    (void)sc, (void)tcb;
    return (seL4_Error)-ENOSYS;
#endif
}

static inline seL4_Error api_sc_unbind(seL4_CPtr sc)
{
#ifdef CONFIG_KERNEL_MCS
    return seL4_SchedContext_Unbind(sc);
#else
    (void)sc;
    return (seL4_Error)-ENOSYS;
#endif
}

static inline seL4_Error api_sched_ctrl_configure(seL4_CPtr sched_ctrl, seL4_CPtr sc, uint64_t budget,
                                                  uint64_t period, seL4_Word refills, seL4_Word badge)
{
#ifdef CONFIG_KERNEL_MCS
    return seL4_SchedControl_Configure(sched_ctrl, sc, budget, period, refills, badge);
#else
    (void)sched_ctrl, (void)sc, (void)budget, (void)period, (void)refills, (void)badge;
    return (seL4_Error)-ENOSYS;
#endif
}
