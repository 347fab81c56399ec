#ifndef SEQHUNT_CCAIRO_SHIM_H
#define SEQHUNT_CCAIRO_SHIM_H
#include <cairo/cairo.h>
#endif
