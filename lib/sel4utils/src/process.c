/* sel4utils processes: a thread in its own CSpace and VSpace, loaded from the CPIO archive. */
#include <autoconf.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <elf.h>
#include <elf/elf.h>
#include <cpio/cpio.h>
#include <sel4/sel4.h>
#include <sel4runtime/auxv.h>
#include <utils/util.h>
#include <vka/vka.h>
#include <vka/object.h>
#include <vka/capops.h>
#include <vspace/vspace.h>
#include <sel4utils/api.h>
#include <sel4utils/vspace.h>
#include <sel4utils/process.h>
#include <sel4utils/helpers.h>
#include "internal.h"

/* The archive of process images linked into the program (weak: a program without one
 * sees an empty archive). */
extern char _cpio_archive[] __attribute__((weak));
extern char _cpio_archive_end[] __attribute__((weak));

/* CNode sizes a created CSpace may have: room for the fixed slots, and a sane maximum. */
#define MIN_CSPACE_BITS 4
#define MAX_CSPACE_BITS 24
/* Most arguments a process can be started with (their pointers are built on our stack). */
#define MAX_ARGS 1024

void sel4utils_allocated_object(void *cookie, vka_object_t object)
{
    sel4utils_process_t *process = cookie;
    if (process == NULL) {
        ZF_LOGE("no process given: object %lu is leaked", (unsigned long)object.cptr);
        return;
    }
    object_node_t *node = malloc(sizeof(*node));
    if (node == NULL) {
        ZF_LOGE("out of memory: object %lu is leaked", (unsigned long)object.cptr);
        return;
    }
    node->object = object;
    node->next = process->allocated_object_list_head;
    process->allocated_object_list_head = node;
}

static void clear_objects(sel4utils_process_t *process, vka_t *vka)
{
    while (process->allocated_object_list_head != NULL) {
        object_node_t *node = process->allocated_object_list_head;
        process->allocated_object_list_head = node->next;
        vka_free_object(vka, &node->object);
        free(node);
    }
}

/* ---- caps into the process's CSpace ---- */

static int next_free_slot(sel4utils_process_t *process, cspacepath_t *dest)
{
    if (process->cspace.cptr == seL4_CapNull || process->cspace_size == 0) {
        ZF_LOGE("the process has no CSpace made by sel4utils");
        return -1;
    }
    if (process->cspace_next_free >= BIT(process->cspace_size)) {
        ZF_LOGE("the process's CSpace is full (%lu slots)", (unsigned long)BIT(process->cspace_size));
        return -1;
    }
    *dest = (cspacepath_t){
        .root = process->cspace.cptr,
        .capPtr = process->cspace_next_free,
        .capDepth = process->cspace_size,
        .dest = process->cspace.cptr,
        .destDepth = seL4_WordBits,
        .offset = process->cspace_next_free,
        .window = 1,
    };
    return 0;
}

static int check_cap_args(sel4utils_process_t *process, const cspacepath_t *src)
{
    if (process == NULL) {
        ZF_LOGE("process is NULL");
        return -1;
    }
    if (src->capPtr == seL4_CapNull || src->root == seL4_CapNull) {
        ZF_LOGE("src is not a path to a cap (capPtr %lu, root %lu)", (unsigned long)src->capPtr,
                (unsigned long)src->root);
        return -1;
    }
    return 0;
}

seL4_CPtr sel4utils_mint_cap_to_process(sel4utils_process_t *process, cspacepath_t src, seL4_CapRights_t rights,
                                        seL4_Word data)
{
    cspacepath_t dest;
    if (check_cap_args(process, &src) != 0 || next_free_slot(process, &dest) != 0) {
        return 0;
    }
    int error = vka_cnode_mint(&dest, &src, rights, data);
    if (error != seL4_NoError) {
        ZF_LOGE("could not mint cap %lu into the process: %s", (unsigned long)src.capPtr, sel4_strerror(error));
        return 0;
    }
    process->cspace_next_free++;
    return dest.capPtr;
}

