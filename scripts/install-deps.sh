#!/usr/bin/env bash
# Installs what k8snet-tui, its lab and its tests need on a Debian machine, as root.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
packages=(iproute2 tcpdump iputils-ping containernetworking-plugins util-linux openssl
	docker.io busybox-static openssh-server socat fonts-dejavu-core containerd runc tshark ethtool conntrack)
# tshark's wireshark-common asks whether non-root users may capture: no (the tests read files only).
echo 'wireshark-common wireshark-common/install-setuid boolean false' | debconf-set-selections
# Debian's kubernetes-client clashes with a kubectl some images already ship: keep theirs.
command -v kubectl >/dev/null || packages+=(kubernetes-client)
apt-get update -qq
apt-get install -y -qq "${packages[@]}" >/dev/null
npm ci --no-audit --no-fund
npm run build
