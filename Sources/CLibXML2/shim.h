#ifndef SETTLE_CLIBXML2_SHIM_H
#define SETTLE_CLIBXML2_SHIM_H
// ICU must be hidden before any other libxml2 header: a clean build of a module that sees both
// Foundation and libxml2 otherwise fails with "'UErrorCode' has different definitions".
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlerror.h>

/// `xmlFree` is a global function pointer, which Swift cannot call directly.
static inline void settle_xml_free(void *pointer) { xmlFree(pointer); }
#endif
