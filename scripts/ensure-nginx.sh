#!/usr/bin/env bash
# The deployment test (tests/ops/test_deployment.py) drives Debian's nginx and openssl.
set -u
if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian's nginx for the deployment test..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx openssl) >/tmp/niangjia-apt-nginx.log 2>&1 \
    || { echo "could not install nginx (see /tmp/niangjia-apt-nginx.log); the deployment test will fail"; exit 0; }
  # Debian starts the packaged nginx on :80; the test runs its own, so the service is not needed.
  (systemctl stop nginx || service nginx stop || nginx -s stop) >/dev/null 2>&1 || true
else
  echo "nginx is missing: install Debian's 'nginx' package"
fi
