/* sel4utils threads: configuring, starting (with their own TLS block) and cleaning up. */
#include <autoconf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <elf.h>
#include <sel4/sel4.h>
#include <utils/util.h>
#include <vka/vka.h>
#include <vka/object.h>
#include <vspace/vspace.h>
#include <cairn/runtime.h>
#include <sel4runtime.h>
#include <sel4utils/gen_config.h>
#include <sel4utils/api.h>
#include <sel4utils/thread.h>
#include <sel4utils/helpers.h>
#include "internal.h"

int sel4utils_configure_thread(vka_t *vka, vspace_t *parent, vspace_t *alloc, seL4_CPtr fault_endpoint,
                               seL4_CNode cspace, seL4_Word cspace_root_data, sel4utils_thread_t *res)
{
    sel4utils_thread_config_t config = {0};
    config = thread_config_fault_endpoint(config, fault_endpoint);
    config = thread_config_cspace(config, cspace, cspace_root_data);
    config = thread_config_create_reply(config);
    return sel4utils_configure_thread_config(vka, parent, alloc, config, res);
}

int sel4utils_configure_thread_config(vka_t *vka, vspace_t *parent, vspace_t *alloc,
                                      sel4utils_thread_config_t config, sel4utils_thread_t *res)
{
    if (res == NULL) {
        ZF_LOGE("res is NULL");
        return -1;
    }
    memset(res, 0, sizeof(*res));
    if (vka == NULL || alloc == NULL) {
        ZF_LOGE("%s is NULL", vka == NULL ? "vka" : "alloc (the thread's vspace)");
        return -1;
    }
    if (parent == NULL && !config.no_ipc_buffer) {
        ZF_LOGE("parent (the caller's vspace) is NULL: it is needed to set up the IPC buffer");
        return -1;
    }
    if (config.cspace == seL4_CapNull) {
        ZF_LOGE("no CSpace root given for the thread");
        return -1;
    }
    size_t stack_pages = config.custom_stack_size ? config.stack_size
                                                  : BYTES_TO_4K_PAGES(CONFIG_SEL4UTILS_STACK_SIZE);
#ifndef CONFIG_KERNEL_MCS
    if (config.sched_params.create_sc) {
        ZF_LOGE("cannot create a scheduling context on a non-MCS kernel");
        return -1;
    }
#endif
    if (config.sched_params.create_sc && config.sched_params.sched_ctrl == seL4_CapNull) {
        ZF_LOGE("a scheduling context is to be created but no SchedControl cap was given");
        return -1;
    }

    int error = vka_alloc_tcb(vka, &res->tcb);
    if (error != 0) {
        ZF_LOGE("could not allocate a TCB (error %d)", error);
        goto fail;
    }

    if (!config.no_ipc_buffer) {
        res->ipc_buffer_addr = (seL4_Word)vspace_new_ipc_buffer(alloc, &res->ipc_buffer);
        if (res->ipc_buffer_addr == 0) {
            ZF_LOGE("could not allocate the IPC buffer");
            goto fail;
        }
        /* seL4's convention: the buffer's userData word holds its own address. */
        seL4_Word self = res->ipc_buffer_addr;
        if (sel4utils_internal_write(parent, vka, alloc, vka,
                                     res->ipc_buffer_addr + offsetof(seL4_IPCBuffer, userData),
                                     &self, sizeof(self)) != 0) {
            ZF_LOGE("could not write the IPC buffer's userData word");
            goto fail;
        }
    }

#ifdef CONFIG_KERNEL_MCS
    if (config.create_reply) {
        error = vka_alloc_reply(vka, &res->reply);
        if (error != 0) {
            ZF_LOGE("could not allocate a reply object (error %d)", error);
            goto fail;
        }
        res->own_reply = true;
    } else {
        res->reply.cptr = config.reply;
    }
#else
    res->reply.cptr = config.reply;
#endif

    if (config.sched_params.create_sc) {
        error = vka_alloc_sched_context(vka, &res->sched_context);
        if (error != 0) {
            ZF_LOGE("could not allocate a scheduling context (error %d)", error);
            goto fail;
        }
        res->own_sc = true;
        error = api_sched_ctrl_configure(config.sched_params.sched_ctrl, res->sched_context.cptr,
                                         config.sched_params.budget, config.sched_params.period,
                                         config.sched_params.extra_refills, config.sched_params.badge);
        if (error != seL4_NoError) {
            ZF_LOGE("could not configure the scheduling context (budget %" PRIu64 " period %" PRIu64
                    " us): %s", config.sched_params.budget, config.sched_params.period,
                    sel4_strerror(error));
            goto fail;
        }
    } else {
        res->sched_context.cptr = config.sched_params.sched_context;
    }

    error = api_tcb_configure(res->tcb.cptr, config.fault_endpoint, seL4_CapNull, res->sched_context.cptr,
                              config.cspace, config.cspace_root_data, vspace_get_root(alloc), 0,
                              res->ipc_buffer_addr, res->ipc_buffer);
    if (error != seL4_NoError) {
        ZF_LOGE("could not configure the TCB: %s", sel4_strerror(error));
        goto fail;
    }

    /* A new TCB has priority and MCP 0 already. */
    if (config.sched_params.priority != 0 || config.sched_params.mcp != 0) {
        error = api_tcb_set_sched_params(res->tcb.cptr, config.sched_params.auth, config.sched_params.priority,
                                         config.sched_params.mcp, res->sched_context.cptr,
                                         config.fault_endpoint);
        if (error != seL4_NoError) {
            ZF_LOGE("could not set priority %u / mcp %u: %s", config.sched_params.priority,
                    config.sched_params.mcp, sel4_strerror(error));
            goto fail;
        }
    }

    if (stack_pages > 0) {
        res->stack_size = stack_pages;
        res->stack_top = vspace_new_sized_stack(alloc, stack_pages);
        if (res->stack_top == NULL) {
            ZF_LOGE("could not allocate a stack of %zu pages", stack_pages);
            res->stack_size = 0;
            goto fail;
        }
        res->initial_stack_pointer = res->stack_top;
    }
    return 0;

fail:
    sel4utils_clean_up_thread(vka, alloc, res);
    return -1;
}

