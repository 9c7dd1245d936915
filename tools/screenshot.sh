#!/usr/bin/env bash
# Take a screenshot of the running application at 1366x768 under Xvfb.
# usage: tools/screenshot.sh OUT.png [seconds] -- [main.py arguments]
set -eu
out=$1; shift
wait=${1:-4}; shift || true
[ "${1:-}" = "--" ] && shift
xvfb-run -a -s "-screen 0 1366x768x24" bash -c "
  .venv/bin/python main.py $* & pid=\$!
  sleep $wait
  import -window root '$out'
  kill \$pid 2>/dev/null || true
  wait \$pid 2>/dev/null || true"
