#!/usr/bin/env bash
# Browser tests drive Debian's Chromium (test tools cannot download their own browser here).
set -u
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian's chromium and CJK fonts for the browser tests..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk) >/tmp/niangjia-apt.log 2>&1 \
    || { echo "could not install chromium (see /tmp/niangjia-apt.log); browser tests will fail"; exit 0; }
else
  echo "chromium is missing: install Debian's 'chromium' and 'fonts-noto-cjk' packages"
fi
