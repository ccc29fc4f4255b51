#!/usr/bin/env bash
# Removes settle's schedule and binary, as root. Never removes data: /etc/settle, /var/lib/settle
# (the inbox, the outputs, the embedded database) and /var/log/settle stay, as does the user.
#
#   Scripts/uninstall.sh [--prefix /usr/local] [--root /]
set -euo pipefail
prefix=/usr/local
root=""
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) prefix=$2; shift 2 ;;
        --root) root=${2%/}; shift 2 ;;
        *) echo "uninstall.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
if [ -z "$root" ] && [ -d /run/systemd/system ]; then
    systemctl disable --now settle-cycle.timer 2>/dev/null || true
fi
rm -f "$root/etc/systemd/system/settle-cycle.service" "$root/etc/systemd/system/settle-cycle.timer" \
    "$root/etc/cron.d/settle" "$root$prefix/bin/settle" "$root$prefix/bin/settle.build-info"
if [ -z "$root" ] && [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
echo "uninstall.sh: removed the schedule and the binary; data in /etc/settle, /var/lib/settle and /var/log/settle is kept"
