/* Token pasting and stringification with the arguments expanded first (<utils/stringify.h>). */
#pragma once

#define _STRINGIFY(s) #s
#define STRINGIFY(s) _STRINGIFY(s)
#define _JOIN(x, y) x##y
#define JOIN(x, y) _JOIN(x, y)
