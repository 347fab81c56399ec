#ifndef SEQHUNT_CBLAS_SHIM_H
#define SEQHUNT_CBLAS_SHIM_H
#include <cblas.h>
#endif
