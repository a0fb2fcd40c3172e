/* Processes made by sel4utils (libsel4utils' process.h): a thread in its own CSpace and
 * VSpace, loaded from an ELF image in the CPIO archive linked into the program. */
#pragma once

#include <autoconf.h>
#include <stdbool.h>
#include <stdint.h>
#include <sel4/sel4.h>
#include <vka/vka.h>
#include <vka/object.h>
#include <vspace/vspace.h>
#include <sel4utils/thread.h>
#include <sel4utils/process_config.h>
#include <sel4utils/vspace.h>
#include <sel4utils/elf.h>

/* Room for one word printed in decimal, with its terminating NUL. */
#define WORD_STRING_SIZE ((CONFIG_WORD_SIZE / 3) + 1)

typedef struct object_node object_node_t;

struct object_node {
    vka_object_t object;
    object_node_t *next;
};

typedef struct {
    vka_object_t pd;                 /* root of the VSpace (PML4) */
    vspace_t vspace;                 /* the process's vspace, managed from the spawner */
    sel4utils_alloc_data_t data;
    vka_object_t cspace;             /* root CNode */
    uint32_t cspace_size;            /* its size in bits */
    uint32_t cspace_next_free;       /* next slot the *_to_process helpers fill */
    sel4utils_thread_t thread;
    vka_object_t fault_endpoint;
    void *entry_point;
    uintptr_t sysinfo;
    seL4_CPtr dest_tcb_cptr;         /* the thread's TCB in its own CSpace (0: none) */
    seL4_Word pagesz;
    object_node_t *allocated_object_list_head; /* paging objects made by the vspace */
    int num_elf_phdrs;
    Elf_Phdr *elf_phdrs;
    int num_elf_regions;             /* regions reserved but not loaded (do_elf_load false) */
    sel4utils_elf_region_t *elf_regions;
    bool own_vspace;
    bool own_cspace;
    bool own_ep;
} sel4utils_process_t;

/* The caps a process created with its own CSpace finds in it. */
enum sel4utils_cspace_layout {
    SEL4UTILS_NULL_SLOT = 0,
    SEL4UTILS_CNODE_SLOT = 1,         /* its root CNode, with the guard */
    SEL4UTILS_ENDPOINT_SLOT = 2,      /* its fault endpoint */
    SEL4UTILS_PD_SLOT = 3,            /* its VSpace root */
    SEL4UTILS_ASID_POOL_SLOT = 4,     /* empty on x86_64, as in seL4 */
    SEL4UTILS_TCB_SLOT = 5,
    SEL4UTILS_SCHED_CONTEXT_SLOT = 6, /* MCS */
    SEL4UTILS_REPLY_SLOT = 7,         /* MCS */
    SEL4UTILS_FIRST_FREE = 8
};

/* Start a configured process at its entry point as entry(argc, argv, ipc buffer) with the
 * argument strings copied onto its stack. resume: 1 to run it now. 0 on success, -1 on error. */
int sel4utils_spawn_process(sel4utils_process_t *process, vka_t *vka, vspace_t *vspace, int argc,
                            char *argv[], int resume);

/* Start a configured process at its ELF entry point with a System V initial stack: argc,
 * argv, envp, auxv (AT_PAGESZ, AT_PHDR, AT_PHENT, AT_PHNUM, AT_SEL4_IPC_BUFFER_PTR,
 * AT_SEL4_TCB, AT_SYSINFO if known), copied into its stack through `vspace` (the caller's).
 * 0 on success, -1 on error. */
int sel4utils_spawn_process_v(sel4utils_process_t *process, vka_t *vka, vspace_t *vspace, int argc,
                              char *argv[], int resume);

/* process_config_default(image_name, the root task's ASID pool). 0 on success, -1 on error. */
int sel4utils_configure_process(sel4utils_process_t *process, vka_t *vka, vspace_t *vspace,
                                const char *image_name);

/* Create a process as `config` says; every object comes from `target_vka`, `spawner_vspace`
 * is the caller's own vspace. 0 on success; -1 on error, with nothing left allocated. */
int sel4utils_configure_process_custom(sel4utils_process_t *process, vka_t *target_vka,
                                       vspace_t *spawner_vspace, sel4utils_process_config_t config);

/* Copy the cap at `src` (a path in the caller's CSpace) into the next free slot of the
 * process's CSpace. Returns that slot, 0 on failure. */
seL4_CPtr sel4utils_copy_path_to_process(sel4utils_process_t *process, cspacepath_t src);

/* As sel4utils_copy_path_to_process, for a cap of the caller's CSpace known to `vka`. */
seL4_CPtr sel4utils_copy_cap_to_process(sel4utils_process_t *process, vka_t *vka, seL4_CPtr cap);

/* Move the cap at `src` into the process's CSpace; if from_vka is given, the emptied slot is
 * given back to it. Returns the new slot, 0 on failure. */
seL4_CPtr sel4utils_move_cap_to_process(sel4utils_process_t *process, cspacepath_t src, vka_t *from_vka);

/* Mint the cap at `src` into the process's CSpace with `rights` and badge/guard `data`.
 * Returns the new slot, 0 on failure. */
seL4_CPtr sel4utils_mint_cap_to_process(sel4utils_process_t *process, cspacepath_t src,
                                        seL4_CapRights_t rights, seL4_Word data);

/* Destroy a process and give back everything made for it: its thread (TCB, scheduling
 * context, reply object, stack, IPC buffer), CSpace and every cap in it, fault endpoint,
 * VSpace (frames, paging structures, PML4 and its ASID) and the bookkeeping. */
void sel4utils_destroy_process(sel4utils_process_t *process, vka_t *vka);

/* The allocated-object callback sel4utils gives a process's vspace: records paging objects
 * so that sel4utils_destroy_process frees them. */
void sel4utils_allocated_object(void *cookie, vka_object_t object);

/* Write each of the argc words that follow as a decimal string into strings[i] and point
 * argv[i] at it. */
void sel4utils_create_word_args(char strings[][WORD_STRING_SIZE], char *argv[], int argc, ...);

/* The slot in a sel4utils process's CSpace holding the equivalent of the initial cap `cap`
 * (seL4_CapInitThreadTCB ...), seL4_CapNull if there is none. */
seL4_CPtr sel4utils_process_init_cap(void *data, seL4_CPtr cap);
