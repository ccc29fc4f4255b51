#!/usr/bin/env bash
# Installs settle on a Debian 12 server, as root. Idempotent: run it again after an update.
#
#   Scripts/install.sh [--prefix /usr/local] [--root /] [--binary PATH] [--no-schedule]
#
# - builds the release binary (or takes --binary) and installs it as <prefix>/bin/settle, with
#   settle.build-info (the commit) beside it for `settle --version`;
# - creates the system user `settle`; /etc/settle/settlement.toml (never overwriting an edited one),
#   /etc/settle/policy and /etc/settle/calendar (new years' files added, edited ones kept);
#   /var/lib/settle/{inbox,out,state} and /var/log/settle, owned by settle, mode 0750;
# - installs the schedule: the systemd timer settle-cycle.timer (enabled when systemd runs), and
#   /etc/cron.d/settle for servers without systemd (times rewritten for the server's zone).
# --root installs below another directory (tests: the whole tree in a temporary directory).
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=/usr/local
root=""
binary=""
schedule=yes
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) prefix=$2; shift 2 ;;
        --root) root=${2%/}; shift 2 ;;
        --binary) binary=$2; shift 2 ;;
        --no-schedule) schedule=no; shift ;;
        *) echo "install.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[ "$(id -u)" -eq 0 ] || { echo "install.sh: run as root" >&2; exit 2; }

Scripts/bootstrap.sh
if [ -z "$binary" ]; then
    swift build -c release --product settle 2>&1 | tail -1
    binary=.build/release/settle
fi

bin="$root$prefix/bin"
etc="$root/etc/settle"
lib="$root/var/lib/settle"
log="$root/var/log/settle"

id settle >/dev/null 2>&1 || useradd --system --home-dir /var/lib/settle --no-create-home \
    --shell /usr/sbin/nologin settle

install -d -m 0755 "$bin"
install -m 0755 "$binary" "$bin/settle.new" && mv -f "$bin/settle.new" "$bin/settle"
commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)
printf 'commit=%s\ninstalled=%s\n' "$commit" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$bin/settle.build-info"

install -d -m 0755 "$etc" "$etc/policy" "$etc/calendar"
for kind in policy calendar; do
    for file in Jobs/$kind/*.toml; do
        [ -e "$etc/$kind/$(basename "$file")" ] || install -m 0644 "$file" "$etc/$kind/"
    done
done
if [ ! -e "$etc/settlement.toml" ]; then
    sed -e "s|^inbox = .*|inbox = \"$root/var/lib/settle/inbox\"|" \
        -e "s|^out = .*|out = \"$root/var/lib/settle/out\"|" \
        -e "s|^policy_dir = .*|policy_dir = \"$root/etc/settle/policy\"|" \
        -e "s|^calendar_dir = .*|calendar_dir = \"$root/etc/settle/calendar\"|" \
        Jobs/settlement.toml > "$etc/settlement.toml"
    chmod 0644 "$etc/settlement.toml"
    echo "install.sh: wrote $etc/settlement.toml — set the paying account ([payer]) before the first payment"
fi

install -d -m 0750 -o settle -g settle "$lib" "$lib/inbox" "$lib/inbox/bank-results" "$lib/out" "$lib/state" "$log"

if [ "$schedule" = yes ]; then
    units="$root/etc/systemd/system"
    install -d -m 0755 "$units"
    for unit in settle-cycle.service settle-cycle.timer; do
        sed -e "s|/usr/local/bin/settle|$prefix/bin/settle|" "Jobs/$unit" > "$units/$unit"
        chmod 0644 "$units/$unit"
    done
    # Debian's cron: no dot in the name, no CRON_TZ. 02:00 on the 2nd in Asia/Shanghai (UTC+8),
    # in the server's own zone.
    offset=$(date +%z)
    sign=${offset:0:1}; hours=$((10#${offset:1:2}))
    [ "$sign" = "-" ] && hours=$((-hours))
    hour=$((2 - 8 + hours)); day=2
    if [ $hour -lt 0 ]; then hour=$((hour + 24)); day=1; fi
    if [ $hour -ge 24 ]; then hour=$((hour - 24)); day=3; fi
    [ "${offset:3:2}" = "00" ] || echo "install.sh: the server's zone ($offset) is not a whole hour; check $root/etc/cron.d/settle" >&2
    install -d -m 0755 "$root/etc/cron.d"
    sed -e "s|^0 2 2 \* \*|0 $hour $day * *|" -e "s|/usr/local/bin/settle|$prefix/bin/settle|" \
        Jobs/cron.d/settle > "$root/etc/cron.d/settle"
    chmod 0644 "$root/etc/cron.d/settle"
    if [ -z "$root" ] && [ -d /run/systemd/system ]; then
        systemctl daemon-reload
        systemctl enable --now settle-cycle.timer
        # With the timer running, the cron file would run the cycle twice: keep only one schedule.
        rm -f /etc/cron.d/settle
        systemctl list-timers settle-cycle.timer --no-pager || true
    else
        echo "install.sh: systemd is not running here: the schedule is $root/etc/cron.d/settle"
    fi
fi
echo "install.sh: installed $("$bin/settle" --version)"
