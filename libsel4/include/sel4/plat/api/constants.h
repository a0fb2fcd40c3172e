/* Shared with the Cairn kernel: freestanding-safe, no user-only code. */
/* pc99 has no platform-specific API constants; kept for include compatibility. */
#pragma once

#include <sel4/config.h>
