/*
 * Compile-only check: calls every libsel4 syscall stub and invocation wrapper
 * once, so that each one is instantiated (inline asm constraints included).
 * Build freestanding, never link or run it:
 *   gcc -ffreestanding -nostdlib -O2 -Wall -Wextra -Werror -I libsel4/include \
 *       -c tests/host/compile_all_wrappers.c -o /dev/null
 * (add -DCONFIG_ENABLE_BENCHMARKS to cover the benchmark stubs too)
 */
#include <sel4/sel4.h>

seL4_Word sink;

static void use(seL4_Word w)
{
    sink += w;
}

void call_every_syscall(seL4_CPtr cap, seL4_MessageInfo_t info)
{
    seL4_Word badge = 0, m0 = 1, m1 = 2, m2 = 3, m3 = 4;

    seL4_SetIPCBuffer(seL4_GetIPCBuffer());
    seL4_SetMR(0, seL4_GetMR(1));
    seL4_SetUserData(seL4_GetUserData());
    seL4_SetCap(0, seL4_GetCap(1));
    use(seL4_GetBadge(2));
    seL4_CPtr cn, idx;
    seL4_Word depth;
    seL4_GetCapReceivePath(&cn, &idx, &depth);
    seL4_SetCapReceivePath(cn, idx, depth);

    seL4_Send(cap, info);
    seL4_SendWithMRs(cap, info, &m0, &m1, &m2, &m3);
    seL4_NBSend(cap, info);
    seL4_NBSendWithMRs(cap, info, &m0, seL4_Null, &m2, seL4_Null);
    seL4_Signal(cap);
    info = seL4_Call(cap, info);
    info = seL4_CallWithMRs(cap, info, &m0, &m1, &m2, &m3);
    info = seL4_Recv(cap, &badge, cap + 1);
    info = seL4_RecvWithMRs(cap, &badge, &m0, &m1, &m2, &m3, cap + 1);
    info = seL4_NBRecv(cap, &badge, cap + 1);
    info = seL4_NBRecvWithMRs(cap, seL4_Null, &m0, &m1, &m2, &m3, cap + 1);
    info = seL4_Wait(cap, &badge);
    info = seL4_WaitWithMRs(cap, &badge, &m0, &m1, &m2, &m3);
    info = seL4_NBWait(cap, &badge);
    info = seL4_NBWaitWithMRs(cap, &badge, &m0, &m1, &m2, &m3);
    info = seL4_Poll(cap, &badge);
    info = seL4_ReplyRecv(cap, info, &badge, cap + 1);
    info = seL4_ReplyRecvWithMRs(cap, info, &badge, &m0, &m1, &m2, &m3, cap + 1);
    info = seL4_NBSendRecv(cap + 2, info, cap, &badge, cap + 1);
    info = seL4_NBSendRecvWithMRs(cap + 2, info, cap, &badge, &m0, &m1, &m2, &m3, cap + 1);
    info = seL4_NBSendWait(cap + 2, info, cap, &badge);
    info = seL4_NBSendWaitWithMRs(cap + 2, info, cap, &badge, &m0, &m1, &m2, &m3);
    seL4_Yield();

    seL4_DebugPutChar('x');
    seL4_DebugPutString("hello\n");
    seL4_DebugDumpScheduler();
    use(seL4_DebugCapIdentify(cap));
    seL4_DebugNameThread(cap, "thread");
    seL4_DebugSnapshot();
    seL4_SetTLSBase(0x1000);
#ifdef CONFIG_ENABLE_BENCHMARKS
    seL4_BenchmarkNullSyscall();
    seL4_BenchmarkFlushCaches();
#endif
    use(badge + m0 + m1 + m2 + m3 + info.words[0]);
    seL4_DebugHalt();
}