int sel4utils_start_thread(sel4utils_thread_t *thread, sel4utils_thread_entry_fn entry_point, void *arg0,
                           void *arg1, int resume)
{
    if (thread == NULL || entry_point == NULL) {
        ZF_LOGE("%s is NULL", thread == NULL ? "thread" : "entry_point");
        return -1;
    }
    if (thread->tcb.cptr == seL4_CapNull) {
        ZF_LOGE("the thread is not configured (no TCB)");
        return -1;
    }
    if (thread->stack_top == NULL || thread->stack_size == 0) {
        ZF_LOGE("the thread has no stack");
        return -1;
    }

    /* The TLS block goes at the top of the thread's stack: the program's TLS image, the
     * thread pointer word, and this thread's IPC buffer pointer in __sel4_ipc_buffer. */
    const size_t align = 16;
    size_t tls_bytes = ROUND_UP(sel4runtime_get_tls_size(), align);
    size_t stack_bytes = thread->stack_size * PAGE_SIZE_4K;
    if (tls_bytes > stack_bytes / 8) {
        ZF_LOGE("the TLS block (%zu bytes) would take more than 1/8 of the %zu-byte stack", tls_bytes,
                stack_bytes);
        return -1;
    }
    uintptr_t top = (uintptr_t)thread->stack_top;
    uintptr_t area = (top - tls_bytes) & ~(uintptr_t)(align - 1);
    uintptr_t tp = cairn_tls_init((void *)area, top - area);
    if (tp == 0) {
        ZF_LOGE("could not lay out the TLS block");
        return -1;
    }
    seL4_IPCBuffer **ipc_var = cairn_tls_variable(tp, &__sel4_ipc_buffer);
    *ipc_var = (seL4_IPCBuffer *)thread->ipc_buffer_addr;

    uintptr_t sp = area & ~(uintptr_t)(STACK_CALL_ALIGNMENT - 1);
    seL4_UserContext context = {0};
    if (sel4utils_arch_init_local_context(entry_point, arg0, arg1, (void *)thread->ipc_buffer_addr, (void *)sp,
                                          &context) != 0) {
        return -1;
    }
    context.fs_base = tp;
    thread->initial_stack_pointer = (void *)sp;

    int error = seL4_TCB_WriteRegisters(thread->tcb.cptr, 0, 0, sizeof(context) / sizeof(seL4_Word), &context);
    if (error == seL4_NoError) {
        error = seL4_TCB_SetTLSBase(thread->tcb.cptr, tp);
    }
    if (error == seL4_NoError && resume) {
        error = seL4_TCB_Resume(thread->tcb.cptr);
    }
    if (error != seL4_NoError) {
        ZF_LOGE("could not start the thread: %s", sel4_strerror(error));
        return -1;
    }
    return 0;
}

void sel4utils_clean_up_thread(vka_t *vka, vspace_t *alloc, sel4utils_thread_t *thread)
{
    if (thread == NULL) {
        ZF_LOGE("thread is NULL");
        return;
    }
    if (vka == NULL || alloc == NULL) {
        ZF_LOGE("%s is NULL: the thread's resources cannot be freed", vka == NULL ? "vka" : "alloc");
        return;
    }
    /* The TCB first: it stops the thread and drops its references to the other objects. */
    if (thread->tcb.cptr != seL4_CapNull) {
        vka_free_object(vka, &thread->tcb);
    }
    if (thread->ipc_buffer_addr != 0) {
        vspace_free_ipc_buffer(alloc, (void *)thread->ipc_buffer_addr);
    }
    if (thread->stack_top != NULL) {
        vspace_free_sized_stack(alloc, thread->stack_top, thread->stack_size);
    }
    if (thread->own_sc && thread->sched_context.cptr != seL4_CapNull) {
        vka_free_object(vka, &thread->sched_context);
    }
    if (thread->own_reply && thread->reply.cptr != seL4_CapNull) {
        vka_free_object(vka, &thread->reply);
    }
    memset(thread, 0, sizeof(*thread));
}