seL4_CPtr sel4utils_copy_path_to_process(sel4utils_process_t *process, cspacepath_t src)
{
    cspacepath_t dest;
    if (check_cap_args(process, &src) != 0 || next_free_slot(process, &dest) != 0) {
        return 0;
    }
    int error = vka_cnode_copy(&dest, &src, seL4_AllRights);
    if (error != seL4_NoError) {
        ZF_LOGE("could not copy cap %lu into the process: %s", (unsigned long)src.capPtr, sel4_strerror(error));
        return 0;
    }
    process->cspace_next_free++;
    return dest.capPtr;
}

seL4_CPtr sel4utils_copy_cap_to_process(sel4utils_process_t *process, vka_t *vka, seL4_CPtr cap)
{
    if (vka == NULL) {
        ZF_LOGE("vka is NULL");
        return 0;
    }
    if (cap == seL4_CapNull) {
        ZF_LOGE("cap is the null cptr");
        return 0;
    }
    cspacepath_t path;
    vka_cspace_make_path(vka, cap, &path);
    return sel4utils_copy_path_to_process(process, path);
}

seL4_CPtr sel4utils_move_cap_to_process(sel4utils_process_t *process, cspacepath_t src, vka_t *from_vka)
{
    cspacepath_t dest;
    if (check_cap_args(process, &src) != 0 || next_free_slot(process, &dest) != 0) {
        return 0;
    }
    int error = vka_cnode_move(&dest, &src);
    if (error != seL4_NoError) {
        ZF_LOGE("could not move cap %lu into the process: %s", (unsigned long)src.capPtr, sel4_strerror(error));
        return 0;
    }
    if (from_vka != NULL) {
        vka_cspace_free(from_vka, src.capPtr);
    }
    process->cspace_next_free++;
    return dest.capPtr;
}

void sel4utils_create_word_args(char strings[][WORD_STRING_SIZE], char *argv[], int argc, ...)
{
    if (argc > 0 && (strings == NULL || argv == NULL)) {
        ZF_LOGE("%s is NULL", strings == NULL ? "strings" : "argv");
        return;
    }
    va_list args;
    va_start(args, argc);
    for (int i = 0; i < argc; i++) {
        seL4_Word word = va_arg(args, seL4_Word);
        snprintf(strings[i], WORD_STRING_SIZE, "%" PRIuPTR, (uintptr_t)word);
        argv[i] = strings[i];
    }
    va_end(args);
}

seL4_CPtr sel4utils_process_init_cap(void *data, seL4_CPtr cap)
{
    (void)data;
    switch (cap) {
    case seL4_CapInitThreadTCB:
        return SEL4UTILS_TCB_SLOT;
    case seL4_CapInitThreadCNode:
        return SEL4UTILS_CNODE_SLOT;
    case seL4_CapInitThreadVSpace:
        return SEL4UTILS_PD_SLOT;
    case seL4_CapInitThreadASIDPool:
        return SEL4UTILS_ASID_POOL_SLOT;
#ifdef CONFIG_KERNEL_MCS
    case seL4_CapInitThreadSC:
        return SEL4UTILS_SCHED_CONTEXT_SLOT;
#endif
    default:
        ZF_LOGE("sel4utils gives new processes no copy of initial cap %lu", (unsigned long)cap);
        return seL4_CapNull;
    }
}

/* ---- starting ---- */

static int check_spawn_args(sel4utils_process_t *process, vka_t *vka, vspace_t *vspace, int argc, char *argv[])
{
    if (process == NULL || vka == NULL || vspace == NULL) {
        ZF_LOGE("%s is NULL", process == NULL ? "process" : vka == NULL ? "vka" : "vspace");
        return -1;
    }
    if (process->thread.tcb.cptr == seL4_CapNull || process->thread.stack_top == NULL) {
        ZF_LOGE("the process is not configured (no thread or no stack)");
        return -1;
    }
    if (process->entry_point == NULL) {
        ZF_LOGE("the process has no entry point");
        return -1;
    }
    if (argc < 0 || argc > MAX_ARGS || (argc > 0 && argv == NULL)) {
        ZF_LOGE("bad arguments: argc %d (at most %d), argv %p", argc, MAX_ARGS, (void *)argv);
        return -1;
    }
    for (int i = 0; i < argc; i++) {
        if (argv[i] == NULL) {
            ZF_LOGE("argv[%d] is NULL", i);
            return -1;
        }
    }
    return 0;
}

