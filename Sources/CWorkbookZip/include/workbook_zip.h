// The compression level of the workbooks' ZIP entries (see workbook_zip.c).
#ifndef SETTLE_WORKBOOK_ZIP_H
#define SETTLE_WORKBOOK_ZIP_H

/// The zlib level libxlsxwriter's entries are deflated with when it asks for zlib's default.
int settle_workbook_zip_level(void);

#endif
