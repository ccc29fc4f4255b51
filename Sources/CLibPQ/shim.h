#ifndef SETTLE_CLIBPQ_SHIM_H
#define SETTLE_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