void call_every_invocation(seL4_CPtr c, seL4_Word w)
{
    seL4_UserContext regs = { 0 };
    seL4_Word e = 0;

    e += seL4_Untyped_Retype(c, seL4_EndpointObject, 0, c, 0, 0, w, 1);

    e += seL4_TCB_ReadRegisters(c, 1, 0, w, &regs);
    e += seL4_TCB_WriteRegisters(c, 1, 0, w, &regs);
    e += seL4_TCB_CopyRegisters(c, c, 1, 0, 1, 1, 0);
    e += seL4_TCB_Configure(c, c, 0, c, 0, w, c);
    e += seL4_TCB_SetPriority(c, c, w);
    e += seL4_TCB_SetMCPriority(c, c, w);
    e += seL4_TCB_SetSchedParams(c, c, w, w, c, c);
    e += seL4_TCB_SetTimeoutEndpoint(c, c);
    e += seL4_TCB_SetIPCBuffer(c, w, c);
    e += seL4_TCB_SetSpace(c, c, c, 0, c, 0);
    e += seL4_TCB_Suspend(c);
    e += seL4_TCB_Resume(c);
    e += seL4_TCB_BindNotification(c, c);
    e += seL4_TCB_UnbindNotification(c);
    e += seL4_TCB_SetTLSBase(c, w);
    seL4_TCB_SetFlags_t flags = seL4_TCB_SetFlags(c, seL4_TCBFlag_fpuDisabled, 0);
    e += flags.error + flags.flags;

    e += seL4_CNode_Revoke(c, w, 64);
    e += seL4_CNode_Delete(c, w, 64);
    e += seL4_CNode_CancelBadgedSends(c, w, 64);
    e += seL4_CNode_Copy(c, w, 64, c, w, 64, seL4_AllRights);
    e += seL4_CNode_Mint(c, w, 64, c, w, 64, seL4_CanRead, 7);
    e += seL4_CNode_Move(c, w, 64, c, w, 64);
    e += seL4_CNode_Mutate(c, w, 64, c, w, 64, seL4_CNode_CapData_new(0, 4).words[0]);
    e += seL4_CNode_Rotate(c, w, 64, 1, c, w, 64, 2, c, w, 64);

    e += seL4_IRQControl_Get(c, 1, c, w, 64);
    e += seL4_IRQControl_GetIOAPIC(c, c, w, 64, 0, 2, 0, 0, 5);
    e += seL4_IRQControl_GetMSI(c, c, w, 64, 0, 3, 0, 0, 6);
    e += seL4_IRQHandler_Ack(c);
    e += seL4_IRQHandler_SetNotification(c, c);
    e += seL4_IRQHandler_Clear(c);

    e += seL4_DomainSet_Set(c, 0, c);
    e += seL4_DomainSet_ScheduleConfigure(c, 0, 0, 1000);
    e += seL4_DomainSet_ScheduleSetStart(c, 0);

    e += seL4_SchedControl_ConfigureFlags(c, c, 1000, 2000, 0, 9, seL4_SchedContext_Sporadic);
    e += seL4_SchedControl_Configure(c, c, 1000, 1000, 0, 9);
    e += seL4_SchedContext_Bind(c, c);
    e += seL4_SchedContext_Unbind(c);
    e += seL4_SchedContext_UnbindObject(c, c);
    seL4_SchedContext_Consumed_t consumed = seL4_SchedContext_Consumed(c);
    seL4_SchedContext_YieldTo_t yielded = seL4_SchedContext_YieldTo(c);
    e += consumed.error + consumed.consumed + yielded.error + yielded.consumed;

    e += seL4_X86_PDPT_Map(c, c, w, seL4_X86_Default_VMAttributes);
    e += seL4_X86_PDPT_Unmap(c);
    e += seL4_X86_PageDirectory_Map(c, c, w, seL4_X86_WriteBack);
    e += seL4_X86_PageDirectory_Unmap(c);
    e += seL4_X86_PageTable_Map(c, c, w, seL4_X86_CacheDisabled);
    e += seL4_X86_PageTable_Unmap(c);
    e += seL4_X86_Page_Map(c, c, w, seL4_ReadWrite, seL4_X86_WriteCombining);
    e += seL4_X86_Page_Unmap(c);
    seL4_X86_Page_GetAddress_t addr = seL4_X86_Page_GetAddress(c);
    e += addr.error + addr.paddr;
    e += seL4_X86_ASIDControl_MakePool(c, c, c, w, 64);
    e += seL4_X86_ASIDPool_Assign(c, c);

    e += seL4_X86_IOPortControl_Issue(c, 0x3f8, 0x3ff, c, w, 64);
    seL4_X86_IOPort_In8_t in8 = seL4_X86_IOPort_In8(c, 0x3f8);
    seL4_X86_IOPort_In16_t in16 = seL4_X86_IOPort_In16(c, 0x3f8);
    seL4_X86_IOPort_In32_t in32 = seL4_X86_IOPort_In32(c, 0x3f8);
    e += in8.error + in8.result + in16.error + in16.result + in32.error + in32.result;
    e += seL4_X86_IOPort_Out8(c, 0x3f8, 'a');
    e += seL4_X86_IOPort_Out16(c, 0x3f8, 1);
    e += seL4_X86_IOPort_Out32(c, 0x3f8, 2);

    use(e + seL4_MappingFailedLookupLevel() + regs.rip);
}

void use_fault_helpers(seL4_MessageInfo_t tag)
{
    seL4_Fault_t f = seL4_getFault(tag);
    seL4_UserContext regs = { 0 };

    use(seL4_Fault_get_seL4_FaultType(f) + seL4_Fault_VMFault_get_Addr(f) + seL4_Fault_CapFault_get_MR6(f)
        + seL4_Fault_UnknownSyscall_get_Syscall(f) + seL4_Fault_UserException_get_Code(f)
        + seL4_Fault_Timeout_get_consumed(f));
    f = seL4_Fault_VMFault_set_FSR(f, 2);
    seL4_Fault_CapFault_ptr_set_IP(&f, 3);
    use(seL4_Fault_CapFault_ptr_get_IP(&f));
    use(seL4_isVMFault_tag(tag) + seL4_isCapFault_tag(tag) + seL4_isTimeoutFault_tag(tag)
        + seL4_isUnknownSyscall_tag(tag) + seL4_isUserException_tag(tag) + seL4_isNullFault_tag(tag));
    use(seL4_TimeoutReply_new(seL4_True, regs, seL4_TimeoutReply_Length).words[0]);
    use(seL4_Fault_UnknownSyscall_new(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19).words[19]);
    use(seL4_Fault_NullFault_new().words[0] + seL4_Fault_CapFault_new(1, 2, 3, 4, 5, 6, 7).words[0]
        + seL4_Fault_UserException_new(1, 2, 3, 4, 5).words[0] + seL4_Fault_VMFault_new(1, 2, 3, 4).words[0]
        + seL4_Fault_Timeout_new(1, 2).words[0]);
    seL4_DebugAssert(sink != 1);
    seL4_Assert(sink != 2);
}
