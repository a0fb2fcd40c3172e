/* sel4runtime's build configuration, with the values Cairn's runtime uses. */
#pragma once

/* Bytes a thread's TLS region (for sel4runtime_write_tls_image) should have; enough for the
 * TLS of Cairn's programs (sel4runtime_get_tls_size() gives a program's exact need). */
#define CONFIG_SEL4RUNTIME_STATIC_TLS 16384
