/* User-only: never included by the kernel (uses the thread-local IPC buffer pointer). */
/* Access to the calling thread's IPC buffer. */
#pragma once

#include <sel4/types.h>

/* Defined by the runtime; set to bootinfo->ipcBuffer (root task) or by seL4_SetIPCBuffer. */
#ifdef CONFIG_LIB_SEL4_USE_THREAD_LOCALS
extern __thread seL4_IPCBuffer *__sel4_ipc_buffer;
#else
extern seL4_IPCBuffer *__sel4_ipc_buffer;
#endif

LIBSEL4_INLINE_FUNC void seL4_SetIPCBuffer(seL4_IPCBuffer *ipc_buffer)
{
    __sel4_ipc_buffer = ipc_buffer;
}

LIBSEL4_INLINE_FUNC seL4_IPCBuffer *seL4_GetIPCBuffer(void)
{
    return __sel4_ipc_buffer;
}

LIBSEL4_INLINE_FUNC seL4_Word seL4_GetMR(int i)
{
    return seL4_GetIPCBuffer()->msg[i];
}

LIBSEL4_INLINE_FUNC void seL4_SetMR(int i, seL4_Word mr)
{
    seL4_GetIPCBuffer()->msg[i] = mr;
}

LIBSEL4_INLINE_FUNC seL4_Word seL4_GetUserData(void)
{
    return seL4_GetIPCBuffer()->userData;
}

LIBSEL4_INLINE_FUNC void seL4_SetUserData(seL4_Word data)
{
    seL4_GetIPCBuffer()->userData = data;
}

/* Badge of the i-th received cap that the kernel unwrapped (capsUnwrapped bit i). */
LIBSEL4_INLINE_FUNC seL4_Word seL4_GetBadge(int i)
{
    return seL4_GetIPCBuffer()->caps_or_badges[i];
}

LIBSEL4_INLINE_FUNC seL4_CPtr seL4_GetCap(int i)
{
    return (seL4_CPtr)seL4_GetIPCBuffer()->caps_or_badges[i];
}

/* i-th extra cap of the next message sent (and extraCaps in its tag). */
LIBSEL4_INLINE_FUNC void seL4_SetCap(int i, seL4_CPtr cptr)
{
    seL4_GetIPCBuffer()->caps_or_badges[i] = (seL4_Word)cptr;
}

LIBSEL4_INLINE_FUNC void seL4_GetCapReceivePath(seL4_CPtr *receiveCNode, seL4_CPtr *receiveIndex,
                                                seL4_Word *receiveDepth)
{
    seL4_IPCBuffer *ipc = seL4_GetIPCBuffer();

    if (receiveCNode != seL4_Null) {
        *receiveCNode = ipc->receiveCNode;
    }
    if (receiveIndex != seL4_Null) {
        *receiveIndex = ipc->receiveIndex;
    }
    if (receiveDepth != seL4_Null) {
        *receiveDepth = ipc->receiveDepth;
    }
}

/* Slot where a received cap lands; the kernel resolves receiveCNode at depth 64. */
LIBSEL4_INLINE_FUNC void seL4_SetCapReceivePath(seL4_CPtr receiveCNode, seL4_CPtr receiveIndex,
                                                seL4_Word receiveDepth)
{
    seL4_IPCBuffer *ipc = seL4_GetIPCBuffer();

    ipc->receiveCNode = receiveCNode;
    ipc->receiveIndex = receiveIndex;
    ipc->receiveDepth = receiveDepth;
}

/*
 * Internal helpers shared by the syscall stubs and invocation wrappers.
 * MR0..MR3 travel in registers; these move them between a register image
 * (an array of 4 words) and either the IPC buffer or caller-supplied pointers.
 */
LIBSEL4_INLINE_FUNC void libsel4_mrs_from_ipc_buffer(seL4_Word mr[seL4_FastMessageRegisters])
{
    for (int i = 0; i < seL4_FastMessageRegisters; i++) {
        mr[i] = seL4_GetMR(i);
    }
}

LIBSEL4_INLINE_FUNC void libsel4_mrs_to_ipc_buffer(const seL4_Word mr[seL4_FastMessageRegisters])
{
    for (int i = 0; i < seL4_FastMessageRegisters; i++) {
        seL4_SetMR(i, mr[i]);
    }
}

/* *WithMRs stubs send *p only if the pointer is set and the message is longer than i words. */
LIBSEL4_INLINE_FUNC seL4_Word libsel4_mr_from_ptr(const seL4_Word *p, seL4_MessageInfo_t info, seL4_Word i)
{
    return (p != seL4_Null && seL4_MessageInfo_get_length(info) > i) ? *p : 0;
}

LIBSEL4_INLINE_FUNC void libsel4_mr_to_ptr(seL4_Word *p, seL4_Word value)
{
    if (p != seL4_Null) {
        *p = value;
    }
}

LIBSEL4_INLINE_FUNC void libsel4_mrs_from_ptrs(seL4_Word mr[seL4_FastMessageRegisters], seL4_MessageInfo_t info,
                                               seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    mr[0] = libsel4_mr_from_ptr(mr0, info, 0);
    mr[1] = libsel4_mr_from_ptr(mr1, info, 1);
    mr[2] = libsel4_mr_from_ptr(mr2, info, 2);
    mr[3] = libsel4_mr_from_ptr(mr3, info, 3);
}

LIBSEL4_INLINE_FUNC void libsel4_mrs_to_ptrs(const seL4_Word mr[seL4_FastMessageRegisters],
                                             seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    libsel4_mr_to_ptr(mr0, mr[0]);
    libsel4_mr_to_ptr(mr1, mr[1]);
    libsel4_mr_to_ptr(mr2, mr[2]);
    libsel4_mr_to_ptr(mr3, mr[3]);
}

/* Word i of a seL4_UserContext, in the kernel's transfer order (§12.1). */
LIBSEL4_INLINE_FUNC seL4_Word *libsel4_user_context_word(seL4_UserContext *regs, seL4_Word i)
{
    return (seL4_Word *)(void *)((char *)regs + i * sizeof(seL4_Word));
}