/* Builds the initial stack in a local buffer that is then copied to the top of the
 * process's stack in one go. `top` is the address just above it in the process. */
typedef struct {
    char *buf;
    size_t size;     /* bytes available */
    size_t used;     /* bytes filled, from the top down */
    uintptr_t top;
    bool overflow;
} stack_image_t;

/* Push bytes (aligned down to `align`); returns their address in the process. */
static uintptr_t push(stack_image_t *s, const void *data, size_t len, size_t align)
{
    uintptr_t addr = (s->top - s->used - len) & ~(uintptr_t)(align - 1);
    size_t used = s->top - addr;
    if (used > s->size || addr > s->top) {
        s->overflow = true;
        return 0;
    }
    s->used = used;
    if (len > 0) {
        memcpy(s->buf + (s->size - used), data, len);
    }
    return addr;
}

static int write_stack_image(sel4utils_process_t *process, vka_t *vka, vspace_t *vspace, stack_image_t *s)
{
    if (s->overflow) {
        ZF_LOGE("the arguments do not fit in the process's stack");
        return -1;
    }
    return sel4utils_internal_write(vspace, vka, &process->vspace, vka, s->top - s->used,
                                    s->buf + (s->size - s->used), s->used);
}

static int start(sel4utils_process_t *process, seL4_UserContext *context, int resume)
{
    int error = seL4_TCB_WriteRegisters(process->thread.tcb.cptr, resume != 0, 0,
                                        sizeof(*context) / sizeof(seL4_Word), context);
    if (error != seL4_NoError) {
        ZF_LOGE("could not start the process's thread: %s", sel4_strerror(error));
        return -1;
    }
    process->thread.initial_stack_pointer = (void *)context->rsp;
    return 0;
}

static int new_stack_image(sel4utils_process_t *process, stack_image_t *s)
{
    /* Use at most half the stack for the arguments. */
    s->size = process->thread.stack_size * PAGE_SIZE_4K / 2;
    s->used = 0;
    s->top = (uintptr_t)process->thread.stack_top;
    s->overflow = false;
    s->buf = malloc(s->size);
    if (s->buf == NULL) {
        ZF_LOGE("no memory to build the initial stack");
        return -1;
    }
    return 0;
}

int sel4utils_spawn_process(sel4utils_process_t *process, vka_t *vka, vspace_t *vspace, int argc, char *argv[],
                            int resume)
{
    if (check_spawn_args(process, vka, vspace, argc, argv) != 0) {
        return -1;
    }
    stack_image_t s;
    if (new_stack_image(process, &s) != 0) {
        return -1;
    }
    uintptr_t dest_argv[argc + 1];
    for (int i = argc - 1; i >= 0; i--) {
        dest_argv[i] = push(&s, argv[i], strlen(argv[i]) + 1, 1);
    }
    dest_argv[argc] = 0;
    uintptr_t argv_addr = push(&s, dest_argv, sizeof(dest_argv), STACK_CALL_ALIGNMENT);
    push(&s, NULL, 0, STACK_CALL_ALIGNMENT);
    int error = write_stack_image(process, vka, vspace, &s);
    uintptr_t sp = s.top - s.used;
    free(s.buf);
    if (error != 0) {
        return -1;
    }
    seL4_UserContext context = {0};
    if (sel4utils_arch_init_context_with_args((sel4utils_thread_entry_fn)process->entry_point,
                                              (void *)(uintptr_t)argc, (void *)argv_addr,
                                              (void *)process->thread.ipc_buffer_addr, false, (void *)sp,
                                              &context, vka, vspace, &process->vspace) != 0) {
        return -1;
    }
    return start(process, &context, resume);
}

