/*
 * malloc.c - a small first-fit allocator over a static arena in .bss.
 *
 * Layout: the arena is a sequence of blocks that exactly tile it.  Each
 * block starts with a 16-byte header (the size of the physically previous
 * block, and its own size with bit 0 = "in use"); the payload follows, so
 * payloads are 16-byte aligned.  Free blocks additionally keep free-list
 * links in their payload, hence the 32-byte minimum block.  Freeing merges
 * with free neighbours immediately, so no two free blocks are ever
 * adjacent.
 *
 * Not thread-safe: Cairn user programs are single-threaded for now.
 */
#include "names.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifndef CAIRN_MALLOC_ARENA_SIZE
#define CAIRN_MALLOC_ARENA_SIZE (4ul << 20)
#endif

#define ALIGN 16
#define HDR 16                  /* header bytes before the payload */
#define MIN_BLOCK 32            /* header + two free-list links */
#define USED 1ul

_Static_assert(CAIRN_MALLOC_ARENA_SIZE % ALIGN == 0 && CAIRN_MALLOC_ARENA_SIZE >= 4096,
               "CAIRN_MALLOC_ARENA_SIZE must be a multiple of 16, at least 4096");

struct block {
    size_t prev_size;           /* 0 for the first block */
    size_t size;                /* whole block incl. header; bit 0: in use */
    struct block *next_free;    /* these two only while free */
    struct block *prev_free;
};

static unsigned char arena[CAIRN_MALLOC_ARENA_SIZE] __attribute__((aligned(ALIGN)));
static struct block *free_list;
static bool initialised;

#define ARENA_END (arena + sizeof arena)

static size_t bsize(const struct block *b)
{
    return b->size & ~USED;
}

static bool in_use(const struct block *b)
{
    return b->size & USED;
}

static struct block *next_block(struct block *b)
{
    unsigned char *n = (unsigned char *)b + bsize(b);
    return n < ARENA_END ? (struct block *)n : NULL;
}

static struct block *prev_block(struct block *b)
{
    return b->prev_size ? (struct block *)((unsigned char *)b - b->prev_size) : NULL;
}

/* Set a block's size and keep the successor's back link in step. */
static void set_size(struct block *b, size_t size, size_t used)
{
    b->size = size | used;
    struct block *n = next_block(b);
    if (n)
        n->prev_size = size;
}

static void list_push(struct block *b)
{
    b->prev_free = NULL;
    b->next_free = free_list;
    if (free_list)
        free_list->prev_free = b;
    free_list = b;
}

static void list_remove(struct block *b)
{
    if (b->prev_free)
        b->prev_free->next_free = b->next_free;
    else
        free_list = b->next_free;
    if (b->next_free)
        b->next_free->prev_free = b->prev_free;
}

static void init(void)
{
    struct block *b = (struct block *)arena;

    b->prev_size = 0;
    set_size(b, sizeof arena, 0);
    list_push(b);
    initialised = true;
}

/* Mark b free, merge it with free neighbours, put it on the free list. */
static void release(struct block *b)
{
    size_t size = bsize(b);
    struct block *n = next_block(b);
    struct block *p = prev_block(b);

    if (n && !in_use(n)) {
        list_remove(n);
        size += bsize(n);
    }
    if (p && !in_use(p)) {
        list_remove(p);
        size += bsize(p);
        b = p;
    }
    set_size(b, size, 0);
    list_push(b);
}

/* Shrink the in-use block b to `need` bytes, freeing the tail if it is big
 * enough to be a block of its own. */
static void trim(struct block *b, size_t need)
{
    size_t size = bsize(b);

    if (size - need >= MIN_BLOCK) {
        set_size(b, need, USED);
        struct block *rest = (struct block *)((unsigned char *)b + need);
        set_size(rest, size - need, 0);
        release(rest);
    }
}

