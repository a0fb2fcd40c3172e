/* A vka_t interface over an allocman (seL4 libsel4allocman's allocman/vka.h). */
#pragma once

#include <vka/vka.h>
#include <allocman/allocman.h>

/* Fill in vka so that it allocates from alloc (which must outlive it). */
void allocman_make_vka(vka_t *vka, allocman_t *alloc);