int sel4utils_spawn_process_v(sel4utils_process_t *process, vka_t *vka, vspace_t *vspace, int argc, char *argv[],
                              int resume)
{
    if (check_spawn_args(process, vka, vspace, argc, argv) != 0) {
        return -1;
    }
    char ipc_env[32], tcb_env[40];
    snprintf(ipc_env, sizeof(ipc_env), "IPCBUFFER=0x%" PRIxPTR, (uintptr_t)process->thread.ipc_buffer_addr);
    snprintf(tcb_env, sizeof(tcb_env), "boot_tcb_cptr=0x%" PRIxPTR, (uintptr_t)process->dest_tcb_cptr);
    char *envp[] = {ipc_env, tcb_env};
    int envc = process->dest_tcb_cptr != 0 ? 2 : 1;

    stack_image_t s;
    if (new_stack_image(process, &s) != 0) {
        return -1;
    }
    /* Strings and program headers at the top ... */
    uintptr_t dest_argv[argc + 1], dest_envp[envc + 1];
    for (int i = argc - 1; i >= 0; i--) {
        dest_argv[i] = push(&s, argv[i], strlen(argv[i]) + 1, 1);
    }
    for (int i = envc - 1; i >= 0; i--) {
        dest_envp[i] = push(&s, envp[i], strlen(envp[i]) + 1, 1);
    }
    dest_argv[argc] = 0;
    dest_envp[envc] = 0;
    uintptr_t phdrs = 0;
    if (process->num_elf_phdrs > 0) {
        phdrs = push(&s, process->elf_phdrs, process->num_elf_phdrs * sizeof(Elf_Phdr), sizeof(seL4_Word));
    }

    /* ... then the auxiliary vector, envp, argv and argc, argc landing 16-byte aligned. */
    Elf64_auxv_t auxv[10];
    int auxc = 0;
    auxv[auxc++] = (Elf64_auxv_t){AT_PAGESZ, {process->pagesz}};
    if (phdrs != 0) {
        auxv[auxc++] = (Elf64_auxv_t){AT_PHDR, {phdrs}};
        auxv[auxc++] = (Elf64_auxv_t){AT_PHENT, {sizeof(Elf_Phdr)}};
        auxv[auxc++] = (Elf64_auxv_t){AT_PHNUM, {(uint64_t)process->num_elf_phdrs}};
    }
    auxv[auxc++] = (Elf64_auxv_t){AT_SEL4_IPC_BUFFER_PTR, {process->thread.ipc_buffer_addr}};
    if (process->dest_tcb_cptr != 0) {
        auxv[auxc++] = (Elf64_auxv_t){AT_SEL4_TCB, {process->dest_tcb_cptr}};
    }
    if (process->sysinfo != 0) {
        auxv[auxc++] = (Elf64_auxv_t){AT_SYSINFO, {process->sysinfo}};
    }
    auxv[auxc++] = (Elf64_auxv_t){AT_NULL, {0}};

    size_t frame = sizeof(seL4_Word) + sizeof(dest_argv) + sizeof(dest_envp) + auxc * sizeof(auxv[0]);
    /* place the frame so that argc (its lowest word) is 16-byte aligned; padding above it */
    uintptr_t below = s.top - s.used;
    uintptr_t want_sp = (below - frame) & ~(uintptr_t)(STACK_CALL_ALIGNMENT - 1);
    if (below < frame || want_sp > below || s.top - want_sp > s.size) {
        s.overflow = true;
    } else {
        s.used = s.top - (want_sp + frame);
    }
    push(&s, auxv, auxc * sizeof(auxv[0]), 1);
    push(&s, dest_envp, sizeof(dest_envp), 1);
    push(&s, dest_argv, sizeof(dest_argv), 1);
    seL4_Word argc_word = (seL4_Word)argc;
    uintptr_t sp = push(&s, &argc_word, sizeof(argc_word), 1);
    if (!s.overflow && sp != want_sp) {
        ZF_LOGE("internal error: initial stack pointer %p misaligned", (void *)sp);
        s.overflow = true;
    }
    int error = write_stack_image(process, vka, vspace, &s);
    free(s.buf);
    if (error != 0) {
        return -1;
    }
    seL4_UserContext context = {0};
    sel4utils_arch_init_context(process->entry_point, (void *)sp, &context);
    return start(process, &context, resume);
}

/* ---- creating and destroying ---- */

int sel4utils_configure_process(sel4utils_process_t *process, vka_t *vka, vspace_t *vspace, const char *image_name)
{
    sel4utils_process_config_t config = process_config_default(image_name, seL4_CapInitThreadASIDPool);
    return sel4utils_configure_process_custom(process, vka, vspace, config);
}

