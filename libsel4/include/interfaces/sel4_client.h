/* User-only: never included by the kernel. */
/*
 * Kernel object invocations of the x86_64 MCS "column A" configuration
 * (ABI sheet §5), with seL4's names, argument order and types.
 *
 * They behave like libsel4's generated stubs: the first four argument words
 * travel in registers (seL4_CallWithMRs), the rest in IPC buffer msg[4..],
 * extra caps in caps_or_badges[]; the result is the reply's label. On error
 * the four register MRs are copied into the IPC buffer, so seL4_GetMR(0..)
 * reads the error details (§6); on success returned values come from the MRs.
 */
#pragma once

#include <sel4/types.h>
#include <sel4/functions.h>
#include <sel4/syscalls.h>

/* --- result structs of invocations that return data --- */

typedef struct seL4_TCB_SetFlags {
    int error;
    seL4_Word flags;
} seL4_TCB_SetFlags_t;

typedef struct seL4_SchedContext_Consumed {
    int error;
    seL4_Time consumed;
} seL4_SchedContext_Consumed_t;

typedef struct seL4_SchedContext_YieldTo {
    int error;
    seL4_Time consumed;
} seL4_SchedContext_YieldTo_t;

typedef struct seL4_X86_Page_GetAddress {
    int error;
    seL4_Word paddr;
} seL4_X86_Page_GetAddress_t;

typedef struct seL4_X86_IOPort_In8 {
    int error;
    seL4_Uint8 result;
} seL4_X86_IOPort_In8_t;

typedef struct seL4_X86_IOPort_In16 {
    int error;
    seL4_Uint16 result;
} seL4_X86_IOPort_In16_t;

typedef struct seL4_X86_IOPort_In32 {
    int error;
    seL4_Uint32 result;
} seL4_X86_IOPort_In32_t;

/* --- internal helpers --- */

/*
 * Call `service` with tag (label, extra_caps, length). mr[] holds the first
 * four message words; MR4.. and the caps must already be in the IPC buffer.
 * On return mr[] holds the reply's MR0..MR3.
 */
LIBSEL4_INLINE_FUNC seL4_Error libsel4_invoke(seL4_CPtr service, seL4_Word label, seL4_Word length,
                                              seL4_Word extra_caps, seL4_Word mr[seL4_FastMessageRegisters])
{
    seL4_MessageInfo_t tag = seL4_MessageInfo_new(label, 0, extra_caps, length);
    seL4_MessageInfo_t reply = seL4_CallWithMRs(service, tag, &mr[0], &mr[1], &mr[2], &mr[3]);
    seL4_Error error = (seL4_Error)seL4_MessageInfo_get_label(reply);

    if (error != seL4_NoError) {
        libsel4_mrs_to_ipc_buffer(mr);
    }
    return error;
}

/* Invocation without arguments or caps. */
LIBSEL4_INLINE_FUNC seL4_Error libsel4_invoke_noargs(seL4_CPtr service, seL4_Word label)
{
    seL4_Word mr[seL4_FastMessageRegisters] = { 0 };

    return libsel4_invoke(service, label, 0, 0, mr);
}

/* Invocation whose only argument is one extra cap. */
LIBSEL4_INLINE_FUNC seL4_Error libsel4_invoke_cap(seL4_CPtr service, seL4_Word label, seL4_CPtr cap)
{
    seL4_Word mr[seL4_FastMessageRegisters] = { 0 };

    seL4_SetCap(0, cap);
    return libsel4_invoke(service, label, 0, 1, mr);
}

/* Invocation without arguments whose reply carries one word in MR0. */
LIBSEL4_INLINE_FUNC seL4_Error libsel4_invoke_word(seL4_CPtr service, seL4_Word label, seL4_Word *result)
{
    seL4_Word mr[seL4_FastMessageRegisters] = { 0 };
    seL4_Error error = libsel4_invoke(service, label, 0, 0, mr);

    *result = (error == seL4_NoError) ? mr[0] : 0;
    return error;
}

#define LIBSEL4_USER_CONTEXT_WORDS (sizeof(seL4_UserContext) / sizeof(seL4_Word))