int sel4utils_checkpoint_thread(sel4utils_thread_t *thread, sel4utils_checkpoint_t *checkpoint, bool suspend)
{
    if (thread == NULL || checkpoint == NULL) {
        ZF_LOGE("%s is NULL", thread == NULL ? "thread" : "checkpoint");
        return -1;
    }
    memset(checkpoint, 0, sizeof(*checkpoint));
    int error = seL4_TCB_ReadRegisters(thread->tcb.cptr, suspend, 0, sizeof(seL4_UserContext) / sizeof(seL4_Word),
                                       &checkpoint->regs);
    if (error != seL4_NoError) {
        ZF_LOGE("could not read the thread's registers: %s", sel4_strerror(error));
        return error;
    }
    uintptr_t sp = checkpoint->regs.rsp, top = (uintptr_t)thread->stack_top;
    if (sp > top || top - sp > thread->stack_size * PAGE_SIZE_4K) {
        ZF_LOGE("the thread's stack pointer %p is not in its stack", (void *)sp);
        return -1;
    }
    checkpoint->stack = malloc(top - sp + 1);
    if (checkpoint->stack == NULL) {
        ZF_LOGE("no memory for a %zu-byte stack copy", (size_t)(top - sp));
        return -1;
    }
    memcpy(checkpoint->stack, (void *)sp, top - sp);
    checkpoint->thread = thread;
    return 0;
}

int sel4utils_checkpoint_restore(sel4utils_checkpoint_t *checkpoint, bool free_memory, bool resume)
{
    if (checkpoint == NULL || checkpoint->thread == NULL || checkpoint->stack == NULL) {
        ZF_LOGE("not a valid checkpoint");
        return -1;
    }
    uintptr_t sp = checkpoint->regs.rsp, top = (uintptr_t)checkpoint->thread->stack_top;
    memcpy((void *)sp, checkpoint->stack, top - sp);
    int error = seL4_TCB_WriteRegisters(checkpoint->thread->tcb.cptr, resume, 0,
                                        sizeof(seL4_UserContext) / sizeof(seL4_Word), &checkpoint->regs);
    if (error != seL4_NoError) {
        ZF_LOGE("could not write the thread's registers: %s", sel4_strerror(error));
        return error;
    }
    if (free_memory) {
        sel4utils_free_checkpoint(checkpoint);
    }
    return 0;
}

void sel4utils_free_checkpoint(sel4utils_checkpoint_t *checkpoint)
{
    if (checkpoint != NULL) {
        free(checkpoint->stack);
        checkpoint->stack = NULL;
    }
}

void sel4utils_print_fault_message(seL4_MessageInfo_t tag, const char *name)
{
    seL4_Word label = seL4_MessageInfo_get_label(tag);
    name = name ? name : "?";
    switch (label) {
    case seL4_Fault_VMFault: {
        seL4_Word fsr = seL4_GetMR(seL4_VMFault_FSR);
        printf("Pagefault from [%s]: %s %s at PC: %p vaddr: %p, FSR %p\n", name,
               (fsr & 2) ? "write" : "read", seL4_GetMR(seL4_VMFault_PrefetchFault) ? "prefetch fault" : "fault",
               (void *)seL4_GetMR(seL4_VMFault_IP), (void *)seL4_GetMR(seL4_VMFault_Addr), (void *)fsr);
        break;
    }
    case seL4_Fault_UnknownSyscall:
        printf("Bad syscall from [%s]: scno %" PRIuPTR " at PC: %p\n", name,
               (uintptr_t)seL4_GetMR(seL4_UnknownSyscall_Syscall), (void *)seL4_GetMR(seL4_UnknownSyscall_FaultIP));
        break;
    case seL4_Fault_UserException:
        printf("Invalid instruction from [%s] at PC: %p\n", name, (void *)seL4_GetMR(seL4_UserException_FaultIP));
        break;
    case seL4_Fault_CapFault:
        printf("Cap fault from [%s] in phase %s\nPC = %p\nCPtr = %p\n", name,
               seL4_GetMR(seL4_CapFault_InRecvPhase) ? "receive" : "send", (void *)seL4_GetMR(seL4_CapFault_IP),
               (void *)seL4_GetMR(seL4_CapFault_Addr));
        break;
#ifdef CONFIG_KERNEL_MCS
    case seL4_Fault_Timeout:
        printf("Timeout fault from [%s]\n", name);
        break;
#endif
    default:
        printf("Unknown fault from [%s]: %" PRIuPTR " (length = %" PRIuPTR ")\n", name, (uintptr_t)label,
               (uintptr_t)seL4_MessageInfo_get_length(tag));
        break;
    }
}

int sel4utils_set_sched_affinity(sel4utils_thread_t *thread, sched_params_t params)
{
    if (thread == NULL) {
        ZF_LOGE("thread is NULL");
        return -1;
    }
    if (params.core != 0) {
        ZF_LOGE("core %lu does not exist: Cairn runs on one core", (unsigned long)params.core);
        return -ENOSYS;
    }
    return 0;
}
