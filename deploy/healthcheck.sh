#!/bin/sh
# Usage: healthcheck.sh PORT...  — ask each local dashboard process for /_stcore/health; restart those that do
# not answer "ok" within 5 seconds (when run by systemd as root), and exit 1 if any failed.
# Also usable by hand, or by an external monitor through nginx: https://HOST/_stcore/health
status=0
for port in "$@"; do
    answer=$(curl --silent --max-time 5 "http://127.0.0.1:${port}/_stcore/health" || true)
    if [ "$answer" != "ok" ]; then
        echo "incidents@${port}: health check failed (answer: '${answer}')" >&2
        status=1
        if [ "$(id -u)" = 0 ] && command -v systemctl >/dev/null; then
            systemctl restart "incidents@${port}.service"
        fi
    fi
done
exit $status