LIBSEL4_INLINE_FUNC seL4_Word libsel4_bool(seL4_Bool b)
{
    return (seL4_Word)(b & 1);
}

/* --- Untyped --- */

LIBSEL4_INLINE_FUNC seL4_Error seL4_Untyped_Retype(seL4_Untyped _service, seL4_Word type, seL4_Word size_bits,
                                                   seL4_CNode root, seL4_Word node_index, seL4_Word node_depth,
                                                   seL4_Word node_offset, seL4_Word num_objects)
{
    seL4_Word mr[seL4_FastMessageRegisters] = { type, size_bits, node_index, node_depth };

    seL4_SetCap(0, root);
    seL4_SetMR(4, node_offset);
    seL4_SetMR(5, num_objects);
    return libsel4_invoke(_service, UntypedRetype, 6, 1, mr);
}

/* --- TCB --- */

/* Reads the first `count` words of the target's seL4_UserContext. */
LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_ReadRegisters(seL4_TCB _service, seL4_Bool suspend_source, seL4_Uint8 arch_flags,
                                                      seL4_Word count, seL4_UserContext *regs)
{
    seL4_Word mr[seL4_FastMessageRegisters] = {
        libsel4_bool(suspend_source) | ((seL4_Word)arch_flags << 8), count, 0, 0
    };
    seL4_Error error = libsel4_invoke(_service, TCBReadRegisters, 2, 0, mr);

    if (error == seL4_NoError) {
        for (seL4_Word i = 0; i < count && i < LIBSEL4_USER_CONTEXT_WORDS; i++) {
            *libsel4_user_context_word(regs, i) = i < seL4_FastMessageRegisters ? mr[i] : seL4_GetMR((int)i);
        }
    }
    return error;
}

/*
 * Writes the first `count` words of regs. Like libsel4 16.0.0 the tag always
 * says 2 + 20 = 22 words, but only MR2 .. MR(count + 1) are filled in.
 */
LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_WriteRegisters(seL4_TCB _service, seL4_Bool resume_target, seL4_Uint8 arch_flags,
                                                       seL4_Word count, seL4_UserContext *regs)
{
    seL4_Word mr[seL4_FastMessageRegisters] = {
        libsel4_bool(resume_target) | ((seL4_Word)arch_flags << 8), count, 0, 0
    };

    for (seL4_Word i = 0; i < count && i < LIBSEL4_USER_CONTEXT_WORDS; i++) {
        seL4_Word value = *libsel4_user_context_word(regs, i);

        if (2 + i < seL4_FastMessageRegisters) {
            mr[2 + i] = value;
        } else {
            seL4_SetMR((int)(2 + i), value);
        }
    }
    return libsel4_invoke(_service, TCBWriteRegisters, 2 + LIBSEL4_USER_CONTEXT_WORDS, 0, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_CopyRegisters(seL4_TCB _service, seL4_TCB source, seL4_Bool suspend_source,
                                                      seL4_Bool resume_target, seL4_Bool transfer_frame,
                                                      seL4_Bool transfer_integer, seL4_Uint8 arch_flags)
{
    seL4_Word mr[seL4_FastMessageRegisters] = {
        libsel4_bool(suspend_source) | (libsel4_bool(resume_target) << 1) | (libsel4_bool(transfer_frame) << 2)
        | (libsel4_bool(transfer_integer) << 3) | ((seL4_Word)arch_flags << 8),
        0, 0, 0
    };

    seL4_SetCap(0, source);
    return libsel4_invoke(_service, TCBCopyRegisters, 1, 1, mr);
}

/* MCS form: no fault endpoint, priority or scheduling context here. */
LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_Configure(seL4_TCB _service, seL4_CNode cspace_root, seL4_Word cspace_root_data,
                                                  seL4_CPtr vspace_root, seL4_Word vspace_root_data, seL4_Word buffer,
                                                  seL4_CPtr bufferFrame)
{
    seL4_Word mr[seL4_FastMessageRegisters] = { cspace_root_data, vspace_root_data, buffer, 0 };

    seL4_SetCap(0, cspace_root);
    seL4_SetCap(1, vspace_root);
    seL4_SetCap(2, bufferFrame);
    return libsel4_invoke(_service, TCBConfigure, 3, 3, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_SetPriority(seL4_TCB _service, seL4_TCB authority, seL4_Word priority)
{
    seL4_Word mr[seL4_FastMessageRegisters] = { priority, 0, 0, 0 };

    seL4_SetCap(0, authority);
    return libsel4_invoke(_service, TCBSetPriority, 1, 1, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_SetMCPriority(seL4_TCB _service, seL4_TCB authority, seL4_Word mcp)
{
    seL4_Word mr[seL4_FastMessageRegisters] = { mcp, 0, 0, 0 };

    seL4_SetCap(0, authority);
    return libsel4_invoke(_service, TCBSetMCPriority, 1, 1, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_SetSchedParams(seL4_TCB _service, seL4_TCB authority, seL4_Word mcp,
                                                       seL4_Word priority, seL4_CPtr sched_context, seL4_CPtr fault_ep)
{
    seL4_Word mr[seL4_FastMessageRegisters] = { mcp, priority, 0, 0 };

    seL4_SetCap(0, authority);
    seL4_SetCap(1, sched_context);
    seL4_SetCap(2, fault_ep);
    return libsel4_invoke(_service, TCBSetSchedParams, 2, 3, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_SetTimeoutEndpoint(seL4_TCB _service, seL4_CPtr timeout_fault_ep)
{
    return libsel4_invoke_cap(_service, TCBSetTimeoutEndpoint, timeout_fault_ep);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_SetIPCBuffer(seL4_TCB _service, seL4_Word buffer, seL4_CPtr bufferFrame)
{
    seL4_Word mr[seL4_FastMessageRegisters] = { buffer, 0, 0, 0 };

    seL4_SetCap(0, bufferFrame);
    return libsel4_invoke(_service, TCBSetIPCBuffer, 1, 1, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_SetSpace(seL4_TCB _service, seL4_CPtr fault_ep, seL4_CNode cspace_root,
                                                 seL4_Word cspace_root_data, seL4_CPtr vspace_root,
                                                 seL4_Word vspace_root_data)
{
    seL4_Word mr[seL4_FastMessageRegisters] = { cspace_root_data, vspace_root_data, 0, 0 };

    seL4_SetCap(0, fault_ep);
    seL4_SetCap(1, cspace_root);
    seL4_SetCap(2, vspace_root);
    return libsel4_invoke(_service, TCBSetSpace, 2, 3, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_Suspend(seL4_TCB _service)
{
    return libsel4_invoke_noargs(_service, TCBSuspend);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_Resume(seL4_TCB _service)
{
    return libsel4_invoke_noargs(_service, TCBResume);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_BindNotification(seL4_TCB _service, seL4_CPtr notification)
{
    return libsel4_invoke_cap(_service, TCBBindNotification, notification);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_UnbindNotification(seL4_TCB _service)
{
    return libsel4_invoke_noargs(_service, TCBUnbindNotification);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_SetTLSBase(seL4_TCB _service, seL4_Word tls_base)
{
    seL4_Word mr[seL4_FastMessageRegisters] = { tls_base, 0, 0, 0 };

    return libsel4_invoke(_service, TCBSetTLSBase, 1, 0, mr);
}

/* Clears, then sets, TCB flags (seL4_TCBFlag); returns the resulting flags. */
LIBSEL4_INLINE_FUNC seL4_TCB_SetFlags_t seL4_TCB_SetFlags(seL4_TCB _service, seL4_Word clear, seL4_Word set)
{
    seL4_Word mr[seL4_FastMessageRegisters] = { clear, set, 0, 0 };
    seL4_TCB_SetFlags_t result = { 0, 0 };

    result.error = libsel4_invoke(_service, TCBSetFlags, 2, 0, mr);
    if (result.error == seL4_NoError) {
        result.flags = mr[0];
    }
    return result;
}

/* --- CNode: slots are (index, depth) resolved from the invoked CNode --- */

LIBSEL4_INLINE_FUNC seL4_Error libsel4_cnode_slot_op(seL4_CNode service, seL4_Word label, seL4_Word index,
                                                     seL4_Uint8 depth)
{
    seL4_Word mr[seL4_FastMessageRegisters] = { index, depth, 0, 0 };

    return libsel4_invoke(service, label, 2, 0, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_CNode_Revoke(seL4_CNode _service, seL4_Word index, seL4_Uint8 depth)
{
    return libsel4_cnode_slot_op(_service, CNodeRevoke, index, depth);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_CNode_Delete(seL4_CNode _service, seL4_Word index, seL4_Uint8 depth)
{
    return libsel4_cnode_slot_op(_service, CNodeDelete, index, depth);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_CNode_CancelBadgedSends(seL4_CNode _service, seL4_Word index, seL4_Uint8 depth)
{
    return libsel4_cnode_slot_op(_service, CNodeCancelBadgedSends, index, depth);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_CNode_Copy(seL4_CNode _service, seL4_Word dest_index, seL4_Uint8 dest_depth,
                                               seL4_CNode src_root, seL4_Word src_index, seL4_Uint8 src_depth,
                                               seL4_CapRights_t rights)
{
    seL4_Word mr[seL4_FastMessageRegisters] = { dest_index, dest_depth, src_index, src_depth };

    seL4_SetCap(0, src_root);
    seL4_SetMR(4, rights.words[0]);
    return libsel4_invoke(_service, CNodeCopy, 5, 1, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_CNode_Mint(seL4_CNode _service, seL4_Word dest_index, seL4_Uint8 dest_depth,
                                               seL4_CNode src_root, seL4_Word src_index, seL4_Uint8 src_depth,
                                               seL4_CapRights_t rights, seL4_Word badge)
{
    seL4_Word mr[seL4_FastMessageRegisters] = { dest_index, dest_depth, src_index, src_depth };

    seL4_SetCap(0, src_root);
    seL4_SetMR(4, rights.words[0]);
    seL4_SetMR(5, badge);
    return libsel4_invoke(_service, CNodeMint, 6, 1, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_CNode_Move(seL4_CNode _service, seL4_Word dest_index, seL4_Uint8 dest_depth,
                                               seL4_CNode src_root, seL4_Word src_index, seL4_Uint8 src_depth)
{
    seL4_Word mr[seL4_FastMessageRegisters] = { dest_index, dest_depth, src_index, src_depth };

    seL4_SetCap(0, src_root);
    return libsel4_invoke(_service, CNodeMove, 4, 1, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_CNode_Mutate(seL4_CNode _service, seL4_Word dest_index, seL4_Uint8 dest_depth,
                                                 seL4_CNode src_root, seL4_Word src_index, seL4_Uint8 src_depth,
                                                 seL4_Word badge)
{
    seL4_Word mr[seL4_FastMessageRegisters] = { dest_index, dest_depth, src_index, src_depth };

    seL4_SetCap(0, src_root);
    seL4_SetMR(4, badge);
    return libsel4_invoke(_service, CNodeMutate, 5, 1, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_CNode_Rotate(seL4_CNode _service, seL4_Word dest_index, seL4_Uint8 dest_depth,
                                                 seL4_Word dest_badge, seL4_CNode pivot_root, seL4_Word pivot_index,
                                                 seL4_Uint8 pivot_depth, seL4_Word pivot_badge, seL4_CNode src_root,
                                                 seL4_Word src_index, seL4_Uint8 src_depth)
{
    seL4_Word mr[seL4_FastMessageRegisters] = { dest_index, dest_depth, dest_badge, pivot_index };

    seL4_SetCap(0, pivot_root);
    seL4_SetCap(1, src_root);
    seL4_SetMR(4, pivot_depth);
    seL4_SetMR(5, pivot_badge);
    seL4_SetMR(6, src_index);
    seL4_SetMR(7, src_depth);
    return libsel4_invoke(_service, CNodeRotate, 8, 2, mr);
}

/* --- IRQControl / IRQHandler --- */

/* Refused (IllegalOperation) by an IOAPIC kernel: use GetIOAPIC or GetMSI. */
LIBSEL4_INLINE_FUNC seL4_Error seL4_IRQControl_Get(seL4_IRQControl _service, seL4_Word irq, seL4_CNode root,
                                                   seL4_Word index, seL4_Uint8 depth)
{
    seL4_Word mr[seL4_FastMessageRegisters] = { irq, index, depth, 0 };

    seL4_SetCap(0, root);
    return libsel4_invoke(_service, IRQIssueIRQHandler, 3, 1, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_IRQControl_GetIOAPIC(seL4_IRQControl _service, seL4_CNode root, seL4_Word index,
                                                         seL4_Uint8 depth, seL4_Word ioapic, seL4_Word pin,
                                                         seL4_Word level, seL4_Word polarity, seL4_Word vector)
{
    seL4_Word mr[seL4_FastMessageRegisters] = { index, depth, ioapic, pin };

    seL4_SetCap(0, root);
    seL4_SetMR(4, level);
    seL4_SetMR(5, polarity);
    seL4_SetMR(6, vector);
    return libsel4_invoke(_service, X86IRQIssueIRQHandlerIOAPIC, 7, 1, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_IRQControl_GetMSI(seL4_IRQControl _service, seL4_CNode root, seL4_Word index,
                                                      seL4_Uint8 depth, seL4_Word pci_bus, seL4_Word pci_dev,
                                                      seL4_Word pci_func, seL4_Word handle, seL4_Word vector)
{
    seL4_Word mr[seL4_FastMessageRegisters] = { index, depth, pci_bus, pci_dev };

    seL4_SetCap(0, root);
    seL4_SetMR(4, pci_func);
    seL4_SetMR(5, handle);
    seL4_SetMR(6, vector);
    return libsel4_invoke(_service, X86IRQIssueIRQHandlerMSI, 7, 1, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_IRQHandler_Ack(seL4_IRQHandler _service)
{
    return libsel4_invoke_noargs(_service, IRQAckIRQ);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_IRQHandler_SetNotification(seL4_IRQHandler _service, seL4_CPtr notification)
{
    return libsel4_invoke_cap(_service, IRQSetIRQHandler, notification);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_IRQHandler_Clear(seL4_IRQHandler _service)
{
    return libsel4_invoke_noargs(_service, IRQClearIRQHandler);
}

/* --- DomainSet --- */

LIBSEL4_INLINE_FUNC seL4_Error seL4_DomainSet_Set(seL4_DomainSet _service, seL4_Uint8 domain, seL4_TCB thread)
{
    seL4_Word mr[seL4_FastMessageRegisters] = { domain, 0, 0, 0 };

    seL4_SetCap(0, thread);
    return libsel4_invoke(_service, DomainSetSet, 1, 1, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_DomainSet_ScheduleConfigure(seL4_DomainSet _service, seL4_Word index,
                                                                seL4_Uint8 domain, seL4_Time duration)
{
    seL4_Word mr[seL4_FastMessageRegisters] = { index, domain, duration, 0 };

    return libsel4_invoke(_service, DomainScheduleConfigure, 3, 0, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_DomainSet_ScheduleSetStart(seL4_DomainSet _service, seL4_Word index)
{
    seL4_Word mr[seL4_FastMessageRegisters] = { index, 0, 0, 0 };

    return libsel4_invoke(_service, DomainScheduleSetStart, 1, 0, mr);
}

/* --- SchedControl / SchedContext (times in microseconds) --- */

LIBSEL4_INLINE_FUNC seL4_Error seL4_SchedControl_ConfigureFlags(seL4_SchedControl _service,
                                                                seL4_SchedContext schedcontext, seL4_Time budget,
                                                                seL4_Time period, seL4_Word extra_refills,
                                                                seL4_Word badge, seL4_Word flags)
{
    seL4_Word mr[seL4_FastMessageRegisters] = { budget, period, extra_refills, badge };

    seL4_SetCap(0, schedcontext);
    seL4_SetMR(4, flags);
    return libsel4_invoke(_service, SchedControlConfigureFlags, 5, 1, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_SchedControl_Configure(seL4_SchedControl _service, seL4_SchedContext schedcontext,
                                                           seL4_Time budget, seL4_Time period,
                                                           seL4_Word extra_refills, seL4_Word badge)
{
    return seL4_SchedControl_ConfigureFlags(_service, schedcontext, budget, period, extra_refills, badge,
                                            seL4_SchedContext_NoFlag);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_SchedContext_Bind(seL4_SchedContext _service, seL4_CPtr cap)
{
    return libsel4_invoke_cap(_service, SchedContextBind, cap);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_SchedContext_Unbind(seL4_SchedContext _service)
{
    return libsel4_invoke_noargs(_service, SchedContextUnbind);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_SchedContext_UnbindObject(seL4_SchedContext _service, seL4_CPtr cap)
{
    return libsel4_invoke_cap(_service, SchedContextUnbindObject, cap);
}

LIBSEL4_INLINE_FUNC seL4_SchedContext_Consumed_t seL4_SchedContext_Consumed(seL4_SchedContext _service)
{
    seL4_SchedContext_Consumed_t result = { 0, 0 };

    result.error = libsel4_invoke_word(_service, SchedContextConsumed, &result.consumed);
    return result;
}

LIBSEL4_INLINE_FUNC seL4_SchedContext_YieldTo_t seL4_SchedContext_YieldTo(seL4_SchedContext _service)
{
    seL4_SchedContext_YieldTo_t result = { 0, 0 };

    result.error = libsel4_invoke_word(_service, SchedContextYieldTo, &result.consumed);
    return result;
}

/* --- x86 paging structures and frames --- */

/* PDPT, page directory and page table maps share one message shape. */
LIBSEL4_INLINE_FUNC seL4_Error libsel4_x86_table_map(seL4_CPtr service, seL4_Word label, seL4_CPtr vspace,
                                                     seL4_Word vaddr, seL4_X86_VMAttributes attr)
{
    seL4_Word mr[seL4_FastMessageRegisters] = { vaddr, (seL4_Word)attr, 0, 0 };

    seL4_SetCap(0, vspace);
    return libsel4_invoke(service, label, 2, 1, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_X86_PDPT_Map(seL4_X86_PDPT _service, seL4_X64_PML4 pml4, seL4_Word vaddr,
                                                 seL4_X86_VMAttributes attr)
{
    return libsel4_x86_table_map(_service, X86PDPTMap, pml4, vaddr, attr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_X86_PDPT_Unmap(seL4_X86_PDPT _service)
{
    return libsel4_invoke_noargs(_service, X86PDPTUnmap);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_X86_PageDirectory_Map(seL4_X86_PageDirectory _service, seL4_CPtr vspace,
                                                          seL4_Word vaddr, seL4_X86_VMAttributes attr)
{
    return libsel4_x86_table_map(_service, X86PageDirectoryMap, vspace, vaddr, attr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_X86_PageDirectory_Unmap(seL4_X86_PageDirectory _service)
{
    return libsel4_invoke_noargs(_service, X86PageDirectoryUnmap);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_X86_PageTable_Map(seL4_X86_PageTable _service, seL4_CPtr vspace, seL4_Word vaddr,
                                                      seL4_X86_VMAttributes attr)
{
    return libsel4_x86_table_map(_service, X86PageTableMap, vspace, vaddr, attr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_X86_PageTable_Unmap(seL4_X86_PageTable _service)
{
    return libsel4_invoke_noargs(_service, X86PageTableUnmap);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_X86_Page_Map(seL4_X86_Page _service, seL4_CPtr vspace, seL4_Word vaddr,
                                                 seL4_CapRights_t rights, seL4_X86_VMAttributes attr)
{
    seL4_Word mr[seL4_FastMessageRegisters] = { vaddr, rights.words[0], (seL4_Word)attr, 0 };

    seL4_SetCap(0, vspace);
    return libsel4_invoke(_service, X86PageMap, 3, 1, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_X86_Page_Unmap(seL4_X86_Page _service)
{
    return libsel4_invoke_noargs(_service, X86PageUnmap);
}

/* The frame's physical address. */
LIBSEL4_INLINE_FUNC seL4_X86_Page_GetAddress_t seL4_X86_Page_GetAddress(seL4_X86_Page _service)
{
    seL4_X86_Page_GetAddress_t result = { 0, 0 };

    result.error = libsel4_invoke_word(_service, X86PageGetAddress, &result.paddr);
    return result;
}

/* --- x86 ASIDs --- */

LIBSEL4_INLINE_FUNC seL4_Error seL4_X86_ASIDControl_MakePool(seL4_X86_ASIDControl _service, seL4_Untyped untyped,
                                                             seL4_CNode root, seL4_Word index, seL4_Uint8 depth)
{
    seL4_Word mr[seL4_FastMessageRegisters] = { index, depth, 0, 0 };

    seL4_SetCap(0, untyped);
    seL4_SetCap(1, root);
    return libsel4_invoke(_service, X86ASIDControlMakePool, 2, 2, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_X86_ASIDPool_Assign(seL4_X86_ASIDPool _service, seL4_CPtr vspace)
{
    return libsel4_invoke_cap(_service, X86ASIDPoolAssign, vspace);
}

/* --- x86 I/O ports --- */

LIBSEL4_INLINE_FUNC seL4_Error seL4_X86_IOPortControl_Issue(seL4_X86_IOPortControl _service, seL4_Word first_port,
                                                            seL4_Word last_port, seL4_CNode root, seL4_Word index,
                                                            seL4_Uint8 depth)
{
    seL4_Word mr[seL4_FastMessageRegisters] = { first_port, last_port, index, depth };

    seL4_SetCap(0, root);
    return libsel4_invoke(_service, X86IOPortControlIssue, 4, 1, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error libsel4_x86_ioport_in(seL4_X86_IOPort service, seL4_Word label, seL4_Uint16 port,
                                                     seL4_Word *value)
{
    seL4_Word mr[seL4_FastMessageRegisters] = { port, 0, 0, 0 };
    seL4_Error error = libsel4_invoke(service, label, 1, 0, mr);

    *value = (error == seL4_NoError) ? mr[0] : 0;
    return error;
}

LIBSEL4_INLINE_FUNC seL4_Error libsel4_x86_ioport_out(seL4_X86_IOPort service, seL4_Word label, seL4_Word port,
                                                      seL4_Word data)
{
    seL4_Word mr[seL4_FastMessageRegisters] = { port, data, 0, 0 };

    return libsel4_invoke(service, label, 2, 0, mr);
}

LIBSEL4_INLINE_FUNC seL4_X86_IOPort_In8_t seL4_X86_IOPort_In8(seL4_X86_IOPort _service, seL4_Uint16 port)
{
    seL4_X86_IOPort_In8_t result = { 0, 0 };
    seL4_Word value;

    result.error = libsel4_x86_ioport_in(_service, X86IOPortIn8, port, &value);
    result.result = (seL4_Uint8)value;
    return result;
}

LIBSEL4_INLINE_FUNC seL4_X86_IOPort_In16_t seL4_X86_IOPort_In16(seL4_X86_IOPort _service, seL4_Uint16 port)
{
    seL4_X86_IOPort_In16_t result = { 0, 0 };
    seL4_Word value;

    result.error = libsel4_x86_ioport_in(_service, X86IOPortIn16, port, &value);
    result.result = (seL4_Uint16)value;
    return result;
}

LIBSEL4_INLINE_FUNC seL4_X86_IOPort_In32_t seL4_X86_IOPort_In32(seL4_X86_IOPort _service, seL4_Uint16 port)
{
    seL4_X86_IOPort_In32_t result = { 0, 0 };
    seL4_Word value;

    result.error = libsel4_x86_ioport_in(_service, X86IOPortIn32, port, &value);
    result.result = (seL4_Uint32)value;
    return result;
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_X86_IOPort_Out8(seL4_X86_IOPort _service, seL4_Word port, seL4_Word data)
{
    return libsel4_x86_ioport_out(_service, X86IOPortOut8, port, data);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_X86_IOPort_Out16(seL4_X86_IOPort _service, seL4_Word port, seL4_Word data)
{
    return libsel4_x86_ioport_out(_service, X86IOPortOut16, port, data);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_X86_IOPort_Out32(seL4_X86_IOPort _service, seL4_Word port, seL4_Word data)
{
    return libsel4_x86_ioport_out(_service, X86IOPortOut32, port, data);
}
