/* Shared with the Cairn kernel: freestanding-safe, no user-only code. */
/*
 * Payloads of the x86 extra-bootinfo chunks (ABI sheet §7.4). All packed:
 * chunks follow each other without alignment padding.
 */
#pragma once

#include <sel4/macros.h>
#include <sel4/simple_types.h>
#include <sel4/bootinfo_types.h> /* seL4_BootInfoHeader */

#define SEL4_MULTIBOOT_MAX_MMAP_ENTRIES 50
#define SEL4_MULTIBOOT_RAM_REGION_TYPE 1

/* VBE controller information (VESA BIOS Extensions 3.0 layout, 512 bytes) */
typedef struct seL4_VBEInfoBlock {
    char signature[4];
    seL4_Uint16 version;
    seL4_Uint32 oemStringPtr;
    seL4_Uint32 capabilities;
    seL4_Uint32 modeListPtr;
    seL4_Uint16 totalMemory;
    seL4_Uint16 oemSoftwareRev;
    seL4_Uint32 oemVendorNamePtr;
    seL4_Uint32 oemProductNamePtr;
    seL4_Uint32 oemProductRevPtr;
    seL4_Uint8 reserved[222];
    seL4_Uint8 oemData[256];
} SEL4_PACKED seL4_VBEInfoBlock_t;

/* VBE mode information (256 bytes), split by the VBE revision that added each part */
typedef struct seL4_VBEModeInfoCommon {
    seL4_Uint16 modeAttr;
    seL4_Uint8 winAAttr;
    seL4_Uint8 winBAttr;
    seL4_Uint16 winGranularity;
    seL4_Uint16 winSize;
    seL4_Uint16 winASeg;
    seL4_Uint16 winBSeg;
    seL4_Uint32 winFuncPtr;
    seL4_Uint16 bytesPerScanLine;
} SEL4_PACKED seL4_VBEModeInfoCommon_t;

typedef struct seL4_VBEInfo12Part1 {
    seL4_Uint16 xRes;
    seL4_Uint16 yRes;
    seL4_Uint8 xCharSize;
    seL4_Uint8 yCharSize;
    seL4_Uint8 planes;
    seL4_Uint8 bitsPerPixel;
    seL4_Uint8 banks;
    seL4_Uint8 memoryModel;
    seL4_Uint8 bankSize;
    seL4_Uint8 imagePages;
    seL4_Uint8 reserved1;
} SEL4_PACKED seL4_VBEInfo12Part1_t;

typedef struct seL4_VBEInfo12Part2 {
    seL4_Uint8 redLen;
    seL4_Uint8 redOff;
    seL4_Uint8 greenLen;
    seL4_Uint8 greenOff;
    seL4_Uint8 blueLen;
    seL4_Uint8 blueOff;
    seL4_Uint8 rsvdLen;
    seL4_Uint8 rsvdOff;
    seL4_Uint8 directColorInfo;
} SEL4_PACKED seL4_VBEInfo12Part2_t;

typedef struct seL4_VBEInfo20 {
    seL4_Uint32 physBasePtr;
    seL4_Uint8 reserved2[6];
} SEL4_PACKED seL4_VBEInfo20_t;

typedef struct seL4_VBEInfo30 {
    seL4_Uint16 linBytesPerScanLine;
    seL4_Uint8 bnkImagePages;
    seL4_Uint8 linImagePages;
    seL4_Uint8 linRedLen;
    seL4_Uint8 linRedOff;
    seL4_Uint8 linGreenLen;
    seL4_Uint8 linGreenOff;
    seL4_Uint8 linBlueLen;
    seL4_Uint8 linBlueOff;
    seL4_Uint8 linRsvdLen;
    seL4_Uint8 linRsvdOff;
    seL4_Uint32 maxPixelClock;
    seL4_Uint16 modeId;
    seL4_Uint8 depth;
} SEL4_PACKED seL4_VBEInfo30_t;

typedef struct seL4_VBEModeInfoBlock {
    seL4_VBEModeInfoCommon_t vbe_common;
    seL4_VBEInfo12Part1_t vbe12_part1;
    seL4_VBEInfo12Part2_t vbe12_part2;
    seL4_VBEInfo20_t vbe20;
    seL4_VBEInfo30_t vbe30;
    seL4_Uint8 reserved3[187];
} SEL4_PACKED seL4_VBEModeInfoBlock_t;

/* Chunk SEL4_BOOTINFO_HEADER_X86_VBE, 800 bytes including the header */
typedef struct seL4_X86_BootInfo_VBE {
    seL4_BootInfoHeader header;
    seL4_VBEInfoBlock_t vbeInfoBlock;
    seL4_VBEModeInfoBlock_t vbeModeInfoBlock;
    seL4_Uint32 vbeMode;
    seL4_Uint32 vbeInterfaceSeg;
    seL4_Uint32 vbeInterfaceOff;
    seL4_Uint32 vbeInterfaceLen;
} SEL4_PACKED seL4_X86_BootInfo_VBE;

/* One multiboot1 memory-map entry (24 bytes; `size` excludes itself) */
typedef struct seL4_X86_mb_mmap {
    seL4_Uint32 size;
    seL4_Uint64 base_addr;
    seL4_Uint64 length;
    seL4_Uint32 type; /* SEL4_MULTIBOOT_RAM_REGION_TYPE for usable RAM */
} SEL4_PACKED seL4_X86_mb_mmap_t;

/* Chunk SEL4_BOOTINFO_HEADER_X86_MBMMAP, always 1220 bytes; mmap_length = bytes of valid entries */
typedef struct seL4_X86_BootInfo_mmap {
    seL4_BootInfoHeader header;
    seL4_Uint32 mmap_length;
    seL4_X86_mb_mmap_t mmap[SEL4_MULTIBOOT_MAX_MMAP_ENTRIES];
} SEL4_PACKED seL4_X86_BootInfo_mmap_t;

/*
 * Payload (after the header) of chunk SEL4_BOOTINFO_HEADER_X86_FRAMEBUFFER:
 * the multiboot2 framebuffer tag, 22 bytes. (seL4 leaves this type incomplete
 * in user space; here it is spelled out.)
 */
typedef struct seL4_X86_BootInfo_fb {
    seL4_Uint64 addr;
    seL4_Uint32 pitch;
    seL4_Uint32 width;
    seL4_Uint32 height;
    seL4_Uint8 bpp;
    seL4_Uint8 type;
} SEL4_PACKED seL4_X86_BootInfo_fb_t;

SEL4_COMPILE_ASSERT(seL4_X86_BootInfo_VBE_size, sizeof(seL4_X86_BootInfo_VBE) == 800)
SEL4_COMPILE_ASSERT(seL4_X86_BootInfo_mmap_size, sizeof(seL4_X86_BootInfo_mmap_t) == 1220)
SEL4_COMPILE_ASSERT(seL4_X86_BootInfo_fb_size, sizeof(seL4_X86_BootInfo_fb_t) == 22)