/* Find image_name in the archive and open it as an ELF file. */
static int open_image(const char *image_name, elf_t *elf)
{
    if (_cpio_archive == NULL || _cpio_archive_end == NULL) {
        ZF_LOGE("this program has no CPIO archive, so no image \"%s\"", image_name);
        return -1;
    }
    unsigned long size = 0;
    void *file = cpio_get_file(_cpio_archive, (unsigned long)(_cpio_archive_end - _cpio_archive), image_name, &size);
    if (file == NULL) {
        ZF_LOGE("no image \"%s\" in the CPIO archive", image_name);
        return -1;
    }
    if (elf_newFile(file, size, elf) != 0) {
        ZF_LOGE("image \"%s\" is not a valid ELF file", image_name);
        return -1;
    }
    return 0;
}

static int check_config(sel4utils_process_t *process, vka_t *vka, vspace_t *spawner_vspace,
                        sel4utils_process_config_t *config)
{
    if (process == NULL || vka == NULL || spawner_vspace == NULL) {
        ZF_LOGE("%s is NULL", process == NULL ? "process" : vka == NULL ? "vka" : "spawner_vspace");
        return -1;
    }
    if (config->is_elf && config->image_name == NULL) {
        ZF_LOGE("no image name given");
        return -1;
    }
    if (!config->is_elf && config->entry_point == NULL) {
        ZF_LOGE("no ELF image and no entry point given");
        return -1;
    }
    if (config->create_cspace && (config->one_level_cspace_size_bits < MIN_CSPACE_BITS ||
                                  config->one_level_cspace_size_bits > MAX_CSPACE_BITS)) {
        ZF_LOGE("CSpace size of %d bits is outside [%d, %d]", config->one_level_cspace_size_bits, MIN_CSPACE_BITS,
                MAX_CSPACE_BITS);
        return -1;
    }
    if (!config->create_cspace && config->cnode.cptr == seL4_CapNull) {
        ZF_LOGE("no CSpace: neither create_cspace nor a cnode given");
        return -1;
    }
    if (!config->create_vspace && (config->vspace == NULL || config->page_dir.cptr == seL4_CapNull)) {
        ZF_LOGE("no VSpace: neither create_vspace nor a vspace and its root given");
        return -1;
    }
    if (config->num_reservations < 0 || (config->num_reservations > 0 && config->reservations == NULL)) {
        ZF_LOGE("bad reservations: %d at %p", config->num_reservations, (void *)config->reservations);
        return -1;
    }
    return 0;
}

