/* Shared with the Cairn kernel: freestanding-safe, no user-only code. */
/*
 * The word-sized ABI types (MessageInfo, CapRights, CNode cap data) with
 * their constructors and accessors, and the IPC buffer (ABI sheet §2, §3).
 */
#pragma once

#include <sel4/macros.h>
#include <sel4/simple_types.h>
#include <sel4/constants.h>
#include <sel4/sel4_arch/types.h>
#include <sel4/sel4_arch/constants.h>

typedef struct seL4_MessageInfo {
    seL4_Uint64 words[1];
} seL4_MessageInfo_t;

typedef struct seL4_CapRights {
    seL4_Uint64 words[1];
} seL4_CapRights_t;

typedef struct seL4_CNode_CapData {
    seL4_Uint64 words[1];
} seL4_CNode_CapData_t;

#define SEL4_BF_MASK(bits) ((((seL4_Uint64)1) << (bits)) - 1)

/*
 * Defines T_get_F, T_set_F (returns the updated value), T_ptr_get_F and
 * T_ptr_set_F for a `bits`-wide field at bit `shift` of the one-word type T_t.
 * Values are truncated to the field width, as seL4's generated code does.
 */
#define SEL4_BF_FIELD(T, F, shift, bits)                                          \
    LIBSEL4_INLINE_FUNC seL4_Uint64 T##_get_##F(T##_t w)                          \
    {                                                                             \
        return (w.words[0] >> (shift)) & SEL4_BF_MASK(bits);                      \
    }                                                                             \
    LIBSEL4_INLINE_FUNC T##_t T##_set_##F(T##_t w, seL4_Uint64 v)                 \
    {                                                                             \
        w.words[0] = (w.words[0] & ~(SEL4_BF_MASK(bits) << (shift)))              \
                     | ((v & SEL4_BF_MASK(bits)) << (shift));                     \
        return w;                                                                 \
    }                                                                             \
    LIBSEL4_INLINE_FUNC seL4_Uint64 T##_ptr_get_##F(const T##_t *p)               \
    {                                                                             \
        return T##_get_##F(*p);                                                   \
    }                                                                             \
    LIBSEL4_INLINE_FUNC void T##_ptr_set_##F(T##_t *p, seL4_Uint64 v)             \
    {                                                                             \
        *p = T##_set_##F(*p, v);                                                  \
    }

/* MessageInfo: label 63..12, capsUnwrapped 11..9, extraCaps 8..7, length 6..0 */
SEL4_BF_FIELD(seL4_MessageInfo, label, 12, 52)
SEL4_BF_FIELD(seL4_MessageInfo, capsUnwrapped, 9, 3)
SEL4_BF_FIELD(seL4_MessageInfo, extraCaps, 7, 2)
SEL4_BF_FIELD(seL4_MessageInfo, length, 0, 7)

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_MessageInfo_new(seL4_Uint64 label, seL4_Uint64 capsUnwrapped,
                                                            seL4_Uint64 extraCaps, seL4_Uint64 length)
{
    seL4_MessageInfo_t m = { { 0 } };
    m = seL4_MessageInfo_set_label(m, label);
    m = seL4_MessageInfo_set_capsUnwrapped(m, capsUnwrapped);
    m = seL4_MessageInfo_set_extraCaps(m, extraCaps);
    return seL4_MessageInfo_set_length(m, length);
}

/* CapRights: grantReply bit 3, grant bit 2, read bit 1, write bit 0 */
SEL4_BF_FIELD(seL4_CapRights, capAllowGrantReply, 3, 1)
SEL4_BF_FIELD(seL4_CapRights, capAllowGrant, 2, 1)
SEL4_BF_FIELD(seL4_CapRights, capAllowRead, 1, 1)
SEL4_BF_FIELD(seL4_CapRights, capAllowWrite, 0, 1)

LIBSEL4_INLINE_FUNC seL4_CapRights_t seL4_CapRights_new(seL4_Uint64 capAllowGrantReply, seL4_Uint64 capAllowGrant,
                                                        seL4_Uint64 capAllowRead, seL4_Uint64 capAllowWrite)
{
    seL4_CapRights_t r = { { 0 } };
    r = seL4_CapRights_set_capAllowGrantReply(r, capAllowGrantReply);
    r = seL4_CapRights_set_capAllowGrant(r, capAllowGrant);
    r = seL4_CapRights_set_capAllowRead(r, capAllowRead);
    return seL4_CapRights_set_capAllowWrite(r, capAllowWrite);
}

/* CNode cap data (Mint/Mutate/Configure): guard 63..6, guardSize 5..0 */
SEL4_BF_FIELD(seL4_CNode_CapData, guard, 6, 58)
SEL4_BF_FIELD(seL4_CNode_CapData, guardSize, 0, 6)

LIBSEL4_INLINE_FUNC seL4_CNode_CapData_t seL4_CNode_CapData_new(seL4_Uint64 guard, seL4_Uint64 guardSize)
{
    seL4_CNode_CapData_t d = { { 0 } };
    d = seL4_CNode_CapData_set_guard(d, guard);
    return seL4_CNode_CapData_set_guardSize(d, guardSize);
}

#define seL4_ReadWrite     seL4_CapRights_new(0, 0, 1, 1)
#define seL4_AllRights     seL4_CapRights_new(1, 1, 1, 1)
#define seL4_CanRead       seL4_CapRights_new(0, 0, 1, 0)
#define seL4_CanWrite      seL4_CapRights_new(0, 0, 0, 1)
#define seL4_CanGrant      seL4_CapRights_new(0, 1, 0, 0)
#define seL4_CanGrantReply seL4_CapRights_new(1, 0, 0, 0)
#define seL4_NoWrite       seL4_CapRights_new(1, 1, 1, 0)
#define seL4_NoRead        seL4_CapRights_new(1, 1, 0, 1)
#define seL4_NoRights      seL4_CapRights_new(0, 0, 0, 0)

/*
 * The IPC buffer (1 KiB, aligned to its size). The kernel addresses it as
 * words: tag 0, msg[i] at i + 1, userData 121, caps_or_badges 122..124,
 * receive path 125..127.
 */
typedef struct seL4_IPCBuffer_ {
    seL4_MessageInfo_t tag;
    seL4_Word msg[seL4_MsgMaxLength];
    seL4_Word userData;
    seL4_Word caps_or_badges[seL4_MsgMaxExtraCaps]; /* send: extra caps; receive: badges */
    seL4_CPtr receiveCNode;
    seL4_CPtr receiveIndex;
    seL4_Word receiveDepth;
} seL4_IPCBuffer __attribute__((__aligned__(sizeof(struct seL4_IPCBuffer_))));

SEL4_COMPILE_ASSERT(seL4_IPCBuffer_size, sizeof(seL4_IPCBuffer) == LIBSEL4_BIT(seL4_IPCBufferSizeBits))
