/*
 * Host test: libsel4's ABI numbers and layouts against the ABI sheet
 * (/work/shared/abi/sel4-x86_64-mcs.md, seL4 16.0.0 x86_64 MCS, column A).
 *
 * Every expected value below is a literal typed in from the sheet, never
 * taken from the headers, so the test fails if a header drifts.
 *
 *   gcc -std=gnu11 -Wall -Wextra -Werror -fsanitize=address,undefined \
 *       -I libsel4/include tests/host/test_libsel4_abi.c -o /tmp/t && /tmp/t
 *
 * Prints one "PASS: <group>" or "FAIL: <group>: <details>" line per group;
 * exits 1 if any group failed. No syscall is ever executed.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <sel4/sel4.h>

/* The runtime normally defines this; the test points it at a local buffer. */
__thread seL4_IPCBuffer *__sel4_ipc_buffer;

/* ---- tiny check framework: one line per group ---- */

static int groups_failed;
static int group_failures;
static char group_detail[1024];

static void group_begin(void)
{
    group_failures = 0;
    group_detail[0] = '\0';
}

static void group_end(const char *name)
{
    if (group_failures == 0) {
        printf("PASS: %s\n", name);
    } else {
        printf("FAIL: %s: %s%s\n", name, group_detail, group_failures > 3 ? " ..." : "");
        groups_failed++;
    }
}

/* Compare as 64-bit two's complement words, so negative ids work too. */
static void check_eq(const char *what, unsigned long long actual, unsigned long long expected)
{
    if (actual == expected) {
        return;
    }
    if (++group_failures <= 3) {
        size_t used = strlen(group_detail);
        snprintf(group_detail + used, sizeof(group_detail) - used, "%s%s = %lld (0x%llx), expected %lld (0x%llx)",
                 used ? "; " : "", what, (long long)actual, actual, (long long)expected, expected);
    }
}