int sel4utils_configure_process_custom(sel4utils_process_t *process, vka_t *vka, vspace_t *spawner_vspace,
                                       sel4utils_process_config_t config)
{
    if (check_config(process, vka, spawner_vspace, &config) != 0) {
        return -1;
    }
    memset(process, 0, sizeof(*process));
    elf_t elf;
    if (config.is_elf && open_image(config.image_name, &elf) != 0) {
        return -1;
    }
    int error;
    seL4_Word cspace_root_data = 0;
    if (config.create_cspace || config.one_level_cspace_size_bits > 0) {
        cspace_root_data = api_make_guard_skip_word(seL4_WordBits - config.one_level_cspace_size_bits);
    }

    /* VSpace root, with an ASID */
    process->own_vspace = config.create_vspace;
    if (config.create_vspace) {
        error = vka_alloc_vspace_root(vka, &process->pd);
        if (error != 0) {
            ZF_LOGE("could not allocate the process's VSpace root (error %d)", error);
            goto fail;
        }
        seL4_CPtr pool = config.asid_pool != seL4_CapNull ? config.asid_pool : seL4_CapInitThreadASIDPool;
        error = seL4_X86_ASIDPool_Assign(pool, process->pd.cptr);
        if (error != seL4_NoError) {
            ZF_LOGE("could not give the VSpace an ASID from pool %lu: %s", (unsigned long)pool,
                    sel4_strerror(error));
            goto fail;
        }
    } else {
        process->pd = config.page_dir;
    }

    /* fault endpoint */
    if (config.create_fault_endpoint) {
        error = vka_alloc_endpoint(vka, &process->fault_endpoint);
        if (error != 0) {
            ZF_LOGE("could not allocate the fault endpoint (error %d)", error);
            goto fail;
        }
        process->own_ep = true;
    } else {
        process->fault_endpoint = config.fault_endpoint;
    }

    /* CSpace, with sel4utils' fixed slots */
    process->own_cspace = config.create_cspace;
    if (config.create_cspace) {
        error = vka_alloc_cnode_object(vka, config.one_level_cspace_size_bits, &process->cspace);
        if (error != 0) {
            ZF_LOGE("could not allocate a CNode of %d bits (error %d)", config.one_level_cspace_size_bits, error);
            goto fail;
        }
        process->cspace_size = config.one_level_cspace_size_bits;
        process->cspace_next_free = SEL4UTILS_CNODE_SLOT;
        cspacepath_t src;
        vka_cspace_make_path(vka, process->cspace.cptr, &src);
        if (sel4utils_mint_cap_to_process(process, src, seL4_AllRights, cspace_root_data) != SEL4UTILS_CNODE_SLOT) {
            goto fail;
        }
        if (process->fault_endpoint.cptr != seL4_CapNull) {
            vka_cspace_make_path(vka, process->fault_endpoint.cptr, &src);
            if (sel4utils_copy_path_to_process(process, src) != SEL4UTILS_ENDPOINT_SLOT) {
                goto fail;
            }
        } else {
            process->cspace_next_free++;
        }
        vka_cspace_make_path(vka, process->pd.cptr, &src);
        if (sel4utils_copy_path_to_process(process, src) != SEL4UTILS_PD_SLOT) {
            goto fail;
        }
        /* as seL4 on x86_64: no ASID pool cap for the process */
        process->cspace_next_free = SEL4UTILS_TCB_SLOT;
    } else {
        process->cspace = config.cnode;
    }

    /* the vspace manager for the new VSpace */
    if (config.create_vspace) {
        error = sel4utils_get_vspace(spawner_vspace, &process->vspace, &process->data, vka, process->pd.cptr,
                                     sel4utils_allocated_object, process);
        if (error != 0) {
            ZF_LOGE("could not create the process's vspace manager (error %d)", error);
            process->vspace.data = NULL;
            goto fail;
        }
        for (int i = 0; i < config.num_reservations; i++) {
            sel4utils_elf_region_t *r = &config.reservations[i];
            r->reservation = vspace_reserve_range_at(&process->vspace, r->elf_vstart, r->size, r->rights,
                                                     r->cacheable);
            if (r->reservation.res == NULL) {
                ZF_LOGE("could not reserve [%p, +%#x) in the new vspace", r->elf_vstart, r->size);
                goto fail;
            }
        }
    } else {
        process->vspace = *config.vspace;
    }

    /* the program */
    if (config.is_elf) {
        if (config.do_elf_load) {
            process->entry_point = sel4utils_elf_load(&process->vspace, spawner_vspace, vka, vka, &elf);
        } else {
            process->num_elf_regions = sel4utils_elf_num_regions(&elf);
            process->elf_regions = calloc(process->num_elf_regions, sizeof(*process->elf_regions));
            if (process->elf_regions == NULL) {
                ZF_LOGE("no memory for %d region records", process->num_elf_regions);
                goto fail;
            }
            process->entry_point = sel4utils_elf_reserve(&process->vspace, &elf, process->elf_regions);
        }
        if (process->entry_point == NULL) {
            ZF_LOGE("could not load image \"%s\"", config.image_name);
            goto fail;
        }
        process->sysinfo = sel4utils_elf_get_vsyscall(&elf);
        process->num_elf_phdrs = sel4utils_elf_num_phdrs(&elf);
        process->elf_phdrs = calloc(process->num_elf_phdrs, sizeof(Elf_Phdr));
        if (process->elf_phdrs == NULL) {
            ZF_LOGE("no memory for %d program headers", process->num_elf_phdrs);
            goto fail;
        }
        sel4utils_elf_read_phdrs(&elf, process->num_elf_phdrs, process->elf_phdrs);
    } else {
        process->entry_point = config.entry_point;
        process->sysinfo = config.sysinfo;
    }
    process->pagesz = PAGE_SIZE_4K;

    /* the thread, after the ELF so that its stack and IPC buffer do not take ELF addresses;
     * on MCS its fault endpoint is named in our CSpace */
    sel4utils_thread_config_t thread_config = {0};
    thread_config = thread_config_cspace(thread_config, process->cspace.cptr, cspace_root_data);
    thread_config = thread_config_fault_endpoint(thread_config, process->fault_endpoint.cptr);
    thread_config.sched_params = config.sched_params;
    thread_config.create_reply = config.create_cspace;
    if (sel4utils_configure_thread_config(vka, spawner_vspace, &process->vspace, thread_config,
                                          &process->thread) != 0) {
        ZF_LOGE("could not configure the process's thread");
        goto fail;
    }

    if (config.create_cspace) {
        if (sel4utils_copy_cap_to_process(process, vka, process->thread.tcb.cptr) != SEL4UTILS_TCB_SLOT) {
            goto fail;
        }
        process->dest_tcb_cptr = SEL4UTILS_TCB_SLOT;
        if (process->thread.sched_context.cptr != seL4_CapNull) {
            if (sel4utils_copy_cap_to_process(process, vka, process->thread.sched_context.cptr) !=
                SEL4UTILS_SCHED_CONTEXT_SLOT) {
                goto fail;
            }
        } else {
            process->cspace_next_free++;
        }
        if (process->thread.reply.cptr != seL4_CapNull) {
            if (sel4utils_copy_cap_to_process(process, vka, process->thread.reply.cptr) != SEL4UTILS_REPLY_SLOT) {
                goto fail;
            }
        } else {
            process->cspace_next_free++;
        }
    } else {
        process->dest_tcb_cptr = config.dest_cspace_tcb_cptr;
    }
    return 0;

fail:
    sel4utils_destroy_process(process, vka);
    return -1;
}

