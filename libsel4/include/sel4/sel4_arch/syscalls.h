/* User-only: never included by the kernel (inline asm, IPC buffer access). */
/*
 * x86_64 MCS system calls through the `syscall` instruction (ABI sheet §1.2):
 *
 *   RDX  syscall number                  R10, R8, R9, R15  MR0..MR3 (in and out)
 *   RDI  cap / badge out                 R12  reply cap (NBSendWait: destination)
 *   RSI  MessageInfo (in and out)        R13  NBSendRecv destination
 *
 * The kernel does not save RSP on this path, so RSP is parked in RBX, which
 * the kernel preserves. RCX and R11 are destroyed by syscall/sysret. The
 * clobber and output lists are libsel4's, so binaries built from these stubs
 * rely on exactly the registers real libsel4 binaries rely on. One deviation:
 * send-type calls also clobber "memory", so that MRs and caps stored into the
 * IPC buffer are really written before the kernel reads them.
 */
#pragma once

#include <sel4/types.h>
#include <sel4/functions.h>

#if !defined(CONFIG_KERNEL_MCS) || !defined(CONFIG_SYSCALL)
#error "these stubs implement the MCS syscall set entered with the syscall instruction"
#endif

#define LIBSEL4_X64_SYSCALL  \
    "movq %%rsp, %%rbx\n\t"  \
    "syscall\n\t"            \
    "movq %%rbx, %%rsp"

/*
 * Register operands are bound through local register variables, copied from
 * and to plain locals right next to the asm statement so that no other code
 * runs while they are live (as GCC requires).
 */

/* Send-type: the kernel returns nothing and must preserve RDI, RSI and MR0..MR3. */
LIBSEL4_INLINE_FUNC void libsel4_x64_send(seL4_Syscall_ID sys, seL4_Word dest, seL4_Word info,
                                          const seL4_Word mr[seL4_FastMessageRegisters])
{
    seL4_Word m0 = mr[0], m1 = mr[1], m2 = mr[2], m3 = mr[3];
    register seL4_Word r10 __asm__("r10") = m0;
    register seL4_Word r8 __asm__("r8") = m1;
    register seL4_Word r9 __asm__("r9") = m2;
    register seL4_Word r15 __asm__("r15") = m3;

    __asm__ volatile(LIBSEL4_X64_SYSCALL
                     :
                     : "d"((seL4_Word)sys), "D"(dest), "S"(info), "r"(r10), "r"(r8), "r"(r9), "r"(r15)
                     : "rbx", "rcx", "r11", "memory");
}

/*
 * Receive-type (Call, Recv, ReplyRecv, NBSendRecv, ...): RDI comes back as
 * the badge, RSI as the received MessageInfo, MR0..MR3 as received.
 */
LIBSEL4_INLINE_FUNC seL4_MessageInfo_t libsel4_x64_ipc(seL4_Syscall_ID sys, seL4_Word cap, seL4_MessageInfo_t info,
                                                       seL4_Word mr[seL4_FastMessageRegisters],
                                                       seL4_Word reply, seL4_Word nbsend_dest,
                                                       seL4_Word *badge)
{
    seL4_Word rdi = cap, rsi = info.words[0];
    seL4_Word m0 = mr[0], m1 = mr[1], m2 = mr[2], m3 = mr[3];
    register seL4_Word r10 __asm__("r10") = m0;
    register seL4_Word r8 __asm__("r8") = m1;
    register seL4_Word r9 __asm__("r9") = m2;
    register seL4_Word r15 __asm__("r15") = m3;
    register seL4_Word r12 __asm__("r12") = reply;
    register seL4_Word r13 __asm__("r13") = nbsend_dest;

    __asm__ volatile(LIBSEL4_X64_SYSCALL
                     : "+D"(rdi), "+S"(rsi), "+r"(r10), "+r"(r8), "+r"(r9), "+r"(r15)
                     : "d"((seL4_Word)sys), "r"(r12), "r"(r13)
                     : "rbx", "rcx", "r11", "memory");
    m0 = r10;
    m1 = r8;
    m2 = r9;
    m3 = r15;

    mr[0] = m0;
    mr[1] = m1;
    mr[2] = m2;
    mr[3] = m3;
    if (badge != seL4_Null) {
        *badge = rdi;
    }
    info.words[0] = rsi;
    return info;
}

