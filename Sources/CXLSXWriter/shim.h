// libxlsxwriter (Debian libxlsxwriter-dev): writes the finance workbooks.
#include <xlsxwriter.h>
