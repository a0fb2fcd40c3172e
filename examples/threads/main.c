/*
 * The seL4 "threads" tutorial, completed, as a root task on the MCS kernel.
 *
 * The tutorial runs under the capDL loader, which hands it an untyped for the TCB, an empty
 * slot, an IPC buffer frame and a stack; here the root task finds those itself: an untyped
 * from BootInfo, the first empty slot, a page of its own image as IPC buffer. Its steps:
 * Retype a TCB; Configure it with our CSpace and VSpace; SetPriority to 254 (the tutorial's
 * main thread runs at 254, so we move ourselves there too and the two share the CPU round
 * robin); read its registers, set rip, rsp and the three argument registers (rdi, rsi, rdx)
 * and write them back; Resume it. The new thread prints its arguments and calls arg1 with
 * *arg2: "Hello 3 42".
 *
 * MCS: a thread needs a scheduling context to run, which the capDL loader gives the
 * tutorial's thread; here we make one (5 ms round robin) and bind it with
 * SchedContext_Bind. The C runtime keeps the IPC buffer pointer in a thread-local variable,
 * so the thread also gets a TLS block of its own (sel4runtime), given through fs_base.
 */
#include <stdio.h>
#include <stdint.h>
#include <sel4/sel4.h>
#include <sel4platsupport/bootinfo.h>
#include <sel4runtime.h>
#include <utils/util.h>

#define STACK_SIZE 16384

static char thread_ipc_buff[4096] __attribute__((aligned(4096)));
static char tcb_stack[STACK_SIZE] __attribute__((aligned(16)));
static char tcb_tls[1024] __attribute__((aligned(64))); /* >= sel4runtime_get_tls_size() */
static volatile int data = 42;
static volatile int finished;
extern char __ehdr_start[];

static void call_once(int arg)
{
    printf("Hello 3 %d\n", arg);
    finished = 1;
}

static void new_thread(void *arg1, void *arg2, void *arg3)
{
    printf("Hello2: arg1 %p, arg2 %p, arg3 %p\n", arg1, arg2, arg3);
    void (*func)(int) = (void (*)(int))arg1;
    func(*(int *)arg2);
    while (1)
        ;
}

/* The first RAM untyped with at least 2^bits bytes. */
static seL4_CPtr find_untyped(seL4_BootInfo *info, unsigned bits)
{
    for (seL4_Word i = 0; i < info->untyped.end - info->untyped.start; i++)
        if (!info->untypedList[i].isDevice && info->untypedList[i].sizeBits >= bits)
            return info->untyped.start + i;
    return seL4_CapNull;
}

int main(int argc, char *argv[])
{
    (void)argc, (void)argv;
    seL4_BootInfo *info = platsupport_get_bootinfo();
    seL4_CPtr root_cnode = seL4_CapInitThreadCNode, root_vspace = seL4_CapInitThreadVSpace;
    seL4_CPtr root_tcb = seL4_CapInitThreadTCB;

    /* Like the tutorial's main thread, run at 254. */
    seL4_Error result = seL4_TCB_SetPriority(root_tcb, root_tcb, 254);
    ZF_LOGF_IF(result, "Failed to set our own priority");

    printf("Hello, World!\n");
    seL4_DebugDumpScheduler();

    /* Retype a TCB into the first empty slot. */
    seL4_CPtr tcb_untyped = find_untyped(info, seL4_TCBBits);
    seL4_CPtr tcb_cap_slot = info->empty.start;
    result = seL4_Untyped_Retype(tcb_untyped, seL4_TCBObject, seL4_TCBBits, root_cnode, 0, 0, tcb_cap_slot, 1);
    ZF_LOGF_IF(result, "Failed to retype thread: %d", (int)result);
    seL4_DebugDumpScheduler();

    /* Same CSpace and VSpace as ours; its IPC buffer is a page of our image. */
    seL4_Word page = ((seL4_Word)thread_ipc_buff - ((seL4_Word)__ehdr_start & ~4095ul)) / 4096;
    seL4_CPtr tcb_ipc_frame = info->userImageFrames.start + page;
    result = seL4_TCB_Configure(tcb_cap_slot, root_cnode, 0, root_vspace, 0, (seL4_Word)thread_ipc_buff,
                                tcb_ipc_frame);
    ZF_LOGF_IF(result, "Failed to configure thread: %d", (int)result);

    result = seL4_TCB_SetPriority(tcb_cap_slot, root_tcb, 254);
    ZF_LOGF_IF(result, "Failed to set the priority for the new TCB object.\n");

    /* MCS: a scheduling context, 5 ms round robin, bound to the new thread. */
    seL4_CPtr sched_context = info->empty.start + 1;
    result = seL4_Untyped_Retype(find_untyped(info, seL4_MinSchedContextBits), seL4_SchedContextObject,
                                 seL4_MinSchedContextBits, root_cnode, 0, 0, sched_context, 1);
    ZF_LOGF_IF(result, "Failed to retype a scheduling context: %d", (int)result);
    result = seL4_SchedControl_Configure(info->schedcontrol.start, sched_context, 5000, 5000, 0, 0);
    ZF_LOGF_IF(result, "Failed to configure the scheduling context: %d", (int)result);
    result = seL4_SchedContext_Bind(sched_context, tcb_cap_slot);
    ZF_LOGF_IF(result, "Failed to bind the scheduling context: %d", (int)result);
    seL4_DebugDumpScheduler();

    /* Registers: rip = new_thread, rsp = top of its stack, arguments 1, 2, 3 in rdi, rsi, rdx
     * (arg1 the function to call, arg2 the address of data), fs_base = its TLS block. */
    seL4_UserContext regs = { 0 };
    int error = seL4_TCB_ReadRegisters(tcb_cap_slot, 0, 0, sizeof(regs) / sizeof(seL4_Word), &regs);
    ZF_LOGF_IF(error, "Failed to read the new thread's register set.\n");
    regs.rip = (seL4_Word)new_thread;
    regs.rsp = (seL4_Word)(tcb_stack + STACK_SIZE - 8); /* as if called: 16-byte aligned minus the return address */
    regs.rdi = (seL4_Word)call_once;
    regs.rsi = (seL4_Word)&data;
    regs.rdx = 3;
    ZF_LOGF_IF(sel4runtime_get_tls_size() > sizeof(tcb_tls), "The TLS block needs %zu bytes.",
               sel4runtime_get_tls_size());
    uintptr_t tp = sel4runtime_write_tls_image(tcb_tls);
    sel4runtime_set_tls_variable(tp, __sel4_ipc_buffer, (seL4_IPCBuffer *)thread_ipc_buff);
    regs.fs_base = tp;
    error = seL4_TCB_WriteRegisters(tcb_cap_slot, 0, 0, sizeof(regs) / sizeof(seL4_Word), &regs);
    ZF_LOGF_IF(error, "Failed to write the new thread's register set.\n"
                      "\tDid you write the correct number of registers? See arg4.\n");
    seL4_DebugDumpScheduler();

    /* Start it. We keep the CPU until our time slice ends; then it runs. */
    error = seL4_TCB_Resume(tcb_cap_slot);
    ZF_LOGF_IF(error, "Failed to start new thread.\n");
    while (!finished)
        ;
    printf("Main: the new thread has run; done.\n");
    return 0;
}