/* No arguments, no results; like libsel4 the kernel may change RDI and RSI. */
LIBSEL4_INLINE_FUNC void libsel4_x64_null(seL4_Syscall_ID sys)
{
    __asm__ volatile(LIBSEL4_X64_SYSCALL
                     :
                     : "d"((seL4_Word)sys)
                     : "rbx", "rcx", "rsi", "rdi", "r11", "memory");
}

/* --- the two MR conventions, on top of the register-level calls --- */

/* seL4_Send(dest, info): MR0..MR3 are taken from the IPC buffer. */
LIBSEL4_INLINE_FUNC void libsel4_send_ipc_buffer(seL4_Syscall_ID sys, seL4_CPtr dest, seL4_MessageInfo_t info)
{
    seL4_Word mr[seL4_FastMessageRegisters];

    libsel4_mrs_from_ipc_buffer(mr);
    libsel4_x64_send(sys, dest, info.words[0], mr);
}

LIBSEL4_INLINE_FUNC void libsel4_send_ptrs(seL4_Syscall_ID sys, seL4_CPtr dest, seL4_MessageInfo_t info,
                                           seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    seL4_Word mr[seL4_FastMessageRegisters];

    libsel4_mrs_from_ptrs(mr, info, mr0, mr1, mr2, mr3);
    libsel4_x64_send(sys, dest, info.words[0], mr);
}

/*
 * Receive-type with the IPC buffer as the MR store: MR0..MR3 are loaded from
 * it when the call sends (`sends`) and always stored back into it afterwards,
 * so seL4_GetMR() sees the whole received message.
 */
LIBSEL4_INLINE_FUNC seL4_MessageInfo_t libsel4_ipc_ipc_buffer(seL4_Syscall_ID sys, seL4_CPtr cap, seL4_MessageInfo_t info,
                                                              seL4_Bool sends, seL4_Word *sender,
                                                              seL4_CPtr reply, seL4_CPtr nbsend_dest)
{
    seL4_Word mr[seL4_FastMessageRegisters] = { 0 };

    if (sends) {
        libsel4_mrs_from_ipc_buffer(mr);
    }
    info = libsel4_x64_ipc(sys, cap, info, mr, reply, nbsend_dest, sender);
    libsel4_mrs_to_ipc_buffer(mr);
    return info;
}

/* Receive-type with caller pointers as the MR store (the *WithMRs variants). */
LIBSEL4_INLINE_FUNC seL4_MessageInfo_t libsel4_ipc_ptrs(seL4_Syscall_ID sys, seL4_CPtr cap, seL4_MessageInfo_t info,
                                                        seL4_Word *sender,
                                                        seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3,
                                                        seL4_CPtr reply, seL4_CPtr nbsend_dest)
{
    seL4_Word mr[seL4_FastMessageRegisters];

    libsel4_mrs_from_ptrs(mr, info, mr0, mr1, mr2, mr3);
    info = libsel4_x64_ipc(sys, cap, info, mr, reply, nbsend_dest, sender);
    libsel4_mrs_to_ptrs(mr, mr0, mr1, mr2, mr3);
    return info;
}

/* Receives send nothing: an empty tag makes libsel4_mrs_from_ptrs load no MR. */
#define LIBSEL4_NO_MESSAGE seL4_MessageInfo_new(0, 0, 0, 0)

/* --- IPC --- */

LIBSEL4_INLINE_FUNC void seL4_Send(seL4_CPtr dest, seL4_MessageInfo_t msgInfo)
{
    libsel4_send_ipc_buffer(seL4_SysSend, dest, msgInfo);
}

LIBSEL4_INLINE_FUNC void seL4_SendWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo,
                                          seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    libsel4_send_ptrs(seL4_SysSend, dest, msgInfo, mr0, mr1, mr2, mr3);
}

LIBSEL4_INLINE_FUNC void seL4_NBSend(seL4_CPtr dest, seL4_MessageInfo_t msgInfo)
{
    libsel4_send_ipc_buffer(seL4_SysNBSend, dest, msgInfo);
}

LIBSEL4_INLINE_FUNC void seL4_NBSendWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo,
                                            seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    libsel4_send_ptrs(seL4_SysNBSend, dest, msgInfo, mr0, mr1, mr2, mr3);
}

/* A Send of an empty one-word message; on a notification cap it signals. */
LIBSEL4_INLINE_FUNC void seL4_Signal(seL4_CPtr dest)
{
    const seL4_Word no_mrs[seL4_FastMessageRegisters] = { 0 };

    libsel4_x64_send(seL4_SysSend, dest, seL4_MessageInfo_new(0, 0, 0, 1).words[0], no_mrs);
}