#define EQ(actual, expected) check_eq(#actual, (unsigned long long)(actual), (unsigned long long)(expected))
#define OFF(type, field, expected) check_eq("offsetof(" #type ", " #field ")", offsetof(type, field), (expected))
#define SIZE(type, expected) check_eq("sizeof(" #type ")", sizeof(type), (expected))
#define FIELD_SIZE(type, field, expected) \
    check_eq("sizeof(" #type "." #field ")", sizeof(((type *)0)->field), (expected))

/* ---- §3 IPC buffer ---- */

static void test_ipc_buffer_layout(void)
{
    group_begin();
    SIZE(seL4_IPCBuffer, 1024);
    EQ(_Alignof(seL4_IPCBuffer), 1024);
    OFF(seL4_IPCBuffer, tag, 0);
    FIELD_SIZE(seL4_IPCBuffer, tag, 8);
    OFF(seL4_IPCBuffer, msg, 8);
    FIELD_SIZE(seL4_IPCBuffer, msg, 960);
    OFF(seL4_IPCBuffer, userData, 968);
    OFF(seL4_IPCBuffer, caps_or_badges, 976);
    FIELD_SIZE(seL4_IPCBuffer, caps_or_badges, 24);
    OFF(seL4_IPCBuffer, receiveCNode, 1000);
    OFF(seL4_IPCBuffer, receiveIndex, 1008);
    OFF(seL4_IPCBuffer, receiveDepth, 1016);
    group_end("ipc_buffer_layout");
}

/* The IPC-buffer accessors write the words the kernel reads (§3: MR i at word i + 1). */
static void test_ipc_buffer_access(void)
{
    static seL4_IPCBuffer buf;
    seL4_Word *word = (seL4_Word *)(void *)&buf;
    seL4_CPtr cnode = 0, index = 0;
    seL4_Word depth = 0;

    group_begin();
    memset(&buf, 0, sizeof(buf));
    seL4_SetIPCBuffer(&buf);
    EQ(seL4_GetIPCBuffer() == &buf, 1);
    seL4_SetMR(0, 0x1111);
    seL4_SetMR(119, 0x2222);
    EQ(word[1], 0x1111);
    EQ(word[120], 0x2222);
    EQ(seL4_GetMR(119), 0x2222);
    seL4_SetUserData(0x3333);
    EQ(word[121], 0x3333);
    EQ(seL4_GetUserData(), 0x3333);
    seL4_SetCap(0, 7);
    seL4_SetCap(2, 9);
    EQ(word[122], 7);
    EQ(word[124], 9);
    EQ(seL4_GetCap(2), 9);
    EQ(seL4_GetBadge(0), 7);
    seL4_SetCapReceivePath(2, 0x55, 64);
    EQ(word[125], 2);
    EQ(word[126], 0x55);
    EQ(word[127], 64);
    seL4_GetCapReceivePath(&cnode, &index, &depth);
    EQ(cnode, 2);
    EQ(index, 0x55);
    EQ(depth, 64);
    seL4_GetCapReceivePath(seL4_Null, seL4_Null, seL4_Null);

    /* §5.9: seL4_MappingFailedLookupLevel() reads MR2 (the bitsLeft of the failed lookup) */
    seL4_SetMR(2, 30);
    EQ(seL4_MappingFailedLookupLevel(), 30);
    EQ(SEL4_MAPPING_LOOKUP_LEVEL, 2);
    EQ(SEL4_MAPPING_LOOKUP_NO_PT, 21);
    EQ(SEL4_MAPPING_LOOKUP_NO_PD, 30);
    EQ(SEL4_MAPPING_LOOKUP_NO_PDPT, 39);

    /* §11: timeout reply = label !resume, MRs in UserContext order */
    seL4_UserContext regs;
    seL4_Word *reg_words = (seL4_Word *)(void *)&regs;
    for (int i = 0; i < 20; i++) {
        reg_words[i] = 100 + i;
    }
    seL4_MessageInfo_t reply = seL4_TimeoutReply_new(seL4_True, regs, 19);
    EQ(seL4_MessageInfo_get_label(reply), 0);
    EQ(seL4_MessageInfo_get_length(reply), 19);
    EQ(word[1 + 0], 100);  /* FaultIP = rip */
    EQ(word[1 + 18], 118); /* TLS_BASE = fs_base */
    reply = seL4_TimeoutReply_new(seL4_False, regs, 3);
    EQ(seL4_MessageInfo_get_label(reply), 1);

    /* seL4_getFault decodes the MRs of a fault message by its label */
    seL4_SetMR(0, 0xaaa);
    seL4_SetMR(1, 0xbbb);
    seL4_SetMR(2, 1);
    seL4_SetMR(3, 7);
    seL4_Fault_t fault = seL4_getFault(seL4_MessageInfo_new(6, 0, 0, 4));
    EQ(seL4_Fault_get_seL4_FaultType(fault), 6);
    EQ(seL4_Fault_VMFault_get_IP(fault), 0xaaa);
    EQ(seL4_Fault_VMFault_get_Addr(fault), 0xbbb);
    EQ(seL4_Fault_VMFault_get_PrefetchFault(fault), 1);
    EQ(seL4_Fault_VMFault_get_FSR(fault), 7);
    fault = seL4_getFault(seL4_MessageInfo_new(5, 0, 0, 2));
    EQ(seL4_Fault_Timeout_get_data(fault), 0xaaa);
    EQ(seL4_Fault_Timeout_get_consumed(fault), 0xbbb);
    EQ(seL4_isVMFault_tag(seL4_MessageInfo_new(6, 0, 0, 4)), 1);
    EQ(seL4_isTimeoutFault_tag(seL4_MessageInfo_new(5, 0, 0, 2)), 1);
    EQ(seL4_isCapFault_tag(seL4_MessageInfo_new(1, 0, 0, 7)), 1);
    EQ(seL4_isUnknownSyscall_tag(seL4_MessageInfo_new(2, 0, 0, 19)), 1);
    EQ(seL4_isUserException_tag(seL4_MessageInfo_new(3, 0, 0, 5)), 1);
    EQ(seL4_isNullFault_tag(seL4_MessageInfo_new(0, 0, 0, 0)), 1);

    seL4_SetIPCBuffer(seL4_Null);
    group_end("ipc_buffer_access");
}

/* ---- §7.3 BootInfo ---- */

static void test_bootinfo_layout(void)
{
    group_begin();
    SIZE(seL4_BootInfo, 3864);
    SIZE(seL4_SlotRegion, 16);
    OFF(seL4_SlotRegion, start, 0);
    OFF(seL4_SlotRegion, end, 8);
    OFF(seL4_BootInfo, extraLen, 0);
    OFF(seL4_BootInfo, nodeID, 8);
    OFF(seL4_BootInfo, numNodes, 16);
    OFF(seL4_BootInfo, numIOPTLevels, 24);
    OFF(seL4_BootInfo, ipcBuffer, 32);
    OFF(seL4_BootInfo, empty, 40);
    OFF(seL4_BootInfo, sharedFrames, 56);
    OFF(seL4_BootInfo, userImageFrames, 72);
    OFF(seL4_BootInfo, userImagePaging, 88);
    OFF(seL4_BootInfo, ioSpaceCaps, 104);
    OFF(seL4_BootInfo, extraBIPages, 120);
    OFF(seL4_BootInfo, initThreadCNodeSizeBits, 136);
    OFF(seL4_BootInfo, initThreadDomain, 144);
    OFF(seL4_BootInfo, schedcontrol, 152);
    OFF(seL4_BootInfo, untyped, 168);
    OFF(seL4_BootInfo, untypedList, 184);
    FIELD_SIZE(seL4_BootInfo, untypedList, 230 * 16);
    EQ(CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS, 230);

    SIZE(seL4_UntypedDesc, 16);
    OFF(seL4_UntypedDesc, paddr, 0);
    OFF(seL4_UntypedDesc, sizeBits, 8);
    FIELD_SIZE(seL4_UntypedDesc, sizeBits, 1);
    OFF(seL4_UntypedDesc, isDevice, 9);
    FIELD_SIZE(seL4_UntypedDesc, isDevice, 1);
    OFF(seL4_UntypedDesc, padding, 10);
    FIELD_SIZE(seL4_UntypedDesc, padding, 6);
    EQ(seL4_BootInfoFrameBits, 12);
    group_end("bootinfo_layout");
}

/* ---- §7.4 extra bootinfo ---- */

static void test_bootinfo_extra(void)
{
    group_begin();
    SIZE(seL4_BootInfoHeader, 16);
    OFF(seL4_BootInfoHeader, id, 0);
    OFF(seL4_BootInfoHeader, len, 8);
    EQ(SEL4_BOOTINFO_HEADER_PADDING, 0);
    EQ(SEL4_BOOTINFO_HEADER_X86_VBE, 1);
    EQ(SEL4_BOOTINFO_HEADER_X86_MBMMAP, 2);
    EQ(SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP, 3);
    EQ(SEL4_BOOTINFO_HEADER_X86_FRAMEBUFFER, 4);
    EQ(SEL4_BOOTINFO_HEADER_X86_TSC_FREQ, 5);
    EQ(SEL4_BOOTINFO_HEADER_FDT, 6);
    SIZE(seL4_X86_BootInfo_VBE, 800);
    SIZE(seL4_VBEInfoBlock_t, 512);
    SIZE(seL4_VBEModeInfoBlock_t, 256);
    OFF(seL4_X86_BootInfo_VBE, vbeInfoBlock, 16);
    OFF(seL4_X86_BootInfo_VBE, vbeModeInfoBlock, 16 + 512);
    OFF(seL4_X86_BootInfo_VBE, vbeMode, 16 + 512 + 256);
    SIZE(seL4_X86_BootInfo_mmap_t, 1220);
    SIZE(seL4_X86_mb_mmap_t, 24);
    OFF(seL4_X86_mb_mmap_t, base_addr, 4);
    OFF(seL4_X86_mb_mmap_t, length, 12);
    OFF(seL4_X86_mb_mmap_t, type, 20);
    OFF(seL4_X86_BootInfo_mmap_t, mmap_length, 16);
    OFF(seL4_X86_BootInfo_mmap_t, mmap, 20);
    SIZE(seL4_X86_BootInfo_fb_t, 22);
    OFF(seL4_X86_BootInfo_fb_t, pitch, 8);
    OFF(seL4_X86_BootInfo_fb_t, width, 12);
    OFF(seL4_X86_BootInfo_fb_t, height, 16);
    OFF(seL4_X86_BootInfo_fb_t, bpp, 20);
    OFF(seL4_X86_BootInfo_fb_t, type, 21);
    group_end("bootinfo_extra_chunks");
}

/* ---- §12.1 UserContext ---- */

static void test_user_context(void)
{
    group_begin();
    SIZE(seL4_UserContext, 160);
    OFF(seL4_UserContext, rip, 0 * 8);
    OFF(seL4_UserContext, rsp, 1 * 8);
    OFF(seL4_UserContext, rflags, 2 * 8);
    OFF(seL4_UserContext, rax, 3 * 8);
    OFF(seL4_UserContext, rbx, 4 * 8);
    OFF(seL4_UserContext, rcx, 5 * 8);
    OFF(seL4_UserContext, rdx, 6 * 8);
    OFF(seL4_UserContext, rsi, 7 * 8);
    OFF(seL4_UserContext, rdi, 8 * 8);
    OFF(seL4_UserContext, rbp, 9 * 8);
    OFF(seL4_UserContext, r8, 10 * 8);
    OFF(seL4_UserContext, r9, 11 * 8);
    OFF(seL4_UserContext, r10, 12 * 8);
    OFF(seL4_UserContext, r11, 13 * 8);
    OFF(seL4_UserContext, r12, 14 * 8);
    OFF(seL4_UserContext, r13, 15 * 8);
    OFF(seL4_UserContext, r14, 16 * 8);
    OFF(seL4_UserContext, r15, 17 * 8);
    OFF(seL4_UserContext, fs_base, 18 * 8);
    OFF(seL4_UserContext, gs_base, 19 * 8);
    group_end("user_context_layout");
}

/* ---- §2 MessageInfo, CapRights, CNode cap data ---- */

static void test_message_info(void)
{
    seL4_MessageInfo_t m;

    group_begin();
    SIZE(seL4_MessageInfo_t, 8);
    /* each field alone at its maximum: label 63..12, capsUnwrapped 11..9, extraCaps 8..7, length 6..0 */
    m = seL4_MessageInfo_new(0xfffffffffffffULL, 0, 0, 0);
    EQ(m.words[0], 0xfffffffffffff000ULL);
    EQ(seL4_MessageInfo_get_label(m), 0xfffffffffffffULL);
    EQ(seL4_MessageInfo_get_length(m), 0);
    m = seL4_MessageInfo_new(0, 7, 0, 0);
    EQ(m.words[0], 0xe00);
    EQ(seL4_MessageInfo_get_capsUnwrapped(m), 7);
    m = seL4_MessageInfo_new(0, 0, 3, 0);
    EQ(m.words[0], 0x180);
    EQ(seL4_MessageInfo_get_extraCaps(m), 3);
    m = seL4_MessageInfo_new(0, 0, 0, 127);
    EQ(m.words[0], 0x7f);
    EQ(seL4_MessageInfo_get_length(m), 127);
    /* all together, and decoding a raw word */
    m = seL4_MessageInfo_new(0x123, 5, 2, 9);
    EQ(m.words[0], (0x123ULL << 12) | (5 << 9) | (2 << 7) | 9);
    m.words[0] = 0xabcde000ULL | (6 << 9) | (1 << 7) | 120;
    EQ(seL4_MessageInfo_get_label(m), 0xabcde);
    EQ(seL4_MessageInfo_get_capsUnwrapped(m), 6);
    EQ(seL4_MessageInfo_get_extraCaps(m), 1);
    EQ(seL4_MessageInfo_get_length(m), 120);
    /* setters change only their field and truncate to its width */
    m = seL4_MessageInfo_new(0xfffffffffffffULL, 7, 3, 127);
    m = seL4_MessageInfo_set_length(m, 0);
    EQ(m.words[0], 0xffffffffffffff80ULL);
    m = seL4_MessageInfo_set_extraCaps(m, 0);
    m = seL4_MessageInfo_set_capsUnwrapped(m, 0);
    EQ(m.words[0], 0xfffffffffffff000ULL);
    m = seL4_MessageInfo_set_label(m, 0x10000000000001ULL); /* bit 52 does not fit */
    EQ(m.words[0], 0x1000);
    m = seL4_MessageInfo_set_length(m, 0x85);
    EQ(seL4_MessageInfo_get_length(m), 5);
    EQ(seL4_MessageInfo_get_label(m), 1);
    seL4_MessageInfo_ptr_set_extraCaps(&m, 2);
    EQ(seL4_MessageInfo_ptr_get_extraCaps(&m), 2);
    EQ(m.words[0], 0x1000 | (2 << 7) | 5);
    /* limits */
    EQ(seL4_MsgLengthBits, 7);
    EQ(seL4_MsgExtraCapBits, 2);
    EQ(seL4_MsgMaxLength, 120);
    EQ(seL4_MsgMaxExtraCaps, 3);
    EQ(seL4_FastMessageRegisters, 4);
    group_end("message_info_bits");
}

static void test_cap_rights(void)
{
    group_begin();
    SIZE(seL4_CapRights_t, 8);
    EQ(seL4_CapRights_new(1, 0, 0, 0).words[0], 0x8); /* grantReply bit 3 */
    EQ(seL4_CapRights_new(0, 1, 0, 0).words[0], 0x4); /* grant bit 2 */
    EQ(seL4_CapRights_new(0, 0, 1, 0).words[0], 0x2); /* read bit 1 */
    EQ(seL4_CapRights_new(0, 0, 0, 1).words[0], 0x1); /* write bit 0 */
    EQ(seL4_AllRights.words[0], 0xf);
    EQ(seL4_ReadWrite.words[0], 0x3);
    EQ(seL4_CanRead.words[0], 0x2);
    EQ(seL4_CanWrite.words[0], 0x1);
    EQ(seL4_CanGrant.words[0], 0x4);
    EQ(seL4_CanGrantReply.words[0], 0x8);
    EQ(seL4_NoWrite.words[0], 0xe);
    EQ(seL4_NoRead.words[0], 0xd);
    EQ(seL4_NoRights.words[0], 0x0);
    seL4_CapRights_t r = { { 0xa } };
    EQ(seL4_CapRights_get_capAllowGrantReply(r), 1);
    EQ(seL4_CapRights_get_capAllowGrant(r), 0);
    EQ(seL4_CapRights_get_capAllowRead(r), 1);
    EQ(seL4_CapRights_get_capAllowWrite(r), 0);
    r = seL4_CapRights_set_capAllowWrite(r, 1);
    EQ(r.words[0], 0xb);
    EQ(seL4_CapRightsBits, 4);
    group_end("cap_rights_bits");
}

static void test_cnode_capdata(void)
{
    seL4_CNode_CapData_t d;

    group_begin();
    SIZE(seL4_CNode_CapData_t, 8);
    d = seL4_CNode_CapData_new(0, 63);
    EQ(d.words[0], 0x3f);
    d = seL4_CNode_CapData_new(0x3ffffffffffffffULL, 0); /* 58-bit guard */
    EQ(d.words[0], 0xffffffffffffffc0ULL);
    EQ(seL4_CNode_CapData_get_guard(d), 0x3ffffffffffffffULL);
    d = seL4_CNode_CapData_new(5, 52);
    EQ(d.words[0], (5 << 6) | 52);
    EQ(seL4_CNode_CapData_get_guard(d), 5);
    EQ(seL4_CNode_CapData_get_guardSize(d), 52);
    EQ(seL4_GuardSizeBits, 6);
    EQ(seL4_GuardBits, 58);
    EQ(seL4_BadgeBits, 64);
    EQ(seL4_NilData, 0);
    group_end("cnode_capdata_bits");
}

/* ---- §1.1 syscall numbers ---- */

static void test_syscalls(void)
{
    group_begin();
    EQ(seL4_SysCall, -1);
    EQ(seL4_SysReplyRecv, -2);
    EQ(seL4_SysNBSendRecv, -3);
    EQ(seL4_SysNBSendWait, -4);
    EQ(seL4_SysSend, -5);
    EQ(seL4_SysNBSend, -6);
    EQ(seL4_SysRecv, -7);
    EQ(seL4_SysNBRecv, -8);
    EQ(seL4_SysWait, -9);
    EQ(seL4_SysNBWait, -10);
    EQ(seL4_SysYield, -11);
    EQ(seL4_SysDebugPutChar, -12);
    EQ(seL4_SysDebugDumpScheduler, -13);
    EQ(seL4_SysDebugHalt, -14);
    EQ(seL4_SysDebugCapIdentify, -15);
    EQ(seL4_SysDebugSnapshot, -16);
    EQ(seL4_SysDebugNameThread, -17);
    EQ(seL4_SysDebugSendIPI, -18);
    EQ(seL4_SysDebugGetThreadAffinity, -19);
    EQ(seL4_SysDebugRun, -20);
    EQ(seL4_SysBenchmarkFlushCaches, -21);
    EQ(seL4_SysBenchmarkResetLog, -22);
    EQ(seL4_SysBenchmarkFinalizeLog, -23);
    EQ(seL4_SysBenchmarkSetLogBuffer, -24);
    EQ(seL4_SysBenchmarkNullSyscall, -25);
    EQ(seL4_SysBenchmarkGetThreadUtilisation, -26);
    EQ(seL4_SysBenchmarkResetThreadUtilisation, -27);
    EQ(seL4_SysBenchmarkDumpAllThreadsUtilisation, -28);
    EQ(seL4_SysBenchmarkResetAllThreadsUtilisation, -29);
    EQ(seL4_SysX86DangerousWRMSR, -30);
    EQ(seL4_SysX86DangerousRDMSR, -31);
    EQ(seL4_SysVMEnter, -32);
    EQ(seL4_SysSetTLSBase, -33);
    EQ(sizeof(seL4_Syscall_ID), 8);
    group_end("syscall_numbers");
}

/* ---- §5.1 invocation labels, column A ---- */

static void test_invocation_labels(void)
{
    group_begin();
    EQ(InvalidInvocation, 0);
    EQ(UntypedRetype, 1);
    EQ(TCBReadRegisters, 2);
    EQ(TCBWriteRegisters, 3);
    EQ(TCBCopyRegisters, 4);
    EQ(TCBConfigure, 5);
    EQ(TCBSetPriority, 6);
    EQ(TCBSetMCPriority, 7);
    EQ(TCBSetSchedParams, 8);
    EQ(TCBSetTimeoutEndpoint, 9);
    EQ(TCBSetIPCBuffer, 10);
    EQ(TCBSetSpace, 11);
    EQ(TCBSuspend, 12);
    EQ(TCBResume, 13);
    EQ(TCBBindNotification, 14);
    EQ(TCBUnbindNotification, 15);
    EQ(TCBSetTLSBase, 16);
    EQ(TCBSetFlags, 17);
    EQ(CNodeRevoke, 18);
    EQ(CNodeDelete, 19);
    EQ(CNodeCancelBadgedSends, 20);
    EQ(CNodeCopy, 21);
    EQ(CNodeMint, 22);
    EQ(CNodeMove, 23);
    EQ(CNodeMutate, 24);
    EQ(CNodeRotate, 25);
    EQ(IRQIssueIRQHandler, 26);
    EQ(IRQAckIRQ, 27);
    EQ(IRQSetIRQHandler, 28);
    EQ(IRQClearIRQHandler, 29);
    EQ(DomainSetSet, 30);
    EQ(DomainScheduleConfigure, 31);
    EQ(DomainScheduleSetStart, 32);
    EQ(SchedControlConfigureFlags, 33);
    EQ(SchedContextBind, 34);
    EQ(SchedContextUnbind, 35);
    EQ(SchedContextUnbindObject, 36);
    EQ(SchedContextConsumed, 37);
    EQ(SchedContextYieldTo, 38);
    EQ(nInvocationLabels, 39);
    EQ(X86PDPTMap, 39);
    EQ(X86PDPTUnmap, 40);
    EQ(nSeL4ArchInvocationLabels, 41);
    EQ(X86PageDirectoryMap, 41);
    EQ(X86PageDirectoryUnmap, 42);
    EQ(X86PageTableMap, 43);
    EQ(X86PageTableUnmap, 44);
    EQ(X86PageMap, 45);
    EQ(X86PageUnmap, 46);
    EQ(X86PageGetAddress, 47);
    EQ(X86ASIDControlMakePool, 48);
    EQ(X86ASIDPoolAssign, 49);
    EQ(X86IOPortControlIssue, 50);
    EQ(X86IOPortIn8, 51);
    EQ(X86IOPortIn16, 52);
    EQ(X86IOPortIn32, 53);
    EQ(X86IOPortOut8, 54);
    EQ(X86IOPortOut16, 55);
    EQ(X86IOPortOut32, 56);
    EQ(X86IRQIssueIRQHandlerIOAPIC, 57);
    EQ(X86IRQIssueIRQHandlerMSI, 58);
    EQ(nArchInvocationLabels, 59);
    group_end("invocation_labels");
}

/* ---- §4.1 object types ---- */

static void test_object_types(void)
{
    group_begin();
    EQ(seL4_UntypedObject, 0);
    EQ(seL4_TCBObject, 1);
    EQ(seL4_EndpointObject, 2);
    EQ(seL4_NotificationObject, 3);
    EQ(seL4_CapTableObject, 4);
    EQ(seL4_SchedContextObject, 5);
    EQ(seL4_ReplyObject, 6);
    EQ(seL4_X86_PDPTObject, 7);
    EQ(seL4_IA32_PDPTObject, 7);
    EQ(seL4_X64_PML4Object, 8);
    EQ(seL4_X64_HugePageObject, 9);
    EQ(seL4_X86_4K, 10);
    EQ(seL4_X86_LargePageObject, 11);
    EQ(seL4_X86_PageTableObject, 12);
    EQ(seL4_X86_PageDirectoryObject, 13);
    EQ(seL4_ObjectTypeCount, 14);
    EQ(seL4_X86_IOPageTableObject, 0xffffff);
    EQ(seL4_X86_VCPUObject, 0xfffffe);
    EQ(seL4_X86_EPTPML4Object, 0xfffffd);
    EQ(seL4_X86_EPTPDPTObject, 0xfffffc);
    EQ(seL4_X86_EPTPDObject, 0xfffffb);
    EQ(seL4_X86_EPTPTObject, 0xfffffa);
    group_end("object_types");
}

/* ---- §4.2 size constants ---- */

static void test_object_sizes(void)
{
    group_begin();
    EQ(seL4_WordBits, 64);
    EQ(seL4_WordSizeBits, 3);
    EQ(seL4_PageBits, 12);
    EQ(seL4_LargePageBits, 21);
    EQ(seL4_HugePageBits, 30);
    EQ(seL4_SlotBits, 5);
    EQ(seL4_TCBBits, 11);
    EQ(seL4_EndpointBits, 4);
    EQ(seL4_NotificationBits, 6);
    EQ(seL4_ReplyBits, 5);
    EQ(seL4_MinSchedContextBits, 7);
    EQ(seL4_CoreSchedContextBytes, 128);
    EQ(seL4_RefillSizeBytes, 16);
    EQ(seL4_MaxExtraRefills(7), 0);
    EQ(seL4_MaxExtraRefills(8), 8);
    EQ(seL4_PageTableBits, 12);
    EQ(seL4_PageTableEntryBits, 3);
    EQ(seL4_PageTableIndexBits, 9);
    EQ(seL4_PageDirBits, 12);
    EQ(seL4_PageDirEntryBits, 3);
    EQ(seL4_PageDirIndexBits, 9);
    EQ(seL4_PDPTBits, 12);
    EQ(seL4_PDPTEntryBits, 3);
    EQ(seL4_PDPTIndexBits, 9);
    EQ(seL4_PML4Bits, 12);
    EQ(seL4_PML4EntryBits, 3);
    EQ(seL4_PML4IndexBits, 9);
    EQ(seL4_VSpaceBits, 12);
    EQ(seL4_IOPageTableBits, 12);
    EQ(seL4_IOPageTableIndexBits, 9);
    EQ(seL4_IOPageTableEntryBits, 3);
    EQ(seL4_NumASIDPoolsBits, 3);
    EQ(seL4_ASIDPoolIndexBits, 9);
    EQ(seL4_ASIDPoolBits, 12);
    EQ(seL4_MinUntypedBits, 4);
    EQ(seL4_MaxUntypedBits, 47);
    EQ(seL4_IPCBufferSizeBits, 10);
    EQ(seL4_UserTop, 0x00007ffffffff000ULL);
    EQ(seL4_UserVSpaceTop, 0x00007fffffffefffULL);
    EQ(seL4_VCPUBits, 14);
    EQ(seL4_X86_EPTPML4Bits, 12);
    EQ(seL4_X86_EPTPDPTBits, 12);
    EQ(seL4_X86_EPTPDBits, 12);
    EQ(seL4_X86_EPTPTBits, 12);
    EQ(seL4_UntypedRetypeMaxObjects, 256);
    EQ(seL4_BootInfoFrameBits, 12);
    EQ(seL4_MinPrio, 0);
    EQ(seL4_MaxPrio, 255);
    EQ(seL4_InvalidPrio, -1);
    group_end("object_sizes");
}

/* ---- §6 errors and lookup failures ---- */

static void test_errors(void)
{
    group_begin();
    EQ(seL4_NoError, 0);
    EQ(seL4_InvalidArgument, 1);
    EQ(seL4_InvalidCapability, 2);
    EQ(seL4_IllegalOperation, 3);
    EQ(seL4_RangeError, 4);
    EQ(seL4_AlignmentError, 5);
    EQ(seL4_FailedLookup, 6);
    EQ(seL4_TruncatedMessage, 7);
    EQ(seL4_DeleteFirst, 8);
    EQ(seL4_RevokeFirst, 9);
    EQ(seL4_NotEnoughMemory, 10);
    EQ(seL4_NumErrors, 11);
    EQ(seL4_NoFailure, 0);
    EQ(seL4_InvalidRoot, 1);
    EQ(seL4_MissingCapability, 2);
    EQ(seL4_DepthMismatch, 3);
    EQ(seL4_GuardMismatch, 4);
    group_end("errors_and_lookup_failures");
}

/* ---- §11 faults ---- */

static void test_faults(void)
{
    group_begin();
    EQ(seL4_Fault_NullFault, 0);
    EQ(seL4_Fault_CapFault, 1);
    EQ(seL4_Fault_UnknownSyscall, 2);
    EQ(seL4_Fault_UserException, 3);
    EQ(seL4_Fault_Timeout, 5);
    EQ(seL4_Fault_VMFault, 6);

    EQ(seL4_CapFault_IP, 0);
    EQ(seL4_CapFault_Addr, 1);
    EQ(seL4_CapFault_InRecvPhase, 2);
    EQ(seL4_CapFault_LookupFailureType, 3);
    EQ(seL4_CapFault_BitsLeft, 4);
    EQ(seL4_CapFault_DepthMismatch_BitsFound, 5);
    EQ(seL4_CapFault_GuardMismatch_GuardFound, 5);
    EQ(seL4_CapFault_GuardMismatch_BitsFound, 6);

    EQ(seL4_UnknownSyscall_RAX, 0);
    EQ(seL4_UnknownSyscall_RBX, 1);
    EQ(seL4_UnknownSyscall_RCX, 2);
    EQ(seL4_UnknownSyscall_RDX, 3);
    EQ(seL4_UnknownSyscall_RSI, 4);
    EQ(seL4_UnknownSyscall_RDI, 5);
    EQ(seL4_UnknownSyscall_RBP, 6);
    EQ(seL4_UnknownSyscall_R8, 7);
    EQ(seL4_UnknownSyscall_R9, 8);
    EQ(seL4_UnknownSyscall_R10, 9);
    EQ(seL4_UnknownSyscall_R11, 10);
    EQ(seL4_UnknownSyscall_R12, 11);
    EQ(seL4_UnknownSyscall_R13, 12);
    EQ(seL4_UnknownSyscall_R14, 13);
    EQ(seL4_UnknownSyscall_R15, 14);
    EQ(seL4_UnknownSyscall_FaultIP, 15);
    EQ(seL4_UnknownSyscall_SP, 16);
    EQ(seL4_UnknownSyscall_FLAGS, 17);
    EQ(seL4_UnknownSyscall_Syscall, 18);
    EQ(seL4_UnknownSyscall_Length, 19);

    EQ(seL4_UserException_FaultIP, 0);
    EQ(seL4_UserException_SP, 1);
    EQ(seL4_UserException_FLAGS, 2);
    EQ(seL4_UserException_Number, 3);
    EQ(seL4_UserException_Code, 4);
    EQ(seL4_UserException_Length, 5);

    EQ(seL4_VMFault_IP, 0);
    EQ(seL4_VMFault_Addr, 1);
    EQ(seL4_VMFault_PrefetchFault, 2);
    EQ(seL4_VMFault_FSR, 3);
    EQ(seL4_VMFault_Length, 4);
    EQ(seL4_DataFault, 0);
    EQ(seL4_InstructionFault, 1);

    EQ(seL4_Timeout_Data, 0);
    EQ(seL4_Timeout_Consumed, 1);
    EQ(seL4_Timeout_Length, 2);

    EQ(seL4_TimeoutReply_FaultIP, 0);
    EQ(seL4_TimeoutReply_RSP, 1);
    EQ(seL4_TimeoutReply_FLAGS, 2);
    EQ(seL4_TimeoutReply_RAX, 3);
    EQ(seL4_TimeoutReply_RBX, 4);
    EQ(seL4_TimeoutReply_RCX, 5);
    EQ(seL4_TimeoutReply_RDX, 6);
    EQ(seL4_TimeoutReply_RSI, 7);
    EQ(seL4_TimeoutReply_RDI, 8);
    EQ(seL4_TimeoutReply_RBP, 9);
    EQ(seL4_TimeoutReply_R8, 10);
    EQ(seL4_TimeoutReply_R15, 17);
    EQ(seL4_TimeoutReply_TLS_BASE, 18);
    EQ(seL4_TimeoutReply_Length, 19);

    /* the decoded-fault accessors give back what the constructors got */
    seL4_Fault_t f = seL4_Fault_CapFault_new(1, 2, 3, 4, 5, 6, 7);
    EQ(seL4_Fault_get_seL4_FaultType(f), 1);
    EQ(seL4_Fault_CapFault_get_IP(f), 1);
    EQ(seL4_Fault_CapFault_get_LookupFailureType(f), 4);
    EQ(seL4_Fault_CapFault_get_MR6(f), 7);
    f = seL4_Fault_UnknownSyscall_new(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19);
    EQ(seL4_Fault_get_seL4_FaultType(f), 2);
    EQ(seL4_Fault_UnknownSyscall_get_RAX(f), 1);
    EQ(seL4_Fault_UnknownSyscall_get_FaultIP(f), 16);
    EQ(seL4_Fault_UnknownSyscall_get_Syscall(f), 19);
    f = seL4_Fault_UserException_new(1, 2, 3, 13, 0x10);
    EQ(seL4_Fault_get_seL4_FaultType(f), 3);
    EQ(seL4_Fault_UserException_get_Number(f), 13);
    EQ(seL4_Fault_UserException_get_Code(f), 0x10);
    f = seL4_Fault_UserException_set_Stack(f, 0x99);
    EQ(seL4_Fault_UserException_get_Stack(f), 0x99);
    group_end("fault_types_and_mrs");
}

/* ---- §7.5 initial caps ---- */

static void test_initial_caps(void)
{
    group_begin();
    EQ(seL4_CapNull, 0);
    EQ(seL4_CapInitThreadTCB, 1);
    EQ(seL4_CapInitThreadCNode, 2);
    EQ(seL4_CapInitThreadVSpace, 3);
    EQ(seL4_CapInitThreadPD, 3);
    EQ(seL4_CapIRQControl, 4);
    EQ(seL4_CapASIDControl, 5);
    EQ(seL4_CapInitThreadASIDPool, 6);
    EQ(seL4_CapIOPortControl, 7);
    EQ(seL4_CapIOSpace, 8);
    EQ(seL4_CapBootInfoFrame, 9);
    EQ(seL4_CapInitThreadIPCBuffer, 10);
    EQ(seL4_CapDomain, 11);
    EQ(seL4_CapSMMUSIDControl, 12);
    EQ(seL4_CapSMMUCBControl, 13);
    EQ(seL4_CapInitThreadSC, 14);
    EQ(seL4_CapSMC, 15);
    EQ(seL4_NumInitialCaps, 16);
    group_end("initial_cap_slots");
}

/* ---- §12 x86 specifics, flags, configuration ---- */

static void test_x86_and_config(void)
{
    group_begin();
    EQ(seL4_X86_Default_VMAttributes, 0);
    EQ(seL4_X86_WriteBack, 0);
    EQ(seL4_X86_WriteThrough, 1);
    EQ(seL4_X86_CacheDisabled, 2);
    EQ(seL4_X86_Uncacheable, 3);
    EQ(seL4_X86_WriteCombining, 4);
    EQ(IRQ_OFFSET, 0x30);
    EQ(VECTOR_MIN, 0);
    EQ(VECTOR_MAX, 109);
    EQ(MSI_MIN, 0);
    EQ(MSI_MAX, 109);
    EQ(TLS_GDT_ENTRY, 7);
    EQ(IPCBUF_GDT_ENTRY, 8);
    EQ(seL4_TCBFlag_NoFlag, 0);
    EQ(seL4_TCBFlag_fpuDisabled, 1);
    EQ(seL4_TCBFlag_MASK, 1);
    EQ(seL4_SchedContext_NoFlag, 0);
    EQ(seL4_SchedContext_Sporadic, 1);
    EQ(CONFIG_RETYPE_FAN_OUT_LIMIT, 256);
    EQ(CONFIG_NUM_PRIORITIES, 256);
    EQ(CONFIG_MAX_NUM_NODES, 1);
    EQ(CONFIG_NUM_DOMAINS, 1);
    EQ(CONFIG_WORD_SIZE, 64);
    EQ(CONFIG_XSAVE_SIZE, 512);
    EQ(CONFIG_BOOT_THREAD_TIME_SLICE, 5);
    EQ(CONFIG_KERNEL_WCET_SCALE, 1);
    EQ(CONFIG_RESET_CHUNK_BITS, 8);
    EQ(sizeof(seL4_Word), 8);
    EQ(sizeof(seL4_Time), 8);
    EQ(sizeof(seL4_Bool), 1);
    EQ(strcmp(SEL4_PRIx_word, "lx"), 0);
    EQ(strcmp(SEL4_PRIu_word, "lu"), 0);
    EQ(strcmp(SEL4_PRId_word, "ld"), 0);
#if !defined(CONFIG_KERNEL_MCS) || !defined(CONFIG_ARCH_X86_64) || !defined(CONFIG_PLAT_PC99) || \
    !defined(CONFIG_HUGE_PAGE) || !defined(CONFIG_SET_TLS_BASE_SELF) || defined(CONFIG_IOMMU) ||   \
    defined(CONFIG_VTX) || defined(CONFIG_HARDWARE_DEBUG_API) || defined(CONFIG_ENABLE_SMP_SUPPORT)
    EQ("configuration is not column A", 0);
#endif
    group_end("x86_constants_and_config");
}

int main(void)
{
    test_ipc_buffer_layout();
    test_ipc_buffer_access();
    test_bootinfo_layout();
    test_bootinfo_extra();
    test_user_context();
    test_message_info();
    test_cap_rights();
    test_cnode_capdata();
    test_syscalls();
    test_invocation_labels();
    test_object_types();
    test_object_sizes();
    test_errors();
    test_faults();
    test_initial_caps();
    test_x86_and_config();
    return groups_failed == 0 ? 0 : 1;
}
