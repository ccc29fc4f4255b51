// libxlsxwriter (1.1.x, Debian) deflates every part of a workbook at zlib's default level (6) and
// offers no setting for it. A 200,000-request review workbook is ~230 MB of sheet XML, and
// compressing it at level 6 took ~3.5 s of CPU, the longest single step of the review; level 1
// takes about a third of that for a file ~30% larger.
//
// libxlsxwriter opens each part with minizip's zipOpenNewFileInZip4_64. This executable defines
// that function, so the dynamic linker binds libxlsxwriter's call to it (a symbol of the
// executable comes first); it asks minizip's own function (the next definition) for the same
// entry at level 1 when libxlsxwriter asked for the default. minizip then also records the level
// in the entry's header (general purpose flags: "super fast"), which the tests read back to see
// that the call did come through here. Nothing else in the process writes ZIP files.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <xlsxwriter/third_party/zip.h>

#include "workbook_zip.h"

typedef int (*open_entry_fn)(zipFile, const char*, const zip_fileinfo*, const void*, uInt, const void*, uInt,
                             const char*, int, int, int, int, int, int, const char*, uLong, uLong, uLong, int);

int settle_workbook_zip_level(void) { return Z_BEST_SPEED; }

int zipOpenNewFileInZip4_64(zipFile file, const char* filename, const zip_fileinfo* info, const void* extra_local,
                            uInt extra_local_size, const void* extra_global, uInt extra_global_size,
                            const char* comment, int method, int level, int raw, int window_bits, int mem_level,
                            int strategy, const char* password, uLong crc_for_crypting, uLong version_made_by,
                            uLong flag_base, int zip64) {
    // The definition this one stands in front of: minizip's, found once. Written and read with
    // relaxed atomics, as two workbooks may be written by two threads at once; both would store the
    // same pointer.
    static open_entry_fn next;
    open_entry_fn open_entry = __atomic_load_n(&next, __ATOMIC_RELAXED);
    if (open_entry == NULL) {
        open_entry = (open_entry_fn)dlsym(RTLD_NEXT, "zipOpenNewFileInZip4_64");
        if (open_entry == NULL) return ZIP_INTERNALERROR;
        __atomic_store_n(&next, open_entry, __ATOMIC_RELAXED);
    }
    if (method == Z_DEFLATED && level == Z_DEFAULT_COMPRESSION) level = settle_workbook_zip_level();
    return open_entry(file, filename, info, extra_local, extra_local_size, extra_global, extra_global_size, comment,
                      method, level, raw, window_bits, mem_level, strategy, password, crc_for_crypting,
                      version_made_by, flag_base, zip64);
}