/* Call: the badge register is discarded; R12 is unused and passed as 0. */
LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_Call(seL4_CPtr dest, seL4_MessageInfo_t msgInfo)
{
    return libsel4_ipc_ipc_buffer(seL4_SysCall, dest, msgInfo, seL4_True, seL4_Null, 0, 0);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_CallWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo,
                                                        seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    return libsel4_ipc_ptrs(seL4_SysCall, dest, msgInfo, seL4_Null, mr0, mr1, mr2, mr3, 0, 0);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_Recv(seL4_CPtr src, seL4_Word *sender, seL4_CPtr reply)
{
    return libsel4_ipc_ipc_buffer(seL4_SysRecv, src, LIBSEL4_NO_MESSAGE, seL4_False, sender, reply, 0);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_RecvWithMRs(seL4_CPtr src, seL4_Word *sender,
                                                        seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3,
                                                        seL4_CPtr reply)
{
    return libsel4_ipc_ptrs(seL4_SysRecv, src, LIBSEL4_NO_MESSAGE, sender, mr0, mr1, mr2, mr3, reply, 0);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_NBRecv(seL4_CPtr src, seL4_Word *sender, seL4_CPtr reply)
{
    return libsel4_ipc_ipc_buffer(seL4_SysNBRecv, src, LIBSEL4_NO_MESSAGE, seL4_False, sender, reply, 0);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_NBRecvWithMRs(seL4_CPtr src, seL4_Word *sender,
                                                          seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3,
                                                          seL4_CPtr reply)
{
    return libsel4_ipc_ptrs(seL4_SysNBRecv, src, LIBSEL4_NO_MESSAGE, sender, mr0, mr1, mr2, mr3, reply, 0);
}

/* Wait/NBWait: receive without a reply object (R12 = 0). */
LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_Wait(seL4_CPtr src, seL4_Word *sender)
{
    return libsel4_ipc_ipc_buffer(seL4_SysWait, src, LIBSEL4_NO_MESSAGE, seL4_False, sender, 0, 0);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_WaitWithMRs(seL4_CPtr src, seL4_Word *sender,
                                                        seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    return libsel4_ipc_ptrs(seL4_SysWait, src, LIBSEL4_NO_MESSAGE, sender, mr0, mr1, mr2, mr3, 0, 0);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_NBWait(seL4_CPtr src, seL4_Word *sender)
{
    return libsel4_ipc_ipc_buffer(seL4_SysNBWait, src, LIBSEL4_NO_MESSAGE, seL4_False, sender, 0, 0);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_NBWaitWithMRs(seL4_CPtr src, seL4_Word *sender,
                                                          seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    return libsel4_ipc_ptrs(seL4_SysNBWait, src, LIBSEL4_NO_MESSAGE, sender, mr0, mr1, mr2, mr3, 0, 0);
}

/* ReplyRecv: reply through the reply object in R12, then Recv on src with it. */
LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_ReplyRecv(seL4_CPtr src, seL4_MessageInfo_t msgInfo, seL4_Word *sender,
                                                      seL4_CPtr reply)
{
    return libsel4_ipc_ipc_buffer(seL4_SysReplyRecv, src, msgInfo, seL4_True, sender, reply, 0);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_ReplyRecvWithMRs(seL4_CPtr src, seL4_MessageInfo_t msgInfo, seL4_Word *sender,
                                                             seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3,
                                                             seL4_CPtr reply)
{
    return libsel4_ipc_ptrs(seL4_SysReplyRecv, src, msgInfo, sender, mr0, mr1, mr2, mr3, reply, 0);
}

/* NBSendRecv: NBSend to dest (R13), then Recv on src (RDI) with reply (R12). */
LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_NBSendRecv(seL4_CPtr dest, seL4_MessageInfo_t msgInfo, seL4_CPtr src,
                                                       seL4_Word *sender, seL4_CPtr reply)
{
    return libsel4_ipc_ipc_buffer(seL4_SysNBSendRecv, src, msgInfo, seL4_True, sender, reply, dest);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_NBSendRecvWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo, seL4_CPtr src,
                                                              seL4_Word *sender,
                                                              seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3,
                                                              seL4_CPtr reply)
{
    return libsel4_ipc_ptrs(seL4_SysNBSendRecv, src, msgInfo, sender, mr0, mr1, mr2, mr3, reply, dest);
}

/* NBSendWait: NBSend to dest, which travels in R12 (R13 = 0), then Wait on src. */
LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_NBSendWait(seL4_CPtr dest, seL4_MessageInfo_t msgInfo, seL4_CPtr src,
                                                       seL4_Word *sender)
{
    return libsel4_ipc_ipc_buffer(seL4_SysNBSendWait, src, msgInfo, seL4_True, sender, dest, 0);
}

/*
 * libsel4 quirk reproduced on purpose (ABI sheet §1.2): the WithMRs variant
 * issues ReplyRecv (-2) with RDI = R12 = dest and ignores src. Binaries built
 * with real libsel4 do this, so the kernel sees the same.
 */
LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_NBSendWaitWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo, seL4_CPtr src,
                                                              seL4_Word *sender,
                                                              seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    (void)src;
    return libsel4_ipc_ptrs(seL4_SysReplyRecv, dest, msgInfo, sender, mr0, mr1, mr2, mr3, dest, 0);
}

LIBSEL4_INLINE_FUNC void seL4_Yield(void)
{
    libsel4_x64_null(seL4_SysYield);
}

/* --- debug, benchmark and TLS syscalls (serviced by the unknown-syscall path) --- */

/* Debug calls that take one word in RDI and may return one in RDI. */
LIBSEL4_INLINE_FUNC seL4_Word libsel4_x64_debug(seL4_Syscall_ID sys, seL4_Word arg)
{
    seL4_Word mr[seL4_FastMessageRegisters] = { 0 };
    seL4_Word result = 0;

    libsel4_x64_ipc(sys, arg, LIBSEL4_NO_MESSAGE, mr, 0, 0, &result);
    return result;
}

#ifdef CONFIG_PRINTING
LIBSEL4_INLINE_FUNC void seL4_DebugPutChar(char c)
{
    libsel4_x64_debug(seL4_SysDebugPutChar, (seL4_Word)c);
}

LIBSEL4_INLINE_FUNC void seL4_DebugDumpScheduler(void)
{
    libsel4_x64_debug(seL4_SysDebugDumpScheduler, 0);
}
#endif /* CONFIG_PRINTING */

#ifdef CONFIG_DEBUG_BUILD
LIBSEL4_INLINE_FUNC void seL4_DebugHalt(void)
{
    libsel4_x64_null(seL4_SysDebugHalt);
}

LIBSEL4_INLINE_FUNC void seL4_DebugSnapshot(void)
{
    libsel4_x64_null(seL4_SysDebugSnapshot);
}

/* The kernel's type tag of the cap at cptr (0 = null or lookup failure). */
LIBSEL4_INLINE_FUNC seL4_Uint32 seL4_DebugCapIdentify(seL4_CPtr cap)
{
    return (seL4_Uint32)libsel4_x64_debug(seL4_SysDebugCapIdentify, cap);
}

/*
 * The kernel reads a NUL-terminated name from msg[] (byte offset 8) and halts
 * if none ends within the 960 bytes of msg[], so the copy is cut to fit.
 */
LIBSEL4_INLINE_FUNC void seL4_DebugNameThread(seL4_CPtr tcb, const char *name)
{
    char *dst = (char *)seL4_GetIPCBuffer()->msg;
    seL4_Word max = seL4_MsgMaxLength * sizeof(seL4_Word) - 1;
    seL4_Word i;

    for (i = 0; i < max && name[i] != '\0'; i++) {
        dst[i] = name[i];
    }
    dst[i] = '\0';
    libsel4_x64_debug(seL4_SysDebugNameThread, tcb);
}
#endif /* CONFIG_DEBUG_BUILD */

#ifdef CONFIG_ENABLE_BENCHMARKS
LIBSEL4_INLINE_FUNC void seL4_BenchmarkNullSyscall(void)
{
    libsel4_x64_null(seL4_SysBenchmarkNullSyscall);
}

LIBSEL4_INLINE_FUNC void seL4_BenchmarkFlushCaches(void)
{
    libsel4_x64_null(seL4_SysBenchmarkFlushCaches);
}
#endif /* CONFIG_ENABLE_BENCHMARKS */

#ifdef CONFIG_SET_TLS_BASE_SELF
/* Sets the caller's FS base (TLS); like libsel4 it relies on RDI, RSI and MRs being preserved. */
LIBSEL4_INLINE_FUNC void seL4_SetTLSBase(seL4_Word tls_base)
{
    const seL4_Word no_mrs[seL4_FastMessageRegisters] = { 0 };

    libsel4_x64_send(seL4_SysSetTLSBase, tls_base, 0, no_mrs);
}
#endif /* CONFIG_SET_TLS_BASE_SELF */