void sel4utils_destroy_process(sel4utils_process_t *process, vka_t *vka)
{
    if (process == NULL || vka == NULL) {
        ZF_LOGE("%s is NULL", process == NULL ? "process" : "vka");
        return;
    }
    /* Stop the thread before taking its world apart. */
    if (process->thread.tcb.cptr != seL4_CapNull) {
        seL4_TCB_Suspend(process->thread.tcb.cptr);
    }

    /* The CSpace: revoke first (the guarded copy in its own slot 1 and the TCB's CSpace root
     * are derived from our cap and would keep the CNode alive), then delete it and with it
     * every cap inside (copies of the TCB, SC, reply, VSpace root, endpoints, minted caps). */
    if (process->own_cspace && process->cspace.cptr != seL4_CapNull) {
        cspacepath_t path;
        vka_cspace_make_path(vka, process->cspace.cptr, &path);
        int error = vka_cnode_revoke(&path);
        if (error != seL4_NoError) {
            ZF_LOGE("could not revoke the process's CNode: %s", sel4_strerror(error));
        }
        vka_free_object(vka, &process->cspace);
    }

    /* The thread: TCB, scheduling context, reply object, IPC buffer and stack. */
    bool have_vspace = process->vspace.data != NULL;
    if (have_vspace) {
        sel4utils_clean_up_thread(vka, &process->vspace, &process->thread);
    } else if (process->thread.tcb.cptr != seL4_CapNull) {
        ZF_LOGE("internal error: a thread without a vspace");
    }

    /* The VSpace: every frame still mapped, the manager's bookkeeping, then the paging
     * structures it reported to us. */
    if (process->own_vspace) {
        if (have_vspace) {
            vspace_tear_down(&process->vspace, VSPACE_FREE);
        }
        clear_objects(process, vka);
    }

    if (process->own_ep && process->fault_endpoint.cptr != seL4_CapNull) {
        vka_free_object(vka, &process->fault_endpoint);
    }
    /* Deleting the VSpace root also gives its ASID back. */
    if (process->own_vspace && process->pd.cptr != seL4_CapNull) {
        vka_free_object(vka, &process->pd);
    }
    free(process->elf_regions);
    free(process->elf_phdrs);
    memset(process, 0, sizeof(*process));
}