/* Block size for an n-byte request, or 0 if it cannot possibly fit. */
static size_t block_size(size_t n)
{
    if (n > sizeof arena)
        return 0;
    size_t need = (n + HDR + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    return need < MIN_BLOCK ? MIN_BLOCK : need;
}

static void *payload(struct block *b)
{
    return (unsigned char *)b + HDR;
}

/* The block behind a pointer handed out by us; anything else (including a
 * double free) is a fatal bug in the caller. */
static struct block *owner(void *p)
{
    uintptr_t a = (uintptr_t)p;

    if (a < (uintptr_t)arena + HDR || a >= (uintptr_t)ARENA_END || (a & (ALIGN - 1)))
        abort();
    struct block *b = (struct block *)((unsigned char *)p - HDR);
    if (!in_use(b))
        abort();
    return b;
}

void *malloc(size_t n)
{
    size_t need = block_size(n);

    if (!initialised)
        init();
    if (need) {
        for (struct block *b = free_list; b; b = b->next_free) {
            if (bsize(b) >= need) {
                list_remove(b);
                b->size |= USED;
                trim(b, need);
                return payload(b);
            }
        }
    }
    errno = ENOMEM;
    return NULL;
}

void free(void *p)
{
    if (p)
        release(owner(p));
}

void *calloc(size_t nmemb, size_t size)
{
    size_t total;

    if (__builtin_mul_overflow(nmemb, size, &total)) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = malloc(total);
    if (p)
        memset(p, 0, total);    /* blocks get reused: not necessarily zero */
    return p;
}

void *realloc(void *p, size_t n)
{
    if (!p)
        return malloc(n);

    struct block *b = owner(p);
    size_t need = block_size(n);
    size_t have = bsize(b);

    if (!need) {
        errno = ENOMEM;
        return NULL;
    }
    if (need <= have) {
        trim(b, need);
        return p;
    }
    /* Grow in place into a free successor if that is enough. */
    struct block *nx = next_block(b);
    if (nx && !in_use(nx) && have + bsize(nx) >= need) {
        list_remove(nx);
        set_size(b, have + bsize(nx), USED);
        trim(b, need);
        return p;
    }
    void *q = malloc(n);
    if (!q)
        return NULL;            /* the old block stays valid */
    memcpy(q, p, have - HDR);
    release(b);
    return q;
}

void *aligned_alloc(size_t alignment, size_t n)
{
    if (!alignment || (alignment & (alignment - 1))) {
        errno = EINVAL;
        return NULL;
    }
    if (alignment <= ALIGN)
        return malloc(n);
    if (n > sizeof arena || alignment > sizeof arena) {
        errno = ENOMEM;
        return NULL;
    }

    /* Over-allocate, then cut a free block off the front so the payload
     * lands on the boundary.  That front piece must be >= MIN_BLOCK, hence
     * the extra MIN_BLOCK. */
    unsigned char *p = malloc(n + alignment + MIN_BLOCK);
    if (!p)
        return NULL;
    struct block *b = (struct block *)(p - HDR);
    if (((uintptr_t)p & (alignment - 1)) != 0) {
        uintptr_t a = ((uintptr_t)p + MIN_BLOCK + alignment - 1) & ~(uintptr_t)(alignment - 1);
        struct block *nb = (struct block *)(a - HDR);
        size_t lead = (size_t)((unsigned char *)nb - (unsigned char *)b);
        size_t total = bsize(b);

        set_size(b, lead, USED);
        set_size(nb, total - lead, USED);
        release(b);
        b = nb;
    }
    trim(b, block_size(n));
    return payload(b);
}

int posix_memalign(void **memptr, size_t alignment, size_t n)
{
    int saved = errno;      /* reports through the return value instead */

    if (!alignment || alignment % sizeof(void *) || (alignment & (alignment - 1)))
        return EINVAL;
    void *p = aligned_alloc(alignment, n);
    errno = saved;
    if (!p)
        return ENOMEM;
    *memptr = p;
    return 0;
}
