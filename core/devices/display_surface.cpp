// The interface has no code of its own; this file gives moc its signals.
#include "core/devices/display_surface.h"
