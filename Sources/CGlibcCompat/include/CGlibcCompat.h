// Nothing to call: this target only defines symbols, see CGlibcCompat.c.
#pragma once
